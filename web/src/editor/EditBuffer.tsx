import { Alert, Button, Group, Text } from '@mantine/core';
import type { EditorState } from '@codemirror/state';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { CommandEditor } from '@shared/events';
import { useI18n } from '../i18n/i18n';
import { errorMessage } from '../lib/api';
import { emitWithAck, getSocket } from '../lib/socket';
import { CodeEditor } from './CodeEditor';

interface Props {
  /** The buffer `kubectl edit` opened (command.editor); a reopened one is a new object. */
  buffer: CommandEditor;
  vim: boolean;
  /** The text was sent: the pane shows the files again until the run opens another buffer. */
  onClosed(): void;
}

/**
 * The editor pane's `kubectl edit` tab: the buffer kubectl gives its editor, edited in place. "Save and close" (or
 * Ctrl-S / :wq) hands the text to the waiting run, which applies it; "Close without saving" hands back the text it
 * was given, which kubectl answers with "Edit cancelled, no changes made.". Ctrl-C in the terminal ends the run.
 */
export function EditBuffer({ buffer, vim, onClosed }: Props) {
  const { t } = useI18n();
  const [text, setText] = useState(buffer.text);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string>();
  const states = useMemo(() => new Map<string, EditorState>(), []);
  const textRef = useRef(text);
  textRef.current = text;
  const path = `kubectl-edit/${buffer.runId}/${buffer.name}`;

  const close = useCallback(
    async (edited: string) => {
      if (sending) return;
      setSending(true);
      try {
        const answer = await emitWithAck(getSocket(), 'command.input', {
          labSessionId: buffer.labSessionId,
          runId: buffer.runId,
          edited,
        });
        if (!answer.ok) throw new Error(answer.message);
        onClosed();
      } catch (caught) {
        setFailure(errorMessage(caught));
        setSending(false);
      }
    },
    [buffer, onClosed, sending],
  );

  return (
    <section
      className="edit-buffer"
      aria-label={t('edit.title', { name: buffer.name })}
      data-testid="edit-buffer"
    >
      <Group justify="space-between" px="sm" py={4} wrap="nowrap">
        <Text size="sm" fw={600} role="tab" aria-selected="true" data-testid="edit-buffer-tab">
          {t('edit.title', { name: buffer.name })}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="compact-xs"
            onClick={() => void close(textRef.current)}
            loading={sending}
            data-testid="edit-save"
          >
            {t('edit.save')}
          </Button>
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => void close(buffer.text)}
            disabled={sending}
            data-testid="edit-cancel"
          >
            {t('edit.cancel')}
          </Button>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" px="sm">
        {t('edit.hint')}
      </Text>
      {failure && (
        <Alert color="red" p="xs" mx="sm" role="alert">
          <Text size="sm">{failure}</Text>
        </Alert>
      )}
      <CodeEditor
        path={path}
        text={buffer.text}
        revision={0}
        label={t('edit.title', { name: buffer.name })}
        vim={vim}
        readOnly={false}
        states={states}
        focus={1}
        onChange={(_path, changed) => setText(changed)}
        onSave={() => void close(textRef.current)}
      />
    </section>
  );
}
