// The session in React: main.tsx provides it, components take it with useSession().
import { createContext, useContext } from 'react';
import type { Session } from '../session/session.ts';

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside <SessionContext>: main.tsx provides the session');
  return session;
}
