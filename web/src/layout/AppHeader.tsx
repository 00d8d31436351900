import { Anchor, Badge, Button, Group, SegmentedControl, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useAuth } from '../auth/auth';
import { useI18n } from '../i18n/i18n';
import type { Language } from '../i18n/messages';
import { Link, navigate } from '../lib/router';
import { useConnection } from '../lib/socket';

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <div role="group" aria-label={t('lang.label')}>
      <SegmentedControl
        size="xs"
        value={language}
        onChange={(value) => setLanguage(value as Language)}
        data={[
          { value: 'zh-CN', label: '中文' },
          { value: 'en', label: 'English' },
        ]}
        aria-label={t('lang.label')}
      />
    </div>
  );
}

export function ConnectionBadge() {
  const { t } = useI18n();
  const connection = useConnection();
  const { color, label } =
    connection.state === 'connected'
      ? { color: 'teal', label: t('conn.connected') }
      : connection.state === 'connecting'
        ? { color: 'gray', label: t('conn.connecting') }
        : connection.state === 'disconnected'
          ? { color: 'orange', label: t('conn.disconnected') }
          : { color: 'red', label: t('conn.refused', { message: connection.message }) };
  return (
    <Badge
      color={color}
      variant="light"
      role="status"
      aria-live="polite"
      data-testid="connection"
      data-state={connection.state}
    >
      {label}
    </Badge>
  );
}

export function AppHeader({ live = false }: { live?: boolean }) {
  const { t } = useI18n();
  const { user, signOut } = useAuth();
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <Group justify="space-between" wrap="nowrap" h="100%" px="md">
        <Group gap="sm" wrap="nowrap">
          <Link to={{ name: 'home' }} className="brand" aria-label={`${t('app.name')} — ${t('nav.courses')}`}>
            <span aria-hidden="true" className="brand-mark">
              ⎈
            </span>
            {t('app.name')}
          </Link>
          {live && <ConnectionBadge />}
          {user && user.role !== 'student' && (
            <Anchor component={Link} to={{ name: 'authoring' }} size="sm" data-testid="nav-authoring">
              {t('author.nav')}
            </Anchor>
          )}
        </Group>
        <Group gap="sm" wrap="nowrap">
          <LanguageSwitch />
          {user && (
            <>
              <Tooltip label={user.email}>
                <Text size="sm" fw={500} className="user-name">
                  <VisuallyHidden>{user.email}</VisuallyHidden>
                  <span aria-hidden="true">{user.displayName}</span>
                </Text>
              </Tooltip>
              <Button
                size="xs"
                variant="default"
                onClick={() => void signOut().then(() => navigate({ name: 'login' }))}
              >
                {t('nav.signOut')}
              </Button>
            </>
          )}
        </Group>
      </Group>
    </header>
  );
}
