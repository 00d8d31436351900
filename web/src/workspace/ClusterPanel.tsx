import { Alert, Badge, Button, Group, Progress, Text, Tooltip } from '@mantine/core';
import type { ClusterLifecycle, ClusterStatusEvent } from '@shared/events';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { formatDuration, useNow } from '../lib/use-now';

interface Props {
  cluster: ClusterStatusEvent | null;
  idleExpiresAt: string | null;
  hardDeadlineAt: string | null;
  idleWarningAt: string | null;
  busy: { extend: boolean; reset: boolean };
  onExtend(): void;
  onReset(): void;
}

const COLORS: Record<ClusterLifecycle, string> = {
  requested: 'blue',
  provisioning: 'blue',
  ready: 'teal',
  stopping: 'orange',
  gone: 'gray',
  failed: 'red',
};

export function ClusterPanel({
  cluster,
  idleExpiresAt,
  hardDeadlineAt,
  idleWarningAt,
  busy,
  onExtend,
  onReset,
}: Props) {
  const { t, formatTime } = useI18n();
  const now = useNow();
  const status = cluster?.status;
  const progress = cluster?.progress;
  const expiresIn = idleExpiresAt ? new Date(idleExpiresAt).getTime() - now : undefined;
  const warn = expiresIn !== undefined && (expiresIn < 5 * 60_000 || idleWarningAt !== null);

  return (
    <section
      className="cluster-bar"
      aria-label={t('cluster.title')}
      data-testid="cluster"
      data-status={status ?? 'none'}
    >
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="sm" wrap="nowrap">
          <Text size="sm" fw={600}>
            {t('cluster.title')}
          </Text>
          <Badge color={status ? COLORS[status] : 'gray'} variant="light" role="status" aria-live="polite">
            {status ? t(`cluster.${status}` as MessageKey) : t('cluster.none')}
          </Badge>
          {(status === 'provisioning' || status === 'requested') && progress && (
            <Text size="xs" c="dimmed">
              {progress.step}
            </Text>
          )}
        </Group>
        <Group gap="sm" wrap="nowrap">
          {expiresIn !== undefined && status === 'ready' && (
            <Tooltip
              label={hardDeadlineAt ? t('cluster.deadline', { time: formatTime(hardDeadlineAt) }) : ''}
              disabled={!hardDeadlineAt}
            >
              <Text size="sm" c={warn ? 'orange.8' : 'dimmed'} data-testid="time-left">
                {t('cluster.timeLeft')}{' '}
                <time dateTime={idleExpiresAt ?? undefined} className="mono">
                  {formatDuration(expiresIn)}
                </time>
              </Text>
            </Tooltip>
          )}
          <Button
            size="xs"
            variant="light"
            onClick={onExtend}
            loading={busy.extend}
            disabled={status !== 'ready'}
          >
            {t('cluster.extend')}
          </Button>
          <Button size="xs" variant="light" color="red" onClick={onReset} loading={busy.reset}>
            {t('cluster.reset')}
          </Button>
        </Group>
      </Group>
      {(status === 'provisioning' || status === 'requested') && (
        <Progress
          mt={6}
          size="sm"
          animated
          value={progress ? (100 * progress.done) / Math.max(1, progress.total) : 10}
          aria-label={progress?.step ?? t('cluster.provisioning')}
        />
      )}
      {status === 'failed' && (
        <Alert color="red" mt="xs" p="xs" role="alert">
          {cluster?.message ?? t('cluster.failedHelp')} {cluster?.message ? t('cluster.failedHelp') : ''}
        </Alert>
      )}
      {status === 'gone' && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('cluster.goneHelp')}
        </Text>
      )}
      {idleWarningAt && status === 'ready' && (
        <Alert color="orange" mt="xs" p="xs" role="alert">
          {t('cluster.idleWarning', { time: formatTime(idleWarningAt) })}
        </Alert>
      )}
    </section>
  );
}
