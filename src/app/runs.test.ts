// Long runs: progress reaches those who may follow, only the starter may cancel, and cancelling aborts the run's signal.
import { describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../core/errors';
import { ANONYMOUS, SYSTEM, type Principal } from '../core/principal';
import { RunRegistry, type RunEvent, type RunScope } from './runs';

const person = (id: string, grants: { unitPath: string; role: 'planner' | 'member' }[] = []): Principal => ({
  kind: 'person',
  personId: id,
  name: id,
  email: `${id}@x.test`,
  grants: grants.map((g) => ({ unitId: g.unitPath.split('/').at(-2) ?? '', ...g })),
});

const alice = person('alice');
const bob = person('bob');
const scope = (owner: Principal): RunScope => ({ owner, permission: 'plan', unitPaths: ['/root/farm/'] });

function collect(): {
  events: RunEvent[];
  refused: DomainError[];
  listener: Parameters<RunRegistry['follow']>[2];
} {
  const events: RunEvent[] = [];
  const refused: DomainError[] = [];
  return { events, refused, listener: { onEvent: (e) => events.push(e), onRefused: (r) => refused.push(r) } };
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
    return null;
  } catch (e) {
    return e;
  }
}

describe('RunRegistry', () => {
  it('passes progress and the final event to the owner', () => {
    const runs = new RunRegistry();
    const seen = collect();
    const run = runs.start('r1', scope(alice));
    const follower = runs.follow('r1', alice, seen.listener);
    run.onProgress({ fraction: 0.5, message: 'half way' });
    runs.finish('r1', { type: 'done', fraction: 1, message: 'done' });
    follower.stop();
    expect(seen.events.map((e) => e.type)).toEqual(['progress', 'done']);
    expect(seen.events[0]?.fraction).toBe(0.5);
  });

  it('replays the whole run to a follower that connects after it finished', () => {
    const runs = new RunRegistry();
    const run = runs.start('late', scope(SYSTEM));
    run.onProgress({ fraction: 0.2, message: 'formulating' });
    run.onProgress({ fraction: 0.7, message: 'solving' });
    runs.finish('late', { type: 'done', fraction: 1, message: 'done' });
    const follower = runs.follow('late', SYSTEM, collect().listener);
    follower.stop();
    expect(follower.history.map((e) => e.message)).toEqual(['formulating', 'solving', 'done']);
  });

  it('refuses a running run to someone who neither started it nor holds its permission on its unit', () => {
    const runs = new RunRegistry();
    runs.start('r-private', scope(alice));
    const err = errorOf(() => runs.follow('r-private', bob, collect().listener));
    expect(isDomainError(err) && err.kind).toBe('forbidden');
    const member = person('mia', [{ unitPath: '/root/', role: 'member' }]);
    expect(isDomainError(errorOf(() => runs.follow('r-private', member, collect().listener)))).toBe(true);
  });

  it('lets a planner of the unit (or above it) follow a colleague’s plan run', () => {
    const runs = new RunRegistry();
    const run = runs.start('r-shared', scope(alice));
    const planner = person('pat', [{ unitPath: '/root/', role: 'planner' }]);
    const seen = collect();
    runs.follow('r-shared', planner, seen.listener);
    run.onProgress({ message: 'solving' });
    expect(seen.events.map((e) => e.message)).toEqual(['solving']);
  });

  it('refuses the public outright, before or during a run', () => {
    const runs = new RunRegistry();
    const before = errorOf(() => runs.follow('r-pub', ANONYMOUS, collect().listener));
    expect(isDomainError(before) && before.kind).toBe('unauthenticated');
    runs.start('r-pub', { owner: ANONYMOUS, permission: null, unitPaths: [] });
    const during = errorOf(() => runs.follow('r-pub', ANONYMOUS, collect().listener));
    expect(isDomainError(during) && during.kind).toBe('unauthenticated');
  });

  it('checks a follower that came before the run when it starts: a stranger is refused and sees nothing', () => {
    const runs = new RunRegistry();
    const stranger = collect();
    const owner = collect();
    runs.follow('r-early', bob, stranger.listener);
    runs.follow('r-early', alice, owner.listener);
    const run = runs.start('r-early', scope(alice));
    run.onProgress({ fraction: 0.1, message: 'secret progress' });
    runs.finish('r-early', { type: 'done', message: 'done' });
    expect(stranger.refused.map((r) => r.kind)).toEqual(['forbidden']);
    expect(stranger.events).toEqual([]);
    expect(owner.refused).toEqual([]);
    expect(owner.events.map((e) => e.message)).toEqual(['secret progress', 'done']);
  });

  it('lets only the starter cancel, cancelling aborts the signal, and a finished run is not cancelled', () => {
    const runs = new RunRegistry();
    const run = runs.start('r2', scope(alice));
    const err = errorOf(() => runs.cancel('r2', bob));
    expect(isDomainError(err) && err.kind).toBe('forbidden');
    expect(run.signal.aborted).toBe(false);
    expect(runs.cancel('r2', alice)).toBe(true);
    expect(run.signal.aborted).toBe(true);
    runs.finish('r2', { type: 'cancelled', message: 'cancelled' });
    expect(runs.cancel('r2', alice)).toBe(false);
    expect(runs.cancel('no-such-run', alice)).toBe(false);
  });

  it('refuses a second run with the same id', () => {
    const runs = new RunRegistry();
    runs.start('r3', scope(SYSTEM));
    expect(() => runs.start('r3', scope(SYSTEM))).toThrow(/already going/);
  });
});
