import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, ApiError, onUnauthorized } from '../lib/api';
import type { User } from '@shared/http-api';
import { closeSocket } from '../lib/socket';

interface Auth {
  /** undefined while the session is being checked; null when signed out. */
  user: User | null | undefined;
  signedIn(user: User): void;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [checkError, setCheckError] = useState<string>();

  useEffect(() => {
    api.me().then(setUser, (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) setUser(null);
      else setCheckError(error instanceof Error ? error.message : String(error));
    });
  }, []);

  // An expired session anywhere sends the user back to sign in (and then to the same page).
  useEffect(
    () =>
      onUnauthorized(() => {
        closeSocket();
        setUser(null);
      }),
    [],
  );

  const signOut = useCallback(async () => {
    await api.logout().catch(() => undefined);
    closeSocket();
    setUser(null);
  }, []);

  const value = useMemo<Auth>(() => ({ user, signedIn: setUser, signOut }), [user, signOut]);
  if (checkError) {
    return (
      <div role="alert" style={{ padding: 32, fontFamily: 'sans-serif' }}>
        Kubelab cannot reach its server: {checkError}{' '}
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const context = useContext(AuthContext);
  if (!context) throw new Error('useAuth outside AuthProvider');
  return context;
}
