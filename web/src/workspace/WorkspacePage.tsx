import { Alert, Anchor, Badge, Button, Group, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type {
  ClusterStatusEvent,
  CommandEditor,
  CommandExit,
  GradingUpdate,
  SessionSnapshot,
} from '@shared/events';
import { useI18n } from '../i18n/i18n';
import { ErrorState, Loading } from '../layout/States';
import { api, ApiError, errorMessage } from '../lib/api';
import type { LabSessionView, LabView } from '@shared/http-api';
import { renderMarkdown } from '../lib/markdown';
import { Link } from '../lib/router';
import { getSocket, useConnection } from '../lib/socket';
import { useTitle } from '../lib/use-title';
import { editorRequest } from '../editor/home-files';
import { OwnKubectl } from '../kube-api/OwnKubectlPanel';
import { ClusterPanel } from './ClusterPanel';
import { StepList } from './StepList';
import { TerminalPane } from './TerminalPane';
import type { FinishedRun } from './terminal-session';

// CodeMirror and the schema checks load with the editor, not with the page.
const EditorPane = lazy(() => import('../editor/EditorPane'));
const EDITOR_OPEN_KEY = 'kubelab.editor.open';

type Loaded = { lab: LabView; session: LabSessionView; grading: GradingUpdate | null };

export function WorkspacePage({ courseId, labId }: { courseId: string; labId: string }) {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setError(undefined);
    (async () => {
      const lab = await api.lab(courseId, labId);
      const session = await api.startSession(courseId, labId);
      const grading = await api.grading(session.id);
      if (current) setLoaded({ lab, session, grading });
    })().catch((caught: unknown) => current && setError(caught));
    return () => {
      current = false;
    };
  }, [courseId, labId, attempt]);

  if (error instanceof ApiError && error.status === 403) {
    return (
      <Stack p="xl" maw={640} mx="auto">
        <Alert color="blue" role="alert">
          {t('lab.studentsOnly')}
        </Alert>
        <Anchor component={Link} to={{ name: 'teach', courseId, labId }}>
          {t('home.dashboard')}
        </Anchor>
      </Stack>
    );
  }
  if (error) {
    return (
      <Stack p="xl" maw={640} mx="auto">
        <ErrorState error={error} onRetry={() => setAttempt(attempt + 1)} />
      </Stack>
    );
  }
  if (!loaded) return <Loading />;
  return <Workspace {...loaded} />;
}

