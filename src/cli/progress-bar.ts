// A progress bar on stderr for long operations (cli-progress), only when a person is watching.
import { SingleBar, Presets } from 'cli-progress';
import type { Progress } from '../core/operation';

export async function withProgressBar<T>(
  show: boolean,
  run: (onProgress: (p: Progress) => void) => Promise<T>,
): Promise<T> {
  if (!show) return run(() => {});
  const bar = new SingleBar(
    { format: ' {bar} {percentage}% | {message}', hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  try {
    return await run((p) => {
      if (!started) {
        bar.start(100, 0, { message: p.message });
        started = true;
      }
      bar.update(Math.round((p.fraction ?? 0) * 100), { message: p.message });
    });
  } finally {
    if (started) bar.stop();
  }
}
