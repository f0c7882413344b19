// Long runs that callers follow and cancel: an operation called with a `runId` reports progress here.
import { EventEmitter } from 'node:events';
import { DomainError } from '../core/errors';
import type { Progress } from '../core/operation';

export interface RunEvent {
  type: 'progress' | 'done' | 'failed' | 'cancelled';
  fraction?: number;
  message: string;
}

interface Run {
  owner: string;
  abort: AbortController;
  /** Every event so far (bounded), so a follower that connects late still sees the whole run. */
  history: RunEvent[];
}

const HISTORY = 200;

export class RunRegistry {
  private readonly runs = new Map<string, Run>();
  private readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(1000);
  }

  start(runId: string, owner: string): { signal: AbortSignal; onProgress: (p: Progress) => void } {
    if (this.runs.has(runId)) {
      throw new DomainError('duplicate', `runId: a run "${runId}" is already going`, {
        issues: [{ field: 'runId', message: 'must be unique among running operations' }],
      });
    }
    const run: Run = {
      owner,
      abort: new AbortController(),
      history: [],
    };
    this.runs.set(runId, run);
    return {
      signal: run.abort.signal,
      onProgress: (p) => this.emit(runId, { type: 'progress', ...p }),
    };
  }

  finish(runId: string, event: RunEvent): void {
    this.emit(runId, event);
    // Keep the final state a little while, so a follower that connects late still sees it.
    setTimeout(() => this.runs.delete(runId), 60_000).unref();
  }

  cancel(runId: string, by: string): boolean {
    const run = this.runs.get(runId);
    if (!run) return false;
    if (run.owner !== by) throw new DomainError('forbidden', 'only who started a run may cancel it');
    run.abort.abort();
    return true;
  }

  /** The events so far and a subscription to the next ones; the caller must unsubscribe. */
  follow(
    runId: string,
    by: string,
    listener: (e: RunEvent) => void,
  ): { history: RunEvent[]; stop: () => void } {
    const existing = this.runs.get(runId);
    if (existing && existing.owner !== by)
      throw new DomainError('forbidden', 'only who started a run may follow it');
    const handler = (e: RunEvent) => listener(e);
    this.events.on(runId, handler);
    return {
      history: [...(this.runs.get(runId)?.history ?? [])],
      stop: () => this.events.off(runId, handler),
    };
  }

  private emit(runId: string, event: RunEvent): void {
    const run = this.runs.get(runId);
    if (run) {
      run.history.push(event);
      if (run.history.length > HISTORY) run.history.splice(1, run.history.length - HISTORY);
    }
    this.events.emit(runId, event);
  }
}
