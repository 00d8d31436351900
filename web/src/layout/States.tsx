import { Alert, Button, Center, Group, Loader, Text } from '@mantine/core';
import { useI18n } from '../i18n/i18n';
import { errorMessage } from '../lib/api';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <Center p="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed">{label ?? t('common.loading')}</Text>
      </Group>
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Alert color="red" title={t('common.error')} role="alert" my="md">
      <Text size="sm">{errorMessage(error)}</Text>
      {onRetry && (
        <Button size="xs" mt="sm" variant="light" color="red" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return (
    <Text c="dimmed" ta="center" p="lg" className="empty-state">
      {children}
    </Text>
  );
}
