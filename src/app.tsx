/**
 * Routes. Role pages are lazy-loaded (the first screen carries only the shell, the session and the
 * sync layer); the camera scanner is lazy-loaded by its own pages, never from here.
 */
import { lazy, Show, type JSX, type ParentProps } from 'solid-js';
import { Router, Route, Navigate, A } from '@solidjs/router';
import { t } from './i18n';
import { principal } from './client/session-state';
import { AppShell } from './ui/AppShell';
import { UpdateToast } from './ui/Notices';
import type { Role } from './domain/schemas';
import { homeOf, paths } from './pages/routes';

const LoginPage = lazy(() => import('./pages/login/LoginPage'));
const InspectorHome = lazy(() => import('./pages/inspector/InspectorHome'));
const AgencyHome = lazy(() => import('./pages/agency/AgencyHome'));
const PlanEditorPage = lazy(() => import('./pages/agency/PlanEditorPage'));
const JointPage = lazy(() => import('./pages/agency/JointPage'));
const TasksPage = lazy(() => import('./pages/agency/TasksPage'));
const SupervisorHome = lazy(() => import('./pages/supervisor/SupervisorHome'));
const WarningsPage = lazy(() => import('./pages/supervisor/WarningsPage'));
const EnterpriseHome = lazy(() => import('./pages/enterprise/EnterpriseHome'));
const CheckinPage = lazy(() => import('./pages/inspector/CheckinPage'));
const TriggeredPage = lazy(() => import('./pages/inspector/TriggeredPage'));
const JoinPage = lazy(() => import('./pages/inspector/JoinPage'));
const FollowUpsPage = lazy(() => import('./pages/agency/FollowUpsPage'));
const PublicCodePage = lazy(() => import('./pages/public/PublicCodePage'));
const PublicPlansPage = lazy(() => import('./pages/public/PublicPlansPage'));
const PasswordPage = lazy(() => import('./pages/account/PasswordPage'));
const AccountsPage = lazy(() => import('./pages/supervisor/AccountsPage'));
const StaffPage = lazy(() => import('./pages/agency/StaffPage'));
const ActivatePage = lazy(() => import('./pages/login/ActivatePage'));
const EnterprisesPage = lazy(() => import('./pages/supervisor/EnterprisesPage'));
const CertificatesPage = lazy(() => import('./pages/supervisor/CertificatesPage'));
const PolicyPage = lazy(() => import('./pages/supervisor/PolicyPage'));
const AuditPage = lazy(() => import('./pages/admin/AuditPage'));
const CataloguePage = lazy(() => import('./pages/agency/CataloguePage'));
const PublicCataloguePage = lazy(() => import('./pages/public/PublicCataloguePage'));
const PublicBodiesPage = lazy(() => import('./pages/public/PublicBodiesPage'));
const PublicHandbooksPage = lazy(() => import('./pages/public/PublicHandbooksPage'));
const AgencyDrawsPage = lazy(() => import('./pages/agency/DrawsPage'));
const SupervisorDrawsPage = lazy(() => import('./pages/supervisor/DrawsPage'));
const DrawPage = lazy(() => import('./pages/draws/DrawPage'));
const PublicDrawsPage = lazy(() => import('./pages/public/PublicDrawsPage'));
const PublicDrawPage = lazy(() => import('./pages/public/PublicDrawPage'));
const PublicDrawSpecPage = lazy(() => import('./pages/public/PublicDrawSpecPage'));
const StatsPage = lazy(() => import('./pages/stats/StatsPage'));
const ReportPage = lazy(() => import('./pages/stats/ReportPage'));
const EnterpriseFilePage = lazy(() => import('./pages/supervisor/EnterpriseFilePage'));

/** renders its children only for a signed-in user of one of `roles`; else sends to sign-in or home */
function Guard(p: ParentProps<{ roles?: Role[] }>): JSX.Element {
  return (
    <Show when={principal()} fallback={<Navigate href={paths.login} />}>
      {(pr) => (
        <Show when={!p.roles || p.roles.includes(pr().role)} fallback={<Navigate href={homeOf(pr().role)} />}>
          {p.children}
        </Show>
      )}
    </Show>
  );
}

const guarded = (C: () => JSX.Element, roles?: Role[]) => () => (
  <Guard roles={roles}>
    <C />
  </Guard>
);

