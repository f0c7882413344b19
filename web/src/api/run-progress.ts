// Follows a long run's progress over the server's event stream (GET /api/runs/{runId}/events).
// The stream is outside the OpenAPI document, so each event is checked field by field before use.

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
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, fraction, message } = raw as Record<string, unknown>;
  if (typeof type !== 'string' || !TYPES.has(type)) return undefined;
  return {
    type: type as RunProgress['type'],
    fraction: typeof fraction === 'number' && Number.isFinite(fraction) ? fraction : undefined,
    message: typeof message === 'string' ? message : '',
  };
}

/**
 * Opens the run's stream and reports each event; returns a function that closes it. The stream is
 * opened before the run starts (the server forwards events from the first one) and closed at the end,
 * so EventSource never reconnects to a finished run.
 */
export function followRun(runId: string, onEvent: (e: RunProgress) => void): () => void {
  const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`, { withCredentials: true });
  const handle = (ev: MessageEvent<string>) => {
    const e = parseRunEvent(ev.data);
    if (!e) return;
    onEvent(e);
    if (e.type !== 'progress') source.close();
  };
  for (const t of TYPES) source.addEventListener(t, handle as EventListener);
  return () => source.close();
}

export function newRunId(): string {
  return `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
