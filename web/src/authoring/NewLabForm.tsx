import { Alert, Button, FileButton, Group, TextInput } from '@mantine/core';
import { FormEvent, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { errorMessage } from '../lib/api';
import { authoringApi } from './authoring-api';
import type { Draft } from './authoring-types';

const LAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A new minimal lab with an id, or a lab imported from a .tar.gz bundle (renamed to the id when one is typed,
 * so a lab can come back next to its original): either opens as a draft.
 */
export function NewLabForm({ courseId, onCreated }: { courseId: string; onCreated(draft: Draft): void }) {
  const { t } = useI18n();
  const [labId, setLabId] = useState('');
  const [busy, setBusy] = useState<'create' | 'import'>();
  const [error, setError] = useState<string>();
  const run = (kind: 'create' | 'import', action: () => Promise<Draft>) => {
    setBusy(kind);
    setError(undefined);
    action()
      .then(onCreated)
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(undefined));
  };
  const create = (event: FormEvent) => {
    event.preventDefault();
    if (LAB_ID.test(labId)) run('create', () => authoringApi.createDraft({ courseId, labId }));
  };
  return (
    <div>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <form onSubmit={create}>
          <Group align="flex-end" gap="xs">
            <TextInput
              size="sm"
              label={t('author.newLab')}
              placeholder="my-first-lab"
              description={t('author.newLabId')}
              value={labId}
              error={labId !== '' && !LAB_ID.test(labId)}
              onChange={(event) => setLabId(event.currentTarget.value.trim())}
            />
            <Button type="submit" loading={busy === 'create'} disabled={!LAB_ID.test(labId)}>
              {t('author.create')}
            </Button>
          </Group>
        </form>
        <FileButton
          accept=".tar.gz,.tgz,application/gzip"
          onChange={(file) =>
            file &&
            run('import', () =>
              authoringApi.importBundle(courseId, file, LAB_ID.test(labId) ? labId : undefined),
            )
          }
        >
          {(props) => (
            <Button {...props} variant="default" loading={busy === 'import'}>
              {t('author.import')}
            </Button>
          )}
        </FileButton>
      </Group>
      {error && (
        <Alert color="red" mt="xs" role="alert" data-testid="library-error">
          {error}
        </Alert>
      )}
    </div>
  );
}
