import { Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { HomeChanged } from '@shared/events';
import type { HomeListing } from '@shared/http-api';
import { displayName } from '../editor/home-files';
import { useI18n } from '../i18n/i18n';
import { api, errorMessage } from '../lib/api';
import { getSocket } from '../lib/socket';

/**
 * The student's home as it is now, for an instructor watching: the listing and the chosen file are read
 * again whenever the home changes (a command's redirection, an editor save, a removal).
 */
export function LiveFiles({ labSessionId }: { labSessionId: string }) {
  const { t } = useI18n();
  const [listing, setListing] = useState<HomeListing>();
  const [chosen, setChosen] = useState<string>();
  const [text, setText] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const onChanged = (event: HomeChanged) => {
      if (event.labSessionId === labSessionId) setVersion(event.version);
    };
    const socket = getSocket();
    socket.on('home.changed', onChanged);
    return () => void socket.off('home.changed', onChanged);
  }, [labSessionId]);

  useEffect(() => {
    let current = true;
    api.home(labSessionId).then(
      (answer) => current && (setListing(answer), setFailure(undefined)),
      (caught: unknown) => current && setFailure(errorMessage(caught)),
    );
    return () => void (current = false);
  }, [labSessionId, version]);

  const files = listing?.entries.filter((entry) => entry.kind === 'file') ?? [];
  const shown = chosen && files.some((entry) => entry.path === chosen) ? chosen : files[0]?.path;

  useEffect(() => {
    let current = true;
    if (!shown) return setText(undefined);
    api.homeFile(labSessionId, shown).then(
      (file) => current && setText(file.text),
      (caught: unknown) => current && setFailure(errorMessage(caught)),
    );
    return () => void (current = false);
  }, [labSessionId, shown, listing?.version]);

  return (
    <Stack gap="xs" data-testid="live-files" data-version={listing?.version ?? ''}>
      {failure && (
        <Text size="xs" c="red" role="alert">
          {failure}
        </Text>
      )}
      {listing && files.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('live.noFiles')}
        </Text>
      )}
      <nav aria-label={t('live.files')} className="live-file-list">
        {files.map((entry) => (
          <UnstyledButton
            key={entry.path}
            onClick={() => setChosen(entry.path)}
            aria-current={entry.path === shown ? 'true' : undefined}
            data-path={entry.path}
            className="live-file"
          >
            <Text size="xs" ff="monospace" fw={entry.path === shown ? 700 : 400}>
              {displayName(entry.path)}
            </Text>
          </UnstyledButton>
        ))}
      </nav>
      {shown && text !== undefined && (
        <pre className="replay-output" data-testid="live-file-text" data-path={shown}>
          {text}
        </pre>
      )}
    </Stack>
  );
}
