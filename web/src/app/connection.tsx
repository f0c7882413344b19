// Whether the Opsroom is connected to the server: shown in the header, in words, with drops and reconnects.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected'; since: Date; reconnected: boolean }
  | { kind: 'dropped'; since: Date; attempts: number };

const ConnectionContext = createContext<ConnectionState>({ kind: 'connecting' });

const PERIOD_MS = 5000;

/** Polls system.health; a failed poll marks the connection dropped until one succeeds again. */
export function ConnectionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<ConnectionState>({ kind: 'connecting' });
  useEffect(() => {
    let stopped = false;
    const check = async () => {
      let ok = false;
      try {
        ok = (await api.POST('/api/system/health', { body: {} })).response.ok;
      } catch {
        ok = false;
      }
      if (stopped) return;
      setState((s) => {
        if (ok)
          return s.kind === 'connected'
            ? s
            : { kind: 'connected', since: new Date(), reconnected: s.kind === 'dropped' };
        return s.kind === 'dropped'
          ? { ...s, attempts: s.attempts + 1 }
          : { kind: 'dropped', since: new Date(), attempts: 1 };
      });
    };
    void check();
    const timer = window.setInterval(() => void check(), PERIOD_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, []);
  return <ConnectionContext.Provider value={state}>{children}</ConnectionContext.Provider>;
}

export function useConnection(): ConnectionState {
  return useContext(ConnectionContext);
}

const time = (d: Date) => d.toLocaleTimeString('en-GB');

export function ConnectionStatus() {
  const s = useConnection();
  const [level, text] =
    s.kind === 'connecting'
      ? ['unknown', 'Connecting…']
      : s.kind === 'connected'
        ? ['ok', s.reconnected ? `Reconnected at ${time(s.since)}` : 'Live']
        : ['alarm', `Connection lost at ${time(s.since)}; retrying (attempt ${s.attempts})`];
  return (
    <span className={`connection health health-${level}`} role="status" data-connection={s.kind}>
      <span aria-hidden="true" className="health-dot">
        {level === 'ok' ? '●' : level === 'alarm' ? '✕' : '…'}
      </span>
      {text}
    </span>
  );
}
