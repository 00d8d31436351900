import { Button, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { Regrade } from '@shared/authoring-api';
import { useI18n } from '../i18n/i18n';
import { errorMessage } from '../lib/api';
import { authoringApi } from './authoring-api';

const POLL_MS = 500;

/**
 * After a fix is published: regrades the sessions still on an earlier version against the newest one (a job on a
 * worker), showing its progress until it is done.
 */
export function RegradeButton({
  courseId,
  labId,
  fromVersion,
  toVersion,
}: {
  courseId: string;
  labId: string;
  fromVersion: number;
  toVersion: number;
}) {
  const { t } = useI18n();
  const [regrade, setRegrade] = useState<Regrade>();
  const [error, setError] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const follow = (regradeId: string) => {
    authoringApi.regrade(regradeId).then(
      (progress) => {
        setRegrade(progress);
        if (progress.state === 'queued' || progress.state === 'running')
          timer.current = setTimeout(() => follow(regradeId), POLL_MS);
      },
      (caught: unknown) => setError(errorMessage(caught)),
    );
  };
  const start = () => {
    setError(undefined);
    authoringApi.startRegrade(labId, courseId, fromVersion).then(
      ({ regradeId }) => follow(regradeId),
      (caught: unknown) => setError(errorMessage(caught)),
    );
  };
  const running = regrade?.state === 'queued' || regrade?.state === 'running';
  return (
    <>
      <Button size="compact-xs" variant="default" onClick={start} loading={running} data-testid="regrade">
        {t('author.regrade', { from: fromVersion, to: toVersion })}
      </Button>
      {regrade && (
        <Text size="xs" role="status" data-testid="regrade-status" data-state={regrade.state}>
          {regrade.state === 'done'
            ? t('author.regradeDone', { total: regrade.total })
            : regrade.state === 'failed'
              ? t('author.regradeFailed')
              : t('author.regradeProgress', { done: regrade.done, total: regrade.total })}
        </Text>
      )}
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
    </>
  );
}
