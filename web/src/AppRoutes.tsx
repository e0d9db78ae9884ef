import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { FullPageSpin } from './layout/FullPageSpin';

// Everything behind a route is lazy: the first visit to /login downloads only
// the entry (providers, router) and the login page chunk.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const AuthenticatedApp = lazy(() => import('./layout/AuthenticatedApp'));
// Public, no login: customers open survey links from a text message on their phone.
const SurveyPage = lazy(() => import('./pages/survey/SurveyPage'));

export function AppRoutes() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/survey/:token" element={<SurveyPage />} />
        <Route
          path="/*"
          element={
            <RequireAuth>
              <AuthenticatedApp />
            </RequireAuth>
          }
        />
      </Routes>
    </Suspense>
  );
}
