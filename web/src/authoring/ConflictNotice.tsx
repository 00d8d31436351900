import { Alert, Button, Group, Text } from '@mantine/core';
import { useI18n } from '../i18n/i18n';
import type { Author } from './authoring-types';

/** Another author saved files this author has also changed: keep mine (saved on top of theirs) or take theirs. */
export function ConflictNotice({
  paths,
  by,
  onKeepMine,
  onTakeTheirs,
}: {
  paths: string[];
  by?: Author;
  onKeepMine(): void;
  onTakeTheirs(): void;
}) {
  const { t } = useI18n();
  return (
    <Alert color="orange" role="alert" data-testid="draft-conflict" p="xs">
      <Text size="sm">
        {t('author.conflict', { name: by?.displayName ?? t('author.someone'), files: paths.join(', ') })}
      </Text>
      <Group gap="xs" mt={6}>
        <Button size="compact-sm" onClick={onKeepMine}>
          {t('author.keepMine')}
        </Button>
        <Button size="compact-sm" variant="default" onClick={onTakeTheirs}>
          {t('author.takeTheirs')}
        </Button>
      </Group>
    </Alert>
  );
}
