import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useAuth, loginPathFor } from './AuthProvider';
import { FullPageSpin } from '../layout/FullPageSpin';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'anonymous') return <Navigate to={loginPathFor(location.pathname + location.search)} replace />;
  return <>{children}</>;
}
