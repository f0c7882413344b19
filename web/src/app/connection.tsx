// The live link to the server: the alert event stream when signed in (health polling in the public view),
// shown in the header in words, with drops and reconnects; pages subscribe to the alert notices it carries.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import {
  parseAlertNotice,
  parseReadingsNotice,
  parseRemoteAlertNotice,
  type AlertNotice,
  type ReadingsNotice,
  type RemoteAlertNotice,
} from '../api/alert-events';
import { useSession } from '../api/session';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected'; since: Date; reconnected: boolean; live: boolean }
  | { kind: 'dropped'; since: Date; attempts: number };

type Listener = (n: AlertNotice) => void;
type ReadingsListener = (n: ReadingsNotice[]) => void;
type RemoteListener = (n: RemoteAlertNotice) => void;

interface Live {
  state: ConnectionState;
  subscribe: (l: Listener) => () => void;
  subscribeReadings: (l: ReadingsListener) => () => void;
  subscribeRemote: (l: RemoteListener) => () => void;
}

const LiveContext = createContext<Live>({
  state: { kind: 'connecting' },
  subscribe: () => () => {},
  subscribeReadings: () => () => {},
  subscribeRemote: () => () => {},
});

const POLL_MS = 5000;
/** The server beats every 15 s; silence for this long means the link is dead even if the socket is open. */
const SILENCE_MS = 40_000;
const MAX_BACKOFF_MS = 30_000;

export function ConnectionProvider({ children }: { children: ReactNode }) {
  const { who } = useSession();
  const signedIn = who?.kind === 'person';
  const [state, setState] = useState<ConnectionState>({ kind: 'connecting' });
  const listeners = useRef(new Set<Listener>());
  const readingListeners = useRef(new Set<ReadingsListener>());
  const remoteListeners = useRef(new Set<RemoteListener>());
  const up = useCallback((live: boolean) => {
    setState((s) =>
      s.kind === 'connected' && s.live === live
        ? s
        : { kind: 'connected', since: new Date(), reconnected: s.kind === 'dropped', live },
    );
  }, []);
  const down = useCallback(() => {
    setState((s) =>
      s.kind === 'dropped'
        ? { ...s, attempts: s.attempts + 1 }
        : { kind: 'dropped', since: new Date(), attempts: 1 },
    );
  }, []);

  useEffect(() => {
    if (who === undefined) return undefined;
    let stopped = false;
    if (!signedIn) {
      const check = async () => {
        const ok = await api.POST('/api/system/health', { body: {} }).then(
          (r) => r.response.ok,
          () => false,
        );
        if (stopped) return;
        if (ok) up(false);
        else down();
      };
      void check();
      const timer = window.setInterval(() => void check(), POLL_MS);
      return () => {
        stopped = true;
        window.clearInterval(timer);
      };
    }
    let source: EventSource | null = null;
    let retry: number | undefined;
    let watchdog: number | undefined;
    let backoff = 1000;
    const feed = () => {
      window.clearTimeout(watchdog);
      watchdog = window.setTimeout(() => {
        down();
        reopen();
      }, SILENCE_MS);
    };
    const reopen = () => {
      source?.close();
      window.clearTimeout(retry);
      retry = window.setTimeout(open, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
    const open = () => {
      if (stopped) return;
      const s = new EventSource('/api/events', { withCredentials: true });
      source = s;
      feed();
      s.addEventListener('ready', () => {
        backoff = 1000;
        up(true);
        feed();
      });
      s.addEventListener('heartbeat', () => {
        up(true);
        feed();
      });
      s.addEventListener('alert', (ev: MessageEvent<string>) => {
        feed();
        const notice = parseAlertNotice(ev.data);
        if (notice) for (const l of listeners.current) l(notice);
      });
      s.addEventListener('readings', (ev: MessageEvent<string>) => {
        feed();
        const notices = parseReadingsNotice(ev.data);
        if (notices.length > 0) for (const l of readingListeners.current) l(notices);
      });
      s.addEventListener('federation-alert', (ev: MessageEvent<string>) => {
        feed();
        const notice = parseRemoteAlertNotice(ev.data);
        if (notice) for (const l of remoteListeners.current) l(notice);
      });
      s.onerror = () => {
        down();
        // The browser retries an open stream by itself; a refused one (CLOSED) is ours to retry.
        if (s.readyState === EventSource.CLOSED) reopen();
      };
    };
    open();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      window.clearTimeout(watchdog);
      source?.close();
    };
  }, [who, signedIn, up, down]);

  const subscribe = useCallback((l: Listener) => {
    listeners.current.add(l);
    return () => {
      listeners.current.delete(l);
    };
  }, []);
  const subscribeReadings = useCallback((l: ReadingsListener) => {
    readingListeners.current.add(l);
    return () => {
      readingListeners.current.delete(l);
    };
  }, []);
  const subscribeRemote = useCallback((l: RemoteListener) => {
    remoteListeners.current.add(l);
    return () => {
      remoteListeners.current.delete(l);
    };
  }, []);
  return (
    <LiveContext.Provider value={{ state, subscribe, subscribeReadings, subscribeRemote }}>
      {children}
    </LiveContext.Provider>
  );
}

export function useConnection(): ConnectionState {
  return useContext(LiveContext).state;
}

/** Calls `listener` for every alert notice while the component is mounted. */
export function useAlertNotices(listener: Listener): void {
  const { subscribe } = useContext(LiveContext);
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe((n) => latest.current(n)), [subscribe]);
}

/** Calls `listener` whenever readings were stored for series the person may read. */
export function useReadingNotices(listener: ReadingsListener): void {
  const { subscribeReadings } = useContext(LiveContext);
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribeReadings((n) => latest.current(n)), [subscribeReadings]);
}

/** Calls `listener` whenever an alert from a federation node below landed or changed on a unit the person reads. */
export function useRemoteAlertNotices(listener: RemoteListener): void {
  const { subscribeRemote } = useContext(LiveContext);
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribeRemote((n) => latest.current(n)), [subscribeRemote]);
}

const time = (d: Date) => d.toLocaleTimeString('en-GB');

export function ConnectionStatus() {
  const s = useConnection();
  const [level, text] =
    s.kind === 'connecting'
      ? ['unknown', 'Connecting…']
      : s.kind === 'connected'
        ? [
            'ok',
            s.reconnected
              ? `Reconnected at ${time(s.since)}`
              : s.live
                ? 'Live: readings and alerts arrive as they happen'
                : 'Connected',
          ]
        : ['alarm', `Connection lost at ${time(s.since)}; reconnecting (attempt ${s.attempts})`];
  return (
    <span className={`connection health health-${level}`} role="status" data-connection={s.kind}>
      <span aria-hidden="true" className="health-dot">
        {level === 'ok' ? '●' : level === 'alarm' ? '✕' : '…'}
      </span>
      {text}
    </span>
  );
}
