import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { FormEvent, useState } from 'react';
import type { GradingUpdate } from '@shared/events';
import { useI18n } from '../i18n/i18n';
import { EmptyState, ErrorState, Loading } from '../layout/States';
import { api, errorMessage } from '../lib/api';
import type { LabView, Replay } from '@shared/http-api';
import { Link } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { plainText } from '../lib/plain-text';
import { useTitle } from '../lib/use-title';
import { groupReplay, ReplayItem } from './replay-items';
import { ReplayFiles } from './ReplayFiles';

type Filter = 'all' | 'command' | 'grading';

export function ReplayPage({ courseId, labSessionId }: { courseId: string; labSessionId: string }) {
  const { t } = useI18n();
  const [data, reload] = useAsync(async () => {
    const replay = await api.replay(labSessionId);
    const [lab, grading] = await Promise.all([
      api.lab(courseId, replay.session.labId),
      api.grading(labSessionId),
    ]);
    return { replay, lab, grading };
  }, [courseId, labSessionId]);

  return (
    <main id="main" className="page">
      <Stack gap="md" p="md" maw={1280} mx="auto">
        <Anchor component={Link} to={{ name: 'teach', courseId }} size="sm">
          ← {t('replay.back')}
        </Anchor>
        {data.status === 'error' && <ErrorState error={data.error} onRetry={() => void reload()} />}
        {!data.data && data.status === 'loading' && <Loading />}
        {data.data && <ReplayView {...data.data} onChanged={() => void reload()} />}
      </Stack>
    </main>
  );
}

function ReplayView({
  replay,
  lab,
  grading,
  onChanged,
}: {
  replay: Replay;
  lab: LabView;
  grading: GradingUpdate | null;
  onChanged(): void;
}) {
  const { t, pick } = useI18n();
  const [filter, setFilter] = useState<Filter>('all');
  useTitle(`${t('replay.title')}: ${replay.student.displayName}`);
  const items = groupReplay(
    replay.events.filter(
      (event) =>
        filter === 'all' || event.type === filter || (filter === 'grading' && event.type === 'override'),
    ),
  );
  const stepTitle = (stepId: string) => pick(lab.steps.find((step) => step.id === stepId)?.title) || stepId;

  return (
    <div className="replay-layout">
      <section aria-labelledby="replay-title">
        <Group justify="space-between" mb="sm">
          <div>
            <Title order={1} size="h3" id="replay-title">
              {t('replay.title')}: {replay.student.displayName}
            </Title>
            <Text size="sm" c="dimmed">
              {replay.student.email} · {pick(lab.title)}
            </Text>
          </div>
          <SegmentedControl
            size="xs"
            value={filter}
            onChange={(value) => setFilter(value as Filter)}
            data={[
              { value: 'all', label: t('replay.filterAll') },
              { value: 'command', label: t('replay.filterCommands') },
              { value: 'grading', label: t('replay.filterGrading') },
            ]}
          />
        </Group>
        {items.length === 0 ? (
          <EmptyState>{t('replay.empty')}</EmptyState>
        ) : (
          <ol className="timeline" data-testid="replay-timeline">
            {items.map((item, index) => (
              <TimelineItem key={index} item={item} labSessionId={replay.session.id} stepTitle={stepTitle} />
            ))}
          </ol>
        )}
      </section>
      <aside aria-labelledby="override-title">
        <OverridePanel labSessionId={replay.session.id} lab={lab} grading={grading} onSaved={onChanged} />
      </aside>
    </div>
  );
}

