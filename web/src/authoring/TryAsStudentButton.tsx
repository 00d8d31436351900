import { Button } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { api, errorMessage } from '../lib/api';
import { navigate } from '../lib/router';
import { authoringApi } from './authoring-api';

/**
 * "Try as a student": the API starts the author's private session of the draft (its own cluster, in no
 * gradebook); the page then opens that session's lab in the student workspace.
 */
export function TryAsStudentButton({
  draftId,
  disabled,
  onError,
}: {
  draftId: string;
  disabled: boolean;
  onError(message: string | undefined): void;
}) {
  const { t } = useI18n();
  const [trying, setTrying] = useState(false);
  const tryIt = () => {
    setTrying(true);
    onError(undefined);
    authoringApi
      .tryAsStudent(draftId)
      .then((trial) => api.session(trial.labSessionId))
      .then((session) => navigate({ name: 'lab', courseId: session.courseId, labId: session.labId }))
      .catch((error: unknown) => onError(errorMessage(error)))
      .finally(() => setTrying(false));
  };
  return (
    <Button size="xs" variant="default" onClick={tryIt} loading={trying} disabled={disabled}>
      {t('author.try')}
    </Button>
  );
}
