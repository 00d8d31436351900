import { Text } from '@mantine/core';
import { useState } from 'react';
import type { HomeAtRun } from '@shared/http-api';
import { displayName } from '../editor/home-files';
import { useI18n } from '../i18n/i18n';
import { api, errorMessage } from '../lib/api';

/**
 * The student's home as it was after one command of the replay, read only when the instructor opens it (a session
 * has hundreds of commands; each answer carries every file's text).
 */
export function ReplayFiles({ labSessionId, runId }: { labSessionId: string; runId: string }) {
  const { t } = useI18n();
  const [files, setFiles] = useState<HomeAtRun>();
  const [failure, setFailure] = useState<string>();

  const load = () => {
    if (files || failure) return;
    api.homeAt(labSessionId, runId).then(setFiles, (caught: unknown) => setFailure(errorMessage(caught)));
  };

  return (
    <details
      className="replay-files"
      data-testid="replay-files"
      onToggle={(event) => event.currentTarget.open && load()}
    >
      <summary>{t('replay.files')}</summary>
      {failure && (
        <Text size="xs" c="red" role="alert">
          {failure}
        </Text>
      )}
      {files && files.entries.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('replay.filesEmpty')}
        </Text>
      )}
      {files?.entries.map((entry) =>
        entry.kind === 'dir' ? (
          <Text key={entry.path} size="xs" ff="monospace">
            {displayName(entry.path)}/
          </Text>
        ) : (
          <div key={entry.path} className="replay-file" data-path={entry.path}>
            <Text size="xs" ff="monospace" fw={600}>
              {displayName(entry.path)}
            </Text>
            <pre className="replay-output">{entry.text}</pre>
          </div>
        ),
      )}
    </details>
  );
}
