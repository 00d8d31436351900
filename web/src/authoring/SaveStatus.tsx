import { Badge } from '@mantine/core';
import { useI18n } from '../i18n/i18n';

/** Saved (with the revision), saving, unsaved, or why the last save failed. */
export function SaveStatus({
  saving,
  unsaved,
  error,
  revision,
}: {
  saving: boolean;
  unsaved: number;
  error?: string;
  revision: number;
}) {
  const { t } = useI18n();
  if (error)
    return (
      <Badge color="red" variant="light" role="status" data-testid="save-status" data-state="error">
        {t('author.saveFailed', { message: error })}
      </Badge>
    );
  const state = saving ? 'saving' : unsaved > 0 ? 'unsaved' : 'saved';
  return (
    <Badge
      color={state === 'saved' ? 'teal' : 'gray'}
      variant="light"
      role="status"
      data-testid="save-status"
      data-state={state}
      data-revision={revision}
    >
      {state === 'saving'
        ? t('author.saving')
        : state === 'unsaved'
          ? t('author.unsaved')
          : t('author.saved', { revision })}
    </Badge>
  );
}
