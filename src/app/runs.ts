// Long runs that callers follow and cancel: an operation called with a `runId` reports progress here.
import { DomainError } from '../core/errors';
import type { Progress } from '../core/operation';
import { actorKey, holds, type Permission, type Principal } from '../core/principal';

export interface RunEvent {
  type: 'progress' | 'done' | 'failed' | 'cancelled';
  fraction?: number;
  message: string;
}

/** Whose a run is: who started it, and the permission on the units that its operation's access check covered. */
export interface RunScope {
  owner: Principal;
  permission: Permission | null;
  unitPaths: string[];
}

/** One subscriber to a run's events, bound to the identity it came with. */
export interface RunListener {
  onEvent: (e: RunEvent) => void;
  /** A follower that subscribed before the run started, refused when the run started and proved not its. */
  onRefused: (reason: DomainError) => void;
}

interface Follower extends RunListener {
  principal: Principal;
}

interface Run {
  scope: RunScope;
  abort: AbortController;
  /** Every event so far (bounded), so a follower that connects late still sees the whole run. */
  history: RunEvent[];
  followers: Set<Follower>;
  finished: boolean;
}

const HISTORY = 200;
/** How long a finished run stays, so a follower that connects late still sees how it ended. */
const KEEP_FINISHED_MS = 60_000;

function sameActor(a: Principal, b: Principal): boolean {
  return a.kind !== 'anonymous' && b.kind !== 'anonymous' && actorKey(a) === actorKey(b);
}

/**
 * Who may follow a run: whoever started it, and those who hold the operation's own permission on every unit
 * it concerns (they could have started it themselves). The public never: its runs belong to nobody.
 */
export function mayFollow(scope: RunScope, principal: Principal): boolean {
  if (sameActor(scope.owner, principal)) return true;
  const { permission, unitPaths } = scope;
  return (
    permission !== null && unitPaths.length > 0 && unitPaths.every((p) => holds(principal, permission, p))
  );
}

function refusal(runId: string): DomainError {
  return new DomainError(
    'forbidden',
    `run "${runId}": only who started it, or holds its permission on its unit, may follow it`,
    {
      fix: 'follow only runs that you started',
    },
  );
}

export class RunRegistry {
  private readonly runs = new Map<string, Run>();
  /** Followers that subscribed before their run started; each is checked when it starts. */
  private readonly waiting = new Map<string, Set<Follower>>();

  start(runId: string, scope: RunScope): { signal: AbortSignal; onProgress: (p: Progress) => void } {
    if (this.runs.has(runId)) {
      throw new DomainError('duplicate', `runId: a run "${runId}" is already going`, {
        issues: [{ field: 'runId', message: 'must be unique among running operations' }],
      });
    }
    const run: Run = {
      scope,
      abort: new AbortController(),
      history: [],
      followers: new Set(),
      finished: false,
    };
    this.runs.set(runId, run);
    for (const f of this.waiting.get(runId) ?? []) {
      if (mayFollow(scope, f.principal)) run.followers.add(f);
      else f.onRefused(refusal(runId));
    }
    this.waiting.delete(runId);
    return {
      signal: run.abort.signal,
      onProgress: (p) => this.emit(run, { type: 'progress', ...p }),
    };
  }

  finish(runId: string, event: RunEvent): void {
    const run = this.runs.get(runId);
    if (!run || run.finished) return;
    this.emit(run, event);
    run.finished = true;
    run.followers.clear();
    setTimeout(() => {
      if (this.runs.get(runId) === run) this.runs.delete(runId);
    }, KEEP_FINISHED_MS).unref();
  }

  /** True when the run was going and is now told to stop; false when there is no such run going. */
  cancel(runId: string, by: Principal): boolean {
    const run = this.runs.get(runId);
    if (!run || run.finished) return false;
    if (!sameActor(run.scope.owner, by))
      throw new DomainError('forbidden', `run "${runId}": only who started a run may cancel it`);
    run.abort.abort();
    return true;
  }

  /**
   * The events so far and a subscription to the next ones; the caller must stop it. Refuses at once a
   * follower who may not follow a run that exists; one that subscribes first is checked when the run starts.
   */
  follow(runId: string, by: Principal, listener: RunListener): { history: RunEvent[]; stop: () => void } {
    if (by.kind === 'anonymous') {
      throw new DomainError('unauthenticated', 'sign in to follow a run', {
        fix: 'send the bearer token (or session cookie) of who started the run',
      });
    }
    const follower: Follower = { principal: by, ...listener };
    const run = this.runs.get(runId);
    if (run) {
      if (!mayFollow(run.scope, by)) throw refusal(runId);
      if (!run.finished) run.followers.add(follower);
      return { history: [...run.history], stop: () => run.followers.delete(follower) };
    }
    const waiting = this.waiting.get(runId) ?? new Set<Follower>();
    waiting.add(follower);
    this.waiting.set(runId, waiting);
    return {
      history: [],
      stop: () => {
        waiting.delete(follower);
        if (waiting.size === 0 && this.waiting.get(runId) === waiting) this.waiting.delete(runId);
        this.runs.get(runId)?.followers.delete(follower);
      },
    };
  }

  private emit(run: Run, event: RunEvent): void {
    run.history.push(event);
    if (run.history.length > HISTORY) run.history.splice(1, run.history.length - HISTORY);
    for (const f of run.followers) f.onEvent(event);
  }
}
