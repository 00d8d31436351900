import { Alert, Button, Group, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { errorMessage } from '../lib/api';
import { authoringApi } from './authoring-api';
import type { PublishBlock, ProofProgress } from './proof-state';
import { setLabDue } from './schedule-due';

const REASONS: Record<PublishBlock, MessageKey> = {
  unsaved: 'author.blockUnsaved',
  problems: 'author.blockProblems',
  noProof: 'author.blockNoProof',
  proofStale: 'author.blockProofStale',
  proofRunning: 'author.blockProofRunning',
  proofFailed: 'author.blockProofFailed',
};

/** "Publish", enabled only once the current revision's proof passed; the reason is shown while it is not. */
export function PublishControl({
  draftId,
  courseId,
  revision,
  block,
  proof,
}: {
  draftId: string;
  courseId: string;
  revision: number;
  block?: PublishBlock;
  proof?: ProofProgress;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const [dueAt, setDueAt] = useState('');
  const publish = async () => {
    const published = await authoringApi.publish(draftId, courseId);
    const text = t('author.publishedVersion', published);
    if (!dueAt) return setResult({ ok: true, text });
    // The version is published whatever happens to the schedule: say so if only the due time failed.
    try {
      await setLabDue(courseId, published.labId, dueAt);
      setResult({ ok: true, text: `${text} ${t('author.dueSet', { time: dueAt.replace('T', ' ') })}` });
    } catch (error) {
      setResult({ ok: false, text: t('author.dueFailed', { message: errorMessage(error) }) });
    }
  };
  const onPublish = () => {
    setBusy(true);
    setResult(undefined);
    publish()
      .catch((error: unknown) => setResult({ ok: false, text: errorMessage(error) }))
      .finally(() => setBusy(false));
  };
  const reason = block && t(REASONS[block], { revision, proofRevision: proof?.revision ?? '?' });
  return (
    <div>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <TextInput
          size="xs"
          type="datetime-local"
          label={t('author.dueAt')}
          value={dueAt}
          onChange={(event) => setDueAt(event.currentTarget.value)}
        />
        <Button
          size="xs"
          color="teal"
          onClick={onPublish}
          loading={busy}
          disabled={block !== undefined}
          aria-describedby={reason ? 'publish-reason' : undefined}
          data-testid="publish"
        >
          {t('author.publish')}
        </Button>
        {reason && (
          <Text size="xs" c="dimmed" id="publish-reason" data-testid="publish-reason">
            {reason}
          </Text>
        )}
      </Group>
      {result && (
        <Alert
          mt={6}
          p={6}
          color={result.ok ? 'teal' : 'red'}
          role={result.ok ? 'status' : 'alert'}
          data-testid="publish-result"
        >
          {result.text}
        </Alert>
      )}
    </div>
  );
}
