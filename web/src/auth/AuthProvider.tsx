import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, setUnauthorizedHandler } from '../api/client';
import { authApi } from '../api/endpoints';
import type { User } from '../api/types';
import { safeNextPath } from '../nav/menu';

export type AuthStatus = 'loading' | 'authenticated' | 'anonymous';
export type AuthNotice = 'expired' | 'loggedOut' | null;

interface AuthContextValue {
  status: AuthStatus;
  user: User | null;
  /** why the user is on the login page, shown there once */
  notice: AuthNotice;
  login: (username: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** `/login?next=…` for the page the user is on now (nothing for the root). */
export function loginPathFor(current: string): string {
  const next = safeNextPath(current);
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [user, setUser] = useState<User | null>(null);
  const [notice, setNotice] = useState<AuthNotice>(null);
  const statusRef = useRef(status);
  statusRef.current = status;

  // Who is logged in? The cookie is HttpOnly, so ask the server.
  useEffect(() => {
    const ac = new AbortController();
    authApi
      .me(ac.signal)
      .then(({ user }) => {
        setUser(user);
        setStatus('authenticated');
      })
      .catch((e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') return;
        setUser(null);
        setStatus('anonymous');
      });
    return () => ac.abort();
  }, []);

  // Any 401 from a data request: the session expired or was revoked.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (statusRef.current !== 'authenticated') return;
      statusRef.current = 'anonymous';
      const here = window.location.pathname + window.location.search;
      setUser(null);
      setStatus('anonymous');
      setNotice('expired');
      navigate(loginPathFor(here), { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate]);

  const login = useCallback(async (username: string, password: string) => {
    const res = await authApi.login(username, password);
    setUser(res.user);
    setNotice(null);
    setStatus('authenticated');
    return res.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch (e) {
      // 401: the session had already expired — the user is logged out either way
      if (!(e instanceof ApiError && e.status === 401)) throw e;
    } finally {
      statusRef.current = 'anonymous';
      setUser(null);
      setStatus('anonymous');
      setNotice('loggedOut');
      navigate('/login', { replace: true });
    }
  }, [navigate]);

  const value = useMemo(() => ({ status, user, notice, login, logout }), [status, user, notice, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
