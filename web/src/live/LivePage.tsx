import { Anchor, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { GradingUpdate } from '@shared/events';
import type { CourseStudent, LabSessionView, LabView } from '@shared/http-api';
import { useI18n } from '../i18n/i18n';
import { ErrorState, Loading } from '../layout/States';
import { api } from '../lib/api';
import { Link } from '../lib/router';
import { getSocket } from '../lib/socket';
import { useAsync } from '../lib/use-async';
import { useTitle } from '../lib/use-title';
import { TerminalPane } from '../workspace/TerminalPane';
import { LiveFiles } from './LiveFiles';

type Loaded = {
  session: LabSessionView;
  lab: LabView;
  grading: GradingUpdate | null;
  student: CourseStudent | undefined;
};

/**
 * An instructor watches one student's session as it happens: the terminal (read only: the server answers the
 * instructor's join with a read-only snapshot and then streams every run), the home's files, and the grading.
 */
export function LivePage({ courseId, labSessionId }: { courseId: string; labSessionId: string }) {
  const [data, reload] = useAsync(async (): Promise<Loaded> => {
    const session = await api.session(labSessionId);
    const [lab, grading, students] = await Promise.all([
      api.lab(courseId, session.labId),
      api.grading(labSessionId),
      api.students(courseId),
    ]);
    return { session, lab, grading, student: students.find((one) => one.id === session.userId) };
  }, [courseId, labSessionId]);

  return (
    <main id="main" className="page page-full">
      {data.status === 'error' && <ErrorState error={data.error} onRetry={() => void reload()} />}
      {!data.data && data.status === 'loading' && <Loading />}
      {data.data && <LiveView courseId={courseId} {...data.data} />}
    </main>
  );
}

function LiveView({ courseId, session, lab, grading: initial, student }: Loaded & { courseId: string }) {
  const { t, pick } = useI18n();
  const [grading, setGrading] = useState(initial);
  const who = student?.displayName ?? t('live.student');
  useTitle(`${t('live.title')}: ${who}`);

  useEffect(() => {
    const onGrading = (update: GradingUpdate) => {
      if (update.labSessionId === session.id) setGrading(update);
    };
    const socket = getSocket();
    socket.on('grading.updated', onGrading);
    return () => void socket.off('grading.updated', onGrading);
  }, [session.id]);

  const stateOf = (stepId: string) =>
    grading?.steps.find((step) => step.stepId === stepId)?.state ?? 'pending';
  return (
    <Stack gap="sm" p="md" className="live-layout">
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={1} size="h3">
            {t('live.title')}: {who}
          </Title>
          <Text size="sm" c="dimmed">
            {pick(lab.title)}
          </Text>
        </Stack>
        <Group gap="md">
          <Badge data-testid="live-score" variant="light" size="lg">
            {grading?.totalPoints ?? 0} / {grading?.maxPoints ?? lab.totalPoints} {t('live.points')}
          </Badge>
          <Anchor component={Link} to={{ name: 'replay', courseId, labSessionId: session.id }} size="sm">
            {t('teach.replay')}
          </Anchor>
          <Anchor component={Link} to={{ name: 'teach', courseId, labId: lab.id }} size="sm">
            {t('replay.back')}
          </Anchor>
        </Group>
      </Group>
      <div className="live-columns">
        <section aria-label={t('term.label')} className="live-terminal">
          <TerminalPane
            labSessionId={session.id}
            onSnapshot={() => undefined}
            onCommandFinished={() => undefined}
          />
        </section>
        <aside className="live-side">
          <Title order={2} size="h5">
            {t('live.steps')}
          </Title>
          <ol className="live-steps">
            {lab.steps.map((step) => (
              <li key={step.id} data-step={step.id} data-state={stateOf(step.id)}>
                <Text size="sm">
                  <span aria-hidden="true">{stateOf(step.id) === 'passed' ? '✓ ' : '○ '}</span>
                  {pick(step.title)}
                </Text>
              </li>
            ))}
          </ol>
          <Title order={2} size="h5">
            {t('live.files')}
          </Title>
          <LiveFiles labSessionId={session.id} />
        </aside>
      </div>
    </Stack>
  );
}
