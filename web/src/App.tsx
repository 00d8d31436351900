import { Anchor, Center, Stack, Text } from '@mantine/core';
import { lazy, Suspense, useEffect } from 'react';
import { useAuth } from './auth/auth';
import { rememberReturnTo } from './auth/return-to';
import { useI18n } from './i18n/i18n';
import { AppHeader } from './layout/AppHeader';
import { Loading } from './layout/States';
import { LoginPage, RegisterPage } from './pages/AuthPages';
import { HomePage } from './pages/HomePage';
import { Link, navigate, useRoute } from './lib/router';
import type { Route } from './lib/routes';
import { getSocket } from './lib/socket';

// The terminal (xterm.js) and the dashboard load on first use, so signing in stays light.
const WorkspacePage = lazy(() =>
  import('./workspace/WorkspacePage').then((m) => ({ default: m.WorkspacePage })),
);
const DashboardPage = lazy(() =>
  import('./dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })),
);
const ReplayPage = lazy(() => import('./dashboard/ReplayPage').then((m) => ({ default: m.ReplayPage })));
const LivePage = lazy(() => import('./live/LivePage').then((m) => ({ default: m.LivePage })));
// The lab editor (CodeMirror, the authoring pages) loads only for instructors who open it.
const AuthoringPage = lazy(() =>
  import('./authoring/AuthoringPage').then((m) => ({ default: m.AuthoringPage })),
);
const DraftEditorPage = lazy(() =>
  import('./authoring/DraftEditorPage').then((m) => ({ default: m.DraftEditorPage })),
);

function Screen({ route }: { route: Route }) {
  const { t } = useI18n();
  switch (route.name) {
    case 'home':
      return (
        <main id="main" className="page">
          <HomePage />
        </main>
      );
    case 'lab':
      return (
        <main id="main" className="page page-full">
          <WorkspacePage courseId={route.courseId} labId={route.labId} />
        </main>
      );
    case 'teach':
      return <DashboardPage courseId={route.courseId} labId={route.labId} />;
    case 'replay':
      return <ReplayPage courseId={route.courseId} labSessionId={route.labSessionId} />;
    case 'live':
      return <LivePage courseId={route.courseId} labSessionId={route.labSessionId} />;
    case 'authoring':
      return <AuthoringPage courseId={route.courseId} />;
    case 'draft':
      return <DraftEditorPage draftId={route.draftId} />;
    default:
      return (
        <main id="main" className="page">
          <Center p="xl">
            <Stack align="center">
              <Text>404</Text>
              <Anchor component={Link} to={{ name: 'home' }}>
                {t('nav.courses')}
              </Anchor>
            </Stack>
          </Center>
        </main>
      );
  }
}

export function App() {
  const route = useRoute();
  const { user } = useAuth();
  const publicRoute = route.name === 'login' || route.name === 'register';

  useEffect(() => {
    if (user === null && !publicRoute) {
      rememberReturnTo();
      navigate({ name: 'login' }, { replace: true });
    }
    if (user && publicRoute) navigate({ name: 'home' }, { replace: true });
    if (user) getSocket();
  }, [user, publicRoute]);

  if (user === undefined) return <Loading />;
  if (!user) {
    if (route.name === 'register') return <RegisterPage joinCode={route.joinCode} />;
    return <LoginPage />;
  }
  if (publicRoute) return <Loading />;
  return (
    <div className={route.name === 'lab' ? 'shell shell-full' : 'shell'}>
      <AppHeader live />
      <Suspense fallback={<Loading />}>
        <Screen route={route} />
      </Suspense>
    </div>
  );
}
