import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { FormEvent, ReactNode, useState } from 'react';
import { useAuth } from '../auth/auth';
import { useI18n } from '../i18n/i18n';
import { LanguageSwitch } from '../layout/AppHeader';
import { api, ApiError } from '../lib/api';
import { afterSignIn } from '../auth/return-to';
import { Link } from '../lib/router';
import { useTitle } from '../lib/use-title';

function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useI18n();
  useTitle(title);
  return (
    <Center mih="100vh" p="md" className="auth-backdrop">
      <main id="main">
        <Paper withBorder shadow="sm" p="xl" radius="md" w={400} maw="100%">
          <Stack gap="md">
            <div className="auth-top">
              <Text fw={700} size="lg" className="brand">
                <span aria-hidden="true" className="brand-mark">
                  ⎈
                </span>{' '}
                {t('app.name')}
              </Text>
              <LanguageSwitch />
            </div>
            <Text size="sm" c="dimmed">
              {t('app.tagline')}
            </Text>
            <Title order={1} size="h3">
              {title}
            </Title>
            {children}
          </Stack>
        </Paper>
      </main>
    </Center>
  );
}

function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || !error.fields) return undefined;
  const value = error.fields[field];
  return Array.isArray(value) ? value.join('; ') : value;
}

export function LoginPage() {
  const { t } = useI18n();
  const { signedIn } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      signedIn(await api.login(email.trim(), password));
      afterSignIn();
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 401) setError(t('auth.badLogin'));
      else if (caught instanceof ApiError && caught.status === 429)
        setError(t('auth.throttled', { seconds: caught.retryAfterSeconds ?? 60 }));
      else setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t('auth.signInTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {error && (
            <Alert color="red" role="alert" data-testid="login-error">
              {error}
            </Alert>
          )}
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            autoFocus
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={busy} fullWidth>
            {t('auth.signIn')}
          </Button>
          <Text size="sm">
            {t('auth.noAccount')}{' '}
            <Anchor component={Link} to={{ name: 'register' }}>
              {t('auth.register')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthFrame>
  );
}

export function RegisterPage({ joinCode: initialCode }: { joinCode?: string }) {
  const { t } = useI18n();
  const { signedIn } = useAuth();
  const [form, setForm] = useState({ displayName: '', email: '', password: '', joinCode: initialCode ?? '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const set = (key: keyof typeof form) => (event: { currentTarget: { value: string } }) =>
    setForm({ ...form, [key]: event.currentTarget.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const user = await api.register({
        displayName: form.displayName.trim(),
        email: form.email.trim(),
        password: form.password,
        joinCode: form.joinCode.trim() || undefined,
      });
      signedIn(user);
      afterSignIn();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const message =
    error instanceof ApiError && error.status === 409
      ? t('auth.taken')
      : error instanceof ApiError && error.status === 404
        ? t('auth.badCode')
        : error instanceof Error
          ? error.message
          : undefined;

  return (
    <AuthFrame title={t('auth.registerTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {message && (
            <Alert color="red" role="alert" data-testid="register-error">
              {message}
            </Alert>
          )}
          <TextInput
            label={t('auth.joinCode')}
            description={t('auth.joinCodeHint')}
            value={form.joinCode}
            onChange={(event) => setForm({ ...form, joinCode: event.currentTarget.value.toUpperCase() })}
            autoComplete="off"
            error={fieldError(error, 'joinCode')}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: 2 } }}
          />
          <TextInput
            label={t('auth.displayName')}
            required
            value={form.displayName}
            onChange={set('displayName')}
            autoComplete="name"
            error={fieldError(error, 'displayName')}
          />
          <TextInput
            label={t('auth.email')}
            type="email"
            required
            value={form.email}
            onChange={set('email')}
            autoComplete="email"
            error={fieldError(error, 'email')}
          />
          <PasswordInput
            label={t('auth.password')}
            description={t('auth.passwordHint')}
            required
            value={form.password}
            onChange={set('password')}
            autoComplete="new-password"
            error={fieldError(error, 'password')}
          />
          <Button type="submit" loading={busy} fullWidth>
            {t('auth.register')}
          </Button>
          <Text size="sm">
            {t('auth.haveAccount')}{' '}
            <Anchor component={Link} to={{ name: 'login' }}>
              {t('auth.signIn')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthFrame>
  );
}
