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
  last: RunEvent;
}

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
      last: { type: 'progress', fraction: 0, message: 'started' },
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

  /** The latest event and a subscription to the next ones; the caller must unsubscribe. */
  follow(
    runId: string,
    by: string,
    listener: (e: RunEvent) => void,
  ): { last: RunEvent | undefined; stop: () => void } {
    const existing = this.runs.get(runId);
    if (existing && existing.owner !== by)
      throw new DomainError('forbidden', 'only who started a run may follow it');
    const handler = (e: RunEvent) => listener(e);
    this.events.on(runId, handler);
    return { last: this.runs.get(runId)?.last, stop: () => this.events.off(runId, handler) };
  }

  private emit(runId: string, event: RunEvent): void {
    const run = this.runs.get(runId);
    if (run) run.last = event;
    this.events.emit(runId, event);
  }
}
