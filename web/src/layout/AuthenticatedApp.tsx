import { lazy, Suspense, type ReactNode } from 'react';
import { App as AntApp } from 'antd';
import { Navigate, Route, Routes } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { MENU_ITEMS, canAccessPath, homePathForRole, type MenuItemDef } from '../nav/menu';
import { AppShell } from './AppShell';
import { ComingSoon, Forbidden, NotFound } from '../pages/Results';
import { FullPageSpin } from './FullPageSpin';

const CustomersPage = lazy(() => import('../pages/CustomersPage'));
const ProjectsPage = lazy(() => import('../pages/ProjectsPage'));
const StaffPage = lazy(() => import('../pages/StaffPage'));
const TicketsSection = lazy(() => import('../pages/tickets/TicketsSection'));
const PortalSection = lazy(() => import('../pages/portal/PortalSection'));
const TechSection = lazy(() => import('../pages/tech/TechSection'));
const DispatchBoardPage = lazy(() => import('../pages/dispatch/DispatchBoardPage'));
const DashboardPage = lazy(() => import('../pages/dashboard/DashboardPage'));

function pageFor(item: MenuItemDef): ReactNode {
  switch (item.key) {
    case 'customers':
      return <CustomersPage />;
    case 'projects':
      return <ProjectsPage />;
    case 'myProjects':
      return <ProjectsPage mine />;
    case 'staff':
      return <StaffPage />;
    case 'tickets':
      return <TicketsSection />;
    case 'myRequests':
      return <PortalSection />;
    case 'myJobs':
      return <TechSection />;
    case 'dispatch':
      return <DispatchBoardPage />;
    case 'workbench':
      return <DashboardPage />;
    default:
      return <ComingSoon labelId={item.labelId} />;
  }
}

function RoleGate({ item, children }: { item: MenuItemDef; children: ReactNode }) {
  const { user } = useAuth();
  if (!user || !canAccessPath(user.role, item.path)) return <Forbidden />;
  return <>{children}</>;
}

/** Everything behind the login: the shell and its pages (one lazy chunk, pages lazier still). */
export default function AuthenticatedApp() {
  const { user } = useAuth();
  const home = homePathForRole(user?.role ?? '');
  return (
    <AntApp>
    <AppShell>
      <Suspense fallback={<FullPageSpin />}>
        <Routes>
          <Route index element={<Navigate to={home} replace />} />
          {MENU_ITEMS.map((item) => (
            <Route
              key={item.key}
              path={`${item.path.slice(1)}/*`}
              element={<RoleGate item={item}>{pageFor(item)}</RoleGate>}
            />
          ))}
          <Route path="workbench/*" element={<Navigate to="/dashboard" replace />} />
          <Route path="forbidden" element={<Forbidden />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </AppShell>
    </AntApp>
  );
}
