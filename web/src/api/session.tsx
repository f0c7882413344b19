// Who is signed in: auth.whoami on load, sign-in and sign-out, shared with every page.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, unwrap, type OpOutput } from './client';

export type WhoAmI = OpOutput<'auth.whoami'>;

export interface Session {
  /** Undefined while the first whoami is in flight. */
  who: WhoAmI | undefined;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  refresh: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [who, setWho] = useState<WhoAmI | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      setWho(await unwrap(api.POST('/api/auth/whoami', { body: {} })));
    } catch {
      setWho({ kind: 'anonymous', grants: [] });
    }
  }, []);
  const signIn = useCallback(
    async (email: string, password: string) => {
      await unwrap(api.POST('/api/auth/login', { body: { email, password } }));
      await refresh();
    },
    [refresh],
  );
  const signOut = useCallback(async () => {
    await unwrap(api.POST('/api/auth/logout', { body: {} }));
    await refresh();
  }, [refresh]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const value = useMemo(() => ({ who, signIn, signOut, refresh }), [who, signIn, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Whether the signed-in person holds one of the roles anywhere (the server still checks each call). */
export function hasRole(who: WhoAmI | undefined, roles: readonly string[]): boolean {
  return who?.grants.some((g) => roles.includes(g.role)) ?? false;
}