function Home(): JSX.Element {
  return (
    <Show when={principal()} fallback={<Navigate href={paths.login} />}>
      {(p) => <Navigate href={homeOf(p().role)} />}
    </Show>
  );
}

function Login(): JSX.Element {
  return (
    <Show when={!principal()} fallback={<Navigate href={homeOf(principal()!.role)} />}>
      <LoginPage />
    </Show>
  );
}

function NotFound(): JSX.Element {
  return (
    <section class="page">
      <h1>{t('app.notFound')}</h1>
      <A href="/">{t('app.backHome')}</A>
    </section>
  );
}

function Layout(p: ParentProps): JSX.Element {
  return (
    <>
      <AppShell>{p.children}</AppShell>
      <UpdateToast />
    </>
  );
}

export default function App(): JSX.Element {
  return (
    <Router root={Layout}>
      <Route path="/" component={Home} />
      <Route path={paths.login} component={Login} />
      <Route path={paths.inspector} component={guarded(InspectorHome, ['inspector'])} />
      <Route path="/inspector/task/:taskId" component={guarded(CheckinPage, ['inspector'])} />
      <Route path={paths.triggered} component={guarded(TriggeredPage, ['inspector'])} />
      <Route path={paths.inspectorJoin} component={guarded(JoinPage, ['inspector'])} />
      <Route path="/c" component={PublicCodePage} />
      <Route path={paths.publicPlans} component={PublicPlansPage} />
      <Route path={paths.agency} component={guarded(AgencyHome, ['agency'])} />
      <Route path="/agency/plan/:year" component={guarded(PlanEditorPage, ['agency'])} />
      <Route path="/plan/:agencyId/:year" component={guarded(PlanEditorPage)} />
      <Route path="/agency/joint/:id" component={guarded(JointPage, ['agency', 'supervisor'])} />
      <Route path="/agency/tasks/:year" component={guarded(TasksPage, ['agency'])} />
      <Route path={paths.supervisor} component={guarded(SupervisorHome, ['supervisor'])} />
      <Route path={paths.supervisorWarnings} component={guarded(WarningsPage, ['supervisor'])} />
      <Route path={paths.enterprise} component={guarded(EnterpriseHome, ['enterprise'])} />
      <Route path={paths.password} component={guarded(PasswordPage)} />
      <Route path={paths.adminAccounts} component={guarded(AccountsPage, ['supervisor'])} />
      <Route path={paths.agencyStaff} component={guarded(StaffPage, ['agency'])} />
      <Route path={paths.agencyFollowups} component={guarded(FollowUpsPage, ['agency'])} />
      <Route path={paths.activate} component={ActivatePage} />
      <Route path={paths.adminEnterprises} component={guarded(EnterprisesPage, ['supervisor'])} />
      <Route path={paths.adminCertificates} component={guarded(CertificatesPage, ['supervisor'])} />
      <Route path={paths.adminPolicy} component={guarded(PolicyPage, ['supervisor'])} />
      <Route path={paths.audit} component={guarded(AuditPage, ['supervisor', 'agency'])} />
      <Route path={paths.agencyCatalogue} component={guarded(CataloguePage, ['agency'])} />
      <Route path={paths.publicCatalogue} component={PublicCataloguePage} />
      <Route path={paths.publicBodies} component={PublicBodiesPage} />
      <Route path={paths.publicHandbooks} component={PublicHandbooksPage} />
      <Route path={paths.agencyDraws} component={guarded(AgencyDrawsPage, ['agency'])} />
      <Route path={paths.supervisorDraws} component={guarded(SupervisorDrawsPage, ['supervisor'])} />
      <Route path="/draws/:id" component={guarded(DrawPage, ['agency', 'supervisor'])} />
      <Route path={paths.publicDraws} component={PublicDrawsPage} />
      <Route path="/public/draws/:id" component={PublicDrawPage} />
      <Route path={paths.publicDrawSpec} component={PublicDrawSpecPage} />
      <Route path={paths.stats} component={guarded(StatsPage, ['agency', 'supervisor'])} />
      <Route path="/stats/report/:year" component={guarded(ReportPage, ['agency', 'supervisor'])} />
      <Route path={paths.enterpriseFiles} component={guarded(EnterpriseFilePage, ['supervisor'])} />
      <Route path="/supervisor/file/:uscc" component={guarded(EnterpriseFilePage, ['supervisor'])} />
      <Route path="*404" component={NotFound} />
    </Router>
  );
}
