import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { NotFound } from '../Results';

const MyRequestsPage = lazy(() => import('./MyRequestsPage'));
const IntakePage = lazy(() => import('../tickets/IntakePage'));
const TicketDetailPage = lazy(() => import('../tickets/TicketDetailPage'));

/** The customer portal: /my/requests, /my/requests/new, /my/requests/:id. */
export default function PortalSection() {
  return (
    <Routes>
      <Route index element={<MyRequestsPage />} />
      <Route path="new" element={<IntakePage portal />} />
      <Route path=":id" element={<TicketDetailPage portal />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
