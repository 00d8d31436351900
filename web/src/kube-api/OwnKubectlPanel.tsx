import { Alert, Button, Drawer, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useCallback, useState } from 'react';
import type { KubeApiAccess, KubeApiTokenInfo } from '@shared/kube-api';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { ErrorState, Loading } from '../layout/States';
import { errorMessage } from '../lib/api';
import { useAsync } from '../lib/use-async';
import { useNow } from '../lib/use-now';
import { copyText } from './copy-text';
import { fetchKubeconfig, kubeApi, saveFile } from './kube-api-client';
import { Shell, shellOf, SHELLS } from './shells';
import './own-kubectl.css';

/**
 * "Use your own kubectl" (issue 20): a button in the workspace's toolbar that opens a drawer with the session's
 * kubeconfig, its token and the one-line set-ups. The drawer is a dialog (focus kept inside, Esc closes, focus
 * returns to the button); on a narrow screen it takes the whole width.
 */
export function OwnKubectl({ labSessionId }: { labSessionId: string }) {
  const { t } = useI18n();
  const [opened, setOpened] = useState(false);
  const narrow = useMediaQuery('(max-width: 640px)');
  return (
    <>
      <Button
        size="compact-xs"
        variant="light"
        aria-haspopup="dialog"
        aria-expanded={opened}
        onClick={() => setOpened(true)}
        data-testid="own-kubectl-open"
      >
        {t('kube.open')}
      </Button>
      <Drawer
        opened={opened}
        onClose={() => setOpened(false)}
        position="right"
        size={narrow ? '100%' : 'lg'}
        // Mantine renders the title as the dialog's <h2> and names the dialog by it.
        title={t('kube.title')}
        styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-h4-font-size)' } }}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {/* Mounted only while open, so each opening shows the token and namespace as they are now. */}
        {opened && <OwnKubectlPanel labSessionId={labSessionId} />}
      </Drawer>
    </>
  );
}

type Note = { ok: boolean; text: string };

export function OwnKubectlPanel({ labSessionId }: { labSessionId: string }) {
  const { t } = useI18n();
  const load = useCallback(() => kubeApi.access(labSessionId), [labSessionId]);
  const [access, reload, setAccess] = useAsync(load, [load]);
  const [busy, setBusy] = useState<'download' | 'token'>();
  const [note, setNote] = useState<Note>();

  const download = async () => {
    setBusy('download');
    setNote(undefined);
    try {
      const file = await fetchKubeconfig(labSessionId);
      saveFile(file);
      setNote({ ok: true, text: t('kube.downloaded', { name: file.name }) });
      // Downloading issues a token when none was current: show it (the file is saved even if this read fails).
      void kubeApi.access(labSessionId).then(setAccess, () => undefined);
    } catch (caught) {
      setNote({ ok: false, text: errorMessage(caught) });
    } finally {
      setBusy(undefined);
    }
  };

  const newToken = async (current: KubeApiTokenInfo | null) => {
    // Only a token that still works has a kubeconfig to break: ask before revoking that one.
    const working = current !== null && new Date(current.expiresAt).getTime() > Date.now();
    if (working && !window.confirm(t('kube.newTokenConfirm'))) return;
    setBusy('token');
    setNote(undefined);
    try {
      setAccess(await kubeApi.newToken(labSessionId));
      setNote({ ok: true, text: t('kube.newTokenDone') });
    } catch (caught) {
      setNote({ ok: false, text: errorMessage(caught) });
    } finally {
      setBusy(undefined);
    }
  };

  if (access.status === 'error' && !access.data)
    return <ErrorState error={access.error} onRetry={() => void reload()} />;
  if (!access.data) return <Loading />;
  const view = access.data;

  return (
    <Stack gap="md" data-testid="own-kubectl">
      <Text size="sm">{t('kube.intro')}</Text>
      <section aria-labelledby="own-kubectl-config" className="own-kubectl-section">
        <Title order={3} size="h6" id="own-kubectl-config" mb={6}>
          {t('kube.config')}
        </Title>
        <dl className="own-kubectl-facts">
          <dt>{t('kube.server')}</dt>
          <dd className="mono" data-testid="own-kubectl-server">
            {view.server}
          </dd>
          <dt>{t('kube.namespace')}</dt>
          <dd className="mono">{view.namespace}</dd>
          <dt>{t('kube.token')}</dt>
          <dd data-testid="own-kubectl-token" data-token-id={view.token?.id ?? ''}>
            <TokenState token={view.token} />
          </dd>
        </dl>
        <Group gap="xs" mt="sm">
          <Button
            size="xs"
            onClick={() => void download()}
            loading={busy === 'download'}
            disabled={busy === 'token'}
            data-testid="own-kubectl-download"
          >
            {t('kube.download')}
          </Button>
          <Button
            size="xs"
            variant="light"
            color="orange"
            onClick={() => void newToken(view.token)}
            loading={busy === 'token'}
            disabled={busy === 'download'}
            data-testid="own-kubectl-new-token"
          >
            {t('kube.newToken')}
          </Button>
        </Group>
        {note && (
          <Alert
            color={note.ok ? 'teal' : 'red'}
            p="xs"
            mt="sm"
            role={note.ok ? 'status' : 'alert'}
            data-testid="own-kubectl-note"
          >
            <Text size="sm">{note.text}</Text>
          </Alert>
        )}
      </section>
      <SetupLines access={view} />
    </Stack>
  );
}

