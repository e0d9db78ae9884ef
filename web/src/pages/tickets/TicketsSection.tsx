import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { NotFound } from '../Results';

const TicketListPage = lazy(() => import('./TicketListPage'));
const IntakePage = lazy(() => import('./IntakePage'));
const TicketDetailPage = lazy(() => import('./TicketDetailPage'));

/** /tickets, /tickets/new, /tickets/:id — each page its own lazy chunk. */
export default function TicketsSection() {
  return (
    <Routes>
      <Route index element={<TicketListPage />} />
      <Route path="new" element={<IntakePage />} />
      <Route path=":id" element={<TicketDetailPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
