// Who is signed in, and the server's clock. Deadlines live in the server's
// time (in sandbox mode a manual clock that only moves when the operator
// advances it), so countdowns run from the server's now, not the browser's.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError } from './api.ts';
import type { Clock, Session, User } from './types.ts';

interface SessionValue {
  status: 'loading' | 'signed_out' | 'signed_in';
  me: User | null;
  clock: { mode: 'system' | 'manual'; serverNowMs: number; fetchedAtMs: number } | null;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  setMe(user: User): void;
  refreshClock(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionValue['status']>('loading');
  const [me, setMeState] = useState<User | null>(null);
  const [clock, setClock] = useState<SessionValue['clock']>(null);

  const refreshClock = useCallback(async () => {
    const c = await api.get<Clock>('/v1/clock');
    setClock({ mode: c.mode, serverNowMs: Date.parse(c.now), fetchedAtMs: performance.now() });
  }, []);

  useEffect(() => {
    let live = true;
    void refreshClock().catch(() => undefined);
    api
      .get<User>('/v1/me')
      .then((user) => {
        if (!live) return;
        setMeState(user);
        setStatus('signed_in');
      })
      .catch((error: unknown) => {
        if (!live) return;
        if (!(error instanceof ApiError) || error.status !== 401) console.warn('could not load the signed-in user', error);
        setStatus('signed_out');
      });
    return () => {
      live = false;
    };
  }, [refreshClock]);

  const signIn = useCallback(async (email: string, password: string) => {
    const session = await api.post<Session>('/v1/sessions', { email, password });
    setMeState(session.user);
    setStatus('signed_in');
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.delete('/v1/sessions/current');
    } finally {
      setMeState(null);
      setStatus('signed_out');
    }
  }, []);

  const setMe = useCallback((user: User) => setMeState(user), []);
  const value = useMemo(() => ({ status, me, clock, signIn, signOut, setMe, refreshClock }), [status, me, clock, signIn, signOut, setMe, refreshClock]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for pages behind the sign-in gate. */
export function useMe(): User {
  const { me } = useSession();
  if (!me) throw new Error('useMe on a signed-out page');
  return me;
}

/** The viewer's time zone: their profile's, else the browser's. */
export function useZone(): string {
  const { me } = useSession();
  return me?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The server's now in ms, re-rendering every second with the system clock.
 * The sandbox clock stands still between advances, so it does not tick.
 */
export function useServerNow(): number {
  const { clock } = useSession();
  const compute = useCallback(() => (clock ? (clock.mode === 'manual' ? clock.serverNowMs : clock.serverNowMs + (performance.now() - clock.fetchedAtMs)) : Date.now()), [clock]);
  const [now, setNow] = useState(compute);
  useEffect(() => {
    setNow(compute());
    if (clock?.mode === 'manual') return;
    const timer = window.setInterval(() => setNow(compute()), 1000);
    return () => window.clearInterval(timer);
  }, [clock, compute]);
  return now;
}
