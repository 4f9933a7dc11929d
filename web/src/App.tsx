// The route table and the sign-in gate. Pages are one file each under pages/.

import type { ReactElement } from 'react';
import { Layout } from './components/Layout.tsx';
import { Loading } from './components/ui.tsx';
import { matchPath, Redirect, useRouter } from './lib/router.tsx';
import { useSession } from './lib/session.tsx';
import { BalancePage } from './pages/Balance.tsx';
import { CasesPage } from './pages/Cases.tsx';
import { ContractPage } from './pages/Contract.tsx';
import { ContractsPage } from './pages/Contracts.tsx';
import { DisputePage } from './pages/Dispute.tsx';
import { MyJobsPage } from './pages/MyJobs.tsx';
import { NewContractPage } from './pages/NewContract.tsx';
import { NotFoundPage } from './pages/NotFound.tsx';
import { NotificationsPage } from './pages/Notifications.tsx';
import { OperatorPage } from './pages/Operator.tsx';
import { ReviewQueuePage } from './pages/ReviewQueue.tsx';
import { SettingsPage } from './pages/Settings.tsx';
import { LoginPage, SignUpPage } from './pages/SignIn.tsx';
import type { Role } from './lib/types.ts';

interface Route {
  path: string;
  page: (params: Record<string, string>) => ReactElement;
}

/** Pages for signed-in people. */
const ROUTES: Route[] = [
  { path: '/jobs', page: () => <MyJobsPage /> },
  { path: '/contracts', page: () => <ContractsPage /> },
  { path: '/contracts/new', page: () => <NewContractPage /> },
  { path: '/contracts/:id', page: (p) => <ContractPage id={p.id!} key={p.id} /> },
  { path: '/disputes/:id', page: (p) => <DisputePage id={p.id!} key={p.id} /> },
  { path: '/balance', page: () => <BalancePage /> },
  { path: '/notifications', page: () => <NotificationsPage /> },
  { path: '/review', page: () => <ReviewQueuePage /> },
  { path: '/cases', page: () => <CasesPage /> },
  { path: '/settings', page: () => <SettingsPage /> },
];

const HOME: Record<Role, string> = { member: '/jobs', staff: '/review', arbitrator: '/cases' };

export function App() {
  const { status, me } = useSession();
  const { path } = useRouter();

  // The operator panel works with the operator's token, signed in or not.
  if (path === '/operator') return <OperatorPage />;
  if (status === 'loading') return <Loading what="Opening Settle" />;

  if (status === 'signed_out') {
    if (path === '/signup') return <SignUpPage />;
    if (path !== '/login') {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(path + window.location.search)}`;
      return <Redirect to={`/login${next}`} />;
    }
    return <LoginPage />;
  }

  if (path === '/' || path === '/login' || path === '/signup') return <Redirect to={HOME[me!.role]} />;
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (params) return <Layout>{route.page(params)}</Layout>;
  }
  return (
    <Layout>
      <NotFoundPage />
    </Layout>
  );
}
