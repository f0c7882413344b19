// Follows a long run's progress over the server's event stream (GET /api/runs/{runId}/events).
// The stream is outside the OpenAPI document, so each event is checked field by field before use.

import { eventObject } from './event-json';

export interface RunProgress {
  type: 'progress' | 'done' | 'failed' | 'cancelled';
  fraction: number | undefined;
  message: string;
}

/** One line of a run's log: what the server sent, or what this page itself knows (sent, answered). */
export interface RunLogEntry extends RunProgress {
  source: 'server' | 'page';
  at: Date;
}

const TYPES = new Set(['progress', 'done', 'failed', 'cancelled']);

export function parseRunEvent(data: string): RunProgress | undefined {
  const raw = eventObject(data);
  if (raw === undefined) return undefined;
  const { type, fraction, message } = raw;
  if (typeof type !== 'string' || !TYPES.has(type)) return undefined;
  return {
    type: type as RunProgress['type'],
    fraction: typeof fraction === 'number' && Number.isFinite(fraction) ? fraction : undefined,
    message: typeof message === 'string' ? message : '',
  };
}

/**
 * Opens the run's stream, reports each event, and resolves with the function that closes it once the stream
 * is open (or after `waitMs`), so that a run started next cannot finish before the server knows someone
 * follows it. The stream closes itself at the end of the run, so EventSource never reconnects to it.
 */
export function followRunWhenOpen(
  runId: string,
  onEvent: (e: RunProgress) => void,
  waitMs = 2000,
): Promise<() => void> {
  return new Promise((resolve) => {
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`, {
      withCredentials: true,
    });
    const stop = () => source.close();
    const handle = (ev: MessageEvent<string>) => {
      const e = parseRunEvent(ev.data);
      if (!e) return;
      onEvent(e);
      if (e.type !== 'progress') source.close();
    };
    for (const t of TYPES) source.addEventListener(t, handle as EventListener);
    const timer = setTimeout(() => resolve(stop), waitMs);
    source.addEventListener('open', () => {
      clearTimeout(timer);
      resolve(stop);
    });
  });
}

export function newRunId(): string {
  return `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
