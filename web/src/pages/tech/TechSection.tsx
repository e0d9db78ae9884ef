import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { NotFound } from '../Results';

const TechJobsPage = lazy(() => import('./TechJobsPage'));
const TicketDetailPage = lazy(() => import('../tickets/TicketDetailPage'));

/** The technician's phone view: /jobs (today's jobs) and /jobs/:id. */
export default function TechSection() {
  return (
    <Routes>
      <Route index element={<TechJobsPage />} />
      <Route path=":id" element={<TicketDetailPage backTo="/jobs" />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