function TokenState({ token }: { token: KubeApiTokenInfo | null }) {
  const { t, formatDateTime } = useI18n();
  // A token's expiry can pass while the panel is open; a minute's precision is enough for the label.
  const now = useNow(30_000);
  if (!token) return <Text size="sm">{t('kube.tokenNone')}</Text>;
  const expires = formatDateTime(token.expiresAt);
  if (new Date(token.expiresAt).getTime() <= now)
    return (
      <Text size="sm" c="orange.8">
        {t('kube.tokenExpired', { expires })}
      </Text>
    );
  return (
    <Text size="sm">
      {t('kube.tokenCreated')} <time dateTime={token.createdAt}>{formatDateTime(token.createdAt)}</time>
      {' · '}
      {t('kube.tokenExpires')} <time dateTime={token.expiresAt}>{expires}</time>
    </Text>
  );
}

function SetupLines({ access }: { access: KubeApiAccess }) {
  const { t } = useI18n();
  const [shell, setShell] = useState<Shell>(() => shellOf(navigator.userAgent));
  return (
    <section aria-labelledby="own-kubectl-setup" className="own-kubectl-section">
      <Title order={3} size="h6" id="own-kubectl-setup" mb={4}>
        {t('kube.setup')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('kube.setupHelp')}
      </Text>
      <Tabs value={shell} onChange={(value) => value && setShell(value as Shell)} keepMounted={false}>
        <Tabs.List>
          {SHELLS.map((one) => (
            <Tabs.Tab key={one} value={one}>
              {t(`kube.shell.${one}` as MessageKey)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {SHELLS.map((one) => (
          <Tabs.Panel key={one} value={one} pt="xs">
            <SetupLine shell={one} line={access.setup[one]} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </section>
  );
}

function SetupLine({ shell, line }: { shell: Shell; line: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<boolean>();
  const name = t(`kube.shell.${shell}` as MessageKey);
  const copy = async () => {
    setCopied(await copyText(line));
    setTimeout(() => setCopied(undefined), 2000);
  };
  return (
    <Stack gap={6}>
      <pre className="own-kubectl-line" data-testid={`own-kubectl-setup-${shell}`}>
        <code>{line}</code>
      </pre>
      <Group gap="xs">
        <Button
          size="compact-xs"
          variant="default"
          onClick={() => void copy()}
          aria-label={t('kube.copyLabel', { shell: name })}
          data-testid={`own-kubectl-copy-${shell}`}
        >
          {copied ? t('kube.copied') : t('kube.copy')}
        </Button>
        <Text size="xs" c={copied === false ? 'red.8' : 'dimmed'} role="status" aria-live="polite">
          {copied === false ? t('kube.copyFailed') : copied ? t('kube.copiedLine', { shell: name }) : ''}
        </Text>
      </Group>
    </Stack>
  );
}