function TimelineItem({
  item: event,
  labSessionId,
  stepTitle,
}: {
  item: ReplayItem;
  labSessionId: string;
  stepTitle(stepId: string): string;
}) {
  const { t, formatDateTime } = useI18n();
  const time = (
    <time dateTime={event.at} className="timeline-time">
      {formatDateTime(event.at)}
    </time>
  );
  if (event.type === 'command') {
    const failed = event.exitCode !== 0;
    return (
      <li className="timeline-item timeline-command">
        <Group gap="xs" justify="space-between">
          <Group gap="xs">
            {time}
            <Badge size="xs" variant="light">
              {t('replay.command')} #{event.seq}
            </Badge>
            {event.ownClient && (
              <Badge
                size="xs"
                color="violet"
                variant="light"
                title={t('replay.ownHint')}
                data-testid="own-kubectl"
              >
                {event.ownClient === 'kubectl'
                  ? t('replay.ownKubectl')
                  : t('replay.ownClient', { client: event.ownClient })}
              </Badge>
            )}
          </Group>
          <Badge size="xs" color={failed ? 'red' : 'gray'} variant="light">
            {event.status === 'completed' ? t('replay.exit', { code: event.exitCode ?? '–' }) : event.status}
          </Badge>
        </Group>
        <pre className="replay-command">$ {event.command}</pre>
        {event.output && <pre className="replay-output">{plainText(event.output)}</pre>}
        <ReplayFiles labSessionId={labSessionId} runId={event.runId} />
      </li>
    );
  }
  if (event.type === 'grading') {
    return (
      <li className="timeline-item timeline-grading">
        <Group gap="xs" mb={4}>
          {time}
          <Badge size="xs" color="teal" variant="light">
            {t('replay.grading')}
          </Badge>
          <Text size="xs" c="dimmed">
            {t('replay.stepsChecked', { count: event.results.length })}
          </Text>
        </Group>
        <Group gap={6}>
          {event.results.map((result) => (
            <Badge
              key={result.stepId}
              size="sm"
              variant={result.state === 'passed' ? 'filled' : 'outline'}
              color={result.state === 'passed' ? 'teal' : 'gray'}
              tt="none"
            >
              {stepTitle(result.stepId)}: {result.state} ({result.points})
            </Badge>
          ))}
        </Group>
      </li>
    );
  }
  return (
    <li className="timeline-item timeline-override">
      <Group gap="xs">
        {time}
        <Badge size="xs" color="grape">
          {t('replay.override')}
        </Badge>
        <Text size="sm">
          {stepTitle(event.stepId)}: <strong>{event.points ?? '—'}</strong> · “{event.comment}” ·{' '}
          {t('replay.by', { by: event.by })}
        </Text>
      </Group>
    </li>
  );
}

function OverridePanel({
  labSessionId,
  lab,
  grading,
  onSaved,
}: {
  labSessionId: string;
  lab: LabView;
  grading: GradingUpdate | null;
  onSaved(): void;
}) {
  const { t, pick } = useI18n();
  const [stepId, setStepId] = useState(lab.steps[0]?.id ?? '');
  const [points, setPoints] = useState<number | ''>('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const step = lab.steps.find((candidate) => candidate.id === stepId);
  const statusOf = (id: string) => grading?.steps.find((status) => status.stepId === id);

  const save = async (value: number | null) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await api.override(labSessionId, stepId, value, comment.trim());
      setMessage({ ok: true, text: t('override.saved') });
      setComment('');
      setPoints('');
      onSaved();
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (points !== '') void save(points);
  };

  return (
    <Card withBorder radius="md" padding="md">
      <Title order={2} size="h5" id="override-title" mb="sm">
        {t('override.title')}
      </Title>
      <Table withRowBorders={false} verticalSpacing={4} mb="md">
        <Table.Tbody>
          {lab.steps.map((candidate, index) => {
            const status = statusOf(candidate.id);
            return (
              <Table.Tr key={candidate.id} className={candidate.id === stepId ? 'selected-step' : undefined}>
                <Table.Td>
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    ta="left"
                    onClick={() => setStepId(candidate.id)}
                    aria-pressed={candidate.id === stepId}
                  >
                    {index + 1}. {pick(candidate.title)}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" c={status?.state === 'passed' ? 'teal.8' : 'dimmed'}>
                    {status?.points ?? 0}/{candidate.points}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {step && (
        <form onSubmit={submit} aria-label={t('override.title')}>
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              {t('override.step')}: {pick(step.title)} —{' '}
              {t('override.current', { points: statusOf(step.id)?.points ?? 0, max: step.points })}
            </Text>
            <NumberInput
              label={t('override.points')}
              min={0}
              max={step.points}
              allowDecimal={false}
              value={points}
              onChange={(value) => setPoints(typeof value === 'number' ? value : '')}
              required
            />
            <Textarea
              label={t('override.comment')}
              description={t('override.commentHint')}
              value={comment}
              onChange={(event) => setComment(event.currentTarget.value)}
              required
              minRows={2}
              maxLength={1000}
            />
            <Group gap="xs">
              <Button type="submit" size="xs" loading={busy} disabled={points === '' || !comment.trim()}>
                {t('override.apply')}
              </Button>
              <Button
                size="xs"
                variant="default"
                onClick={() => void save(null)}
                disabled={busy || !comment.trim()}
              >
                {t('override.clear')}
              </Button>
            </Group>
            {message && (
              <Alert color={message.ok ? 'teal' : 'red'} p="xs" role={message.ok ? 'status' : 'alert'}>
                {message.text}
              </Alert>
            )}
          </Stack>
        </form>
      )}
    </Card>
  );
}
