import { ActionIcon, Button, Group, TextInput, Tooltip } from '@mantine/core';
import { FormEvent, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/** Adds a file to the draft (a new step's Markdown, a starter manifest) or deletes the open one. */
export function DraftFilesBar({
  active,
  paths,
  onAdd,
  onDelete,
}: {
  active: string;
  paths: string[];
  onAdd(path: string): void;
  onDelete(path: string): void;
}) {
  const { t } = useI18n();
  const [path, setPath] = useState('');
  const clean = path.trim().replace(/^\/+/, '');
  const invalid =
    clean !== '' && (paths.includes(clean) || clean.split('/').some((part) => part === '..' || part === ''));
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!clean || invalid) return;
    onAdd(clean);
    setPath('');
  };
  return (
    <form onSubmit={add}>
      <Group gap={6} wrap="nowrap">
        <TextInput
          size="xs"
          placeholder="steps/04-new-step.md"
          aria-label={t('author.newFile')}
          value={path}
          error={invalid}
          onChange={(event) => setPath(event.currentTarget.value)}
        />
        <Button size="xs" variant="default" type="submit" disabled={!clean || invalid}>
          {t('author.addFile')}
        </Button>
        {active !== 'lab.yaml' && (
          <Tooltip label={t('author.deleteFile', { name: active })}>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('author.deleteFile', { name: active })}
              onClick={() => {
                if (window.confirm(t('author.deleteConfirm', { name: active }))) onDelete(active);
              }}
            >
              ×
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
    </form>
  );
}
