// Long runs: progress reaches followers, only the starter may cancel, and cancelling aborts the run's signal.
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors';
import { RunRegistry, type RunEvent } from './runs';

describe('RunRegistry', () => {
  it('passes progress and the final event to followers', () => {
    const runs = new RunRegistry();
    const seen: RunEvent[] = [];
    const run = runs.start('r1', 'person:a');
    const follower = runs.follow('r1', 'person:a', (e) => seen.push(e));
    run.onProgress({ fraction: 0.5, message: 'half way' });
    runs.finish('r1', { type: 'done', fraction: 1, message: 'done' });
    follower.stop();
    expect(seen.map((e) => e.type)).toEqual(['progress', 'done']);
    expect(seen[0]?.fraction).toBe(0.5);
  });

  it('replays the whole run to a follower that connects after it finished', () => {
    const runs = new RunRegistry();
    const run = runs.start('late', 'system');
    run.onProgress({ fraction: 0.2, message: 'formulating' });
    run.onProgress({ fraction: 0.7, message: 'solving' });
    runs.finish('late', { type: 'done', fraction: 1, message: 'done' });
    const follower = runs.follow('late', 'system', () => undefined);
    follower.stop();
    expect(follower.history.map((e) => e.message)).toEqual(['formulating', 'solving', 'done']);
  });

  it('lets only the starter cancel, and cancelling aborts the signal', () => {
    const runs = new RunRegistry();
    const run = runs.start('r2', 'person:a');
    const err = (() => {
      try {
        runs.cancel('r2', 'person:b');
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(isDomainError(err) && err.kind).toBe('forbidden');
    expect(run.signal.aborted).toBe(false);
    expect(runs.cancel('r2', 'person:a')).toBe(true);
    expect(run.signal.aborted).toBe(true);
  });

  it('refuses a second run with the same id', () => {
    const runs = new RunRegistry();
    runs.start('r3', 'system');
    expect(() => runs.start('r3', 'system')).toThrow(/already going/);
  });
});
