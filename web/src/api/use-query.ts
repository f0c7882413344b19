// Loads data for a page and keeps its loading/error state, so every page shows failures in words.
import { useCallback, useEffect, useRef, useState } from 'react';

export type QueryState<T> =
  { status: 'loading' } | { status: 'error'; error: Error } | { status: 'ok'; data: T };

/** Runs `load` whenever a dependency changes; stale answers from earlier dependencies are dropped. */
export function useQuery<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  options: { keepPrevious?: boolean } = {},
): QueryState<T> & { reload: () => void } {
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    // Keeping the previous answer while reloading keeps forms (and their progress) mounted.
    if (!options.keepPrevious) setState({ status: 'loading' });
    load().then(
      (data) => {
        if (generation.current === mine) setState({ status: 'ok', data });
      },
      (error: unknown) => {
        if (generation.current === mine)
          setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    // The caller lists the dependencies of `load`, as with useEffect.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