function Workspace({ lab, session: initialSession, grading: initialGrading }: Loaded) {
  const { t, pick } = useI18n();
  const [session, setSession] = useState(initialSession);
  const [grading, setGrading] = useState(initialGrading);
  const [cluster, setCluster] = useState<ClusterStatusEvent | null>(initialSession.cluster);
  const [idleWarningAt, setIdleWarningAt] = useState<string | null>(null);
  const [recentlyPassed, setRecentlyPassed] = useState<string[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState({ extend: false, reset: false });
  const [actionError, setActionError] = useState<string>();
  const [actionNote, setActionNote] = useState<string>();
  const [terminalKey, setTerminalKey] = useState(0);
  const [editorOpen, setEditorOpen] = useState(() => sessionStorage.getItem(EDITOR_OPEN_KEY) === 'yes');
  const [editorTarget, setEditorTarget] = useState<{ path: string }>();
  const showEditor = useCallback((open: boolean) => {
    sessionStorage.setItem(EDITOR_OPEN_KEY, open ? 'yes' : 'no');
    setEditorOpen(open);
  }, []);
  /** The buffer a running `kubectl edit` opened in the editor pane, until it is closed or the run ends. */
  const [editBuffer, setEditBuffer] = useState<CommandEditor>();
  const editBuffersOpened = useRef(0);
  const sessionId = session.id;
  const connection = useConnection();
  useTitle(pick(lab.title));
  const refreshTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const stepTitle = useCallback(
    (stepId: string) => pick(lab.steps.find((step) => step.id === stepId)?.title),
    [lab, pick],
  );

  useEffect(() => {
    const socket = getSocket();
    const onCluster = (event: ClusterStatusEvent) => {
      if (event.labSessionId !== sessionId) return;
      // After a reset the old cluster's last words ("stopping", "gone") can arrive after the new
      // one's first: they no longer describe the session.
      setCluster((current) =>
        current &&
        current.clusterId !== event.clusterId &&
        (event.status === 'stopping' || event.status === 'gone')
          ? current
          : event,
      );
      if (event.idleExpiresAt !== undefined || event.hardDeadlineAt !== undefined) {
        setSession((previous) => ({
          ...previous,
          idleExpiresAt: event.idleExpiresAt ?? previous.idleExpiresAt,
          hardDeadlineAt: event.hardDeadlineAt ?? previous.hardDeadlineAt,
        }));
      }
    };
    const onWarning = (event: { labSessionId: string; expiresAt: string }) => {
      if (event.labSessionId === sessionId) setIdleWarningAt(event.expiresAt);
    };
    const onGrading = (update: GradingUpdate) => {
      if (update.labSessionId !== sessionId) return;
      setGrading(update);
      setChecking(false);
      if (update.newlyPassed.length > 0) {
        setRecentlyPassed(update.newlyPassed);
        setAnnouncement(
          update.newlyPassed.map((id) => t('lab.newlyPassed', { title: stepTitle(id) })).join(' '),
        );
      }
    };
    socket.on('cluster.status', onCluster);
    socket.on('cluster.idle-warning', onWarning);
    socket.on('grading.updated', onGrading);
    return () => {
      socket.off('cluster.status', onCluster);
      socket.off('cluster.idle-warning', onWarning);
      socket.off('grading.updated', onGrading);
    };
  }, [sessionId, stepTitle, t]);

  const onSnapshot = useCallback(
    (snapshot: SessionSnapshot) => {
      if (snapshot.cluster) setCluster(snapshot.cluster);
      // A reload or reconnect: the `kubectl edit` buffer still waiting comes back (the same one is left as it is,
      // with what was typed); one that was closed or whose run ended meanwhile goes.
      const editing = snapshot.editing;
      if (editing) showEditor(true);
      setEditBuffer((open) => {
        if (!editing) return undefined;
        if (open?.runId === editing.runId && open.text === editing.text) return open;
        editBuffersOpened.current++;
        return editing;
      });
      // Grading may have moved on while we were away (reconnect): fetch the current state.
      api.grading(sessionId).then(
        (update) => update && setGrading(update),
        () => undefined,
      );
    },
    [sessionId, showEditor],
  );

  // `kubectl edit` opens its buffer in the editor pane; the run's end (edited, cancelled, Ctrl-C) closes it.
  useEffect(() => {
    const socket = getSocket();
    const onEditor = (event: CommandEditor) => {
      if (event.labSessionId !== sessionId) return;
      showEditor(true);
      editBuffersOpened.current++;
      setEditBuffer(event);
    };
    const onExit = (event: CommandExit) => {
      if (event.labSessionId === sessionId)
        setEditBuffer((open) => (open?.runId === event.runId ? undefined : open));
    };
    socket.on('command.editor', onEditor);
    socket.on('command.exit', onExit);
    return () => {
      socket.off('command.editor', onEditor);
      socket.off('command.exit', onExit);
    };
  }, [sessionId, showEditor]);
  const closeEditBuffer = useCallback(() => setEditBuffer(undefined), []);

  // Each command pushes the idle expiry back on the server; read it again shortly after.
  // `vim FILE` (and vi, nano) opens the file in the editor pane.
  const onCommandFinished = useCallback(
    (run: FinishedRun) => {
      const path = editorRequest(run.command, run.output, run.exitCode);
      if (path !== undefined) {
        showEditor(true);
        setEditorTarget({ path });
      }
      setIdleWarningAt(null);
      clearTimeout(refreshTimer.current);
      refreshTimer.current = setTimeout(() => {
        api.session(sessionId).then(
          (view) => {
            setSession(view);
            if (view.cluster) setCluster(view.cluster);
          },
          () => undefined,
        );
      }, 800);
    },
    [sessionId, showEditor],
  );
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  const check = async () => {
    setChecking(true);
    try {
      await api.requestGrading(sessionId);
      // The result arrives as grading.updated; stop the spinner anyway if it never does.
      setTimeout(() => setChecking(false), 15000);
    } catch (caught) {
      setChecking(false);
      setActionError(errorMessage(caught));
    }
  };

  const extend = async () => {
    setBusy((b) => ({ ...b, extend: true }));
    setActionError(undefined);
    try {
      const view = await api.extendSession(sessionId);
      setSession(view);
      if (view.cluster) setCluster(view.cluster);
      setIdleWarningAt(null);
      if (view.idleExpiresAt)
        setActionNote(t('cluster.extended', { time: new Date(view.idleExpiresAt).toLocaleTimeString() }));
    } catch (caught) {
      setActionError(errorMessage(caught));
    } finally {
      setBusy((b) => ({ ...b, extend: false }));
    }
  };

  const reset = async () => {
    if (!window.confirm(t('cluster.resetConfirm'))) return;
    setBusy((b) => ({ ...b, reset: true }));
    setActionError(undefined);
    try {
      const view = await api.resetSession(sessionId);
      setSession(view);
      setCluster(view.cluster);
      setActionNote(t('cluster.resetDone'));
      // A fresh cluster has a fresh shell: redraw the terminal from history with the plain prompt.
      setTerminalKey((key) => key + 1);
    } catch (caught) {
      setActionError(errorMessage(caught));
    } finally {
      setBusy((b) => ({ ...b, reset: false }));
    }
  };

  return (
    <div className="workspace">
      <aside className="workspace-guide" aria-label={t('lab.steps')}>
        <ScrollArea h="100%" type="auto" offsetScrollbars>
          <Stack gap="md" p="md">
            <div>
              <Anchor component={Link} to={{ name: 'home' }} size="sm">
                ← {t('nav.courses')}
              </Anchor>
              <Title order={1} size="h3">
                {pick(lab.title)}
              </Title>
              <Group gap="xs" mt={4}>
                <Badge variant="light">{t('common.minutes', { minutes: lab.estimatedMinutes })}</Badge>
              </Group>
            </div>
            <details className="lab-description">
              <summary>{t('lab.description')}</summary>
              <div
                className="markdown"
                dangerouslySetInnerHTML={{ __html: renderMarkdown(pick(lab.description)) }}
              />
            </details>
            <StepList
              lab={lab}
              grading={grading}
              checking={checking}
              onCheck={() => void check()}
              recentlyPassed={recentlyPassed}
            />
          </Stack>
        </ScrollArea>
      </aside>
      <section className="workspace-terminal" aria-label={t('term.label')}>
        <ClusterPanel
          cluster={cluster}
          idleExpiresAt={session.idleExpiresAt}
          hardDeadlineAt={session.hardDeadlineAt}
          idleWarningAt={idleWarningAt}
          busy={busy}
          onExtend={() => void extend()}
          onReset={() => void reset()}
        />
        {(actionError || actionNote) && (
          <Alert
            color={actionError ? 'red' : 'teal'}
            p="xs"
            mx="sm"
            mt="xs"
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={() => {
              setActionError(undefined);
              setActionNote(undefined);
            }}
            role={actionError ? 'alert' : 'status'}
          >
            <Text size="sm">{actionError ?? actionNote}</Text>
          </Alert>
        )}
        {(connection.state === 'disconnected' || connection.state === 'refused') && (
          <Alert color="orange" p="xs" mx="sm" mt="xs" role="alert" data-testid="offline">
            <Text size="sm">
              {connection.state === 'refused'
                ? t('conn.refused', { message: connection.message })
                : t('term.offline')}
            </Text>
          </Alert>
        )}
        <Group justify="flex-end" px="sm" py={2} gap="xs" className="editor-toggle">
          <OwnKubectl labSessionId={sessionId} />
          <Button
            size="compact-xs"
            variant="light"
            aria-expanded={editorOpen}
            onClick={() => showEditor(!editorOpen)}
            data-testid="editor-toggle"
          >
            {editorOpen ? t('editor.hide') : t('editor.show')}
          </Button>
        </Group>
        <div className="workspace-split" data-editor={editorOpen}>
          {editorOpen && (
            <Suspense fallback={<Loading />}>
              <EditorPane
                labSessionId={sessionId}
                request={editorTarget}
                editBuffer={editBuffer}
                editKey={editBuffersOpened.current}
                onEditClosed={closeEditBuffer}
              />
            </Suspense>
          )}
          <TerminalPane
            key={terminalKey}
            labSessionId={sessionId}
            onSnapshot={onSnapshot}
            onCommandFinished={onCommandFinished}
          />
        </div>
        <div className="visually-hidden" role="status" aria-live="polite" data-testid="announcement">
          {announcement}
        </div>
      </section>
    </div>
  );
}
