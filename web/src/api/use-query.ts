// Loads data for a page and keeps its loading/error state, so every page shows failures in words.
import { useCallback, useEffect, useRef, useState } from 'react';

export type QueryState<T> =
  { status: 'loading' } | { status: 'error'; error: Error } | { status: 'ok'; data: T };

/** The same dependencies, compared as useEffect compares them. */
function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

/** Runs `load` whenever a dependency changes; stale answers from earlier dependencies are dropped. */
export function useQuery<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  options: { keepPrevious?: boolean } = {},
): QueryState<T> & { reload: () => void } {
  const [state, setState] = useState<{ deps: readonly unknown[]; got: QueryState<T> }>({
    deps: [],
    got: { status: 'loading' },
  });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const current = [...deps, tick];
  useEffect(() => {
    const mine = ++generation.current;
    const asked = current;
    // Keeping the previous answer while reloading keeps forms (and their progress) mounted.
    if (!options.keepPrevious) setState({ deps: asked, got: { status: 'loading' } });
    load().then(
      (data) => {
        if (generation.current === mine) setState({ deps: asked, got: { status: 'ok', data } });
      },
      (error: unknown) => {
        if (generation.current === mine)
          setState({
            deps: asked,
            got: { status: 'error', error: error instanceof Error ? error : new Error(String(error)) },
          });
      },
    );
    // The caller lists the dependencies of `load`, as with useEffect.
  }, current);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // The render between a change of dependencies and the effect that reloads would otherwise show the answer
  // for the old ones (a list of units with none in it, say) as if it were the new one.
  const fresh = options.keepPrevious || sameDeps(state.deps, current);
  return { ...(fresh ? state.got : { status: 'loading' }), reload };
}
