import { Alert, Button, Group, Text } from '@mantine/core';
import type { EditorState } from '@codemirror/state';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CommandEditor } from '@shared/events';
import { useI18n } from '../i18n/i18n';
import { errorMessage } from '../lib/api';
import { emitWithAck, getSocket } from '../lib/socket';
import { CodeEditor } from './CodeEditor';

interface Props {
  /** The buffer `kubectl edit` opened (command.editor, or the session's snapshot after a reload). */
  buffer: CommandEditor;
  vim: boolean;
  /** Another tab of the pane is shown: the buffer stays, with what was typed, until its tab comes back. */
  hidden: boolean;
  /** Changes when the editor should take the keyboard (the buffer was opened, or its tab chosen). */
  focus: number;
  /** The text was sent: the tab goes until the run opens another buffer. */
  onClosed(): void;
}

/** What was typed into a buffer, kept for the browser tab's life so that a reload does not lose it. */
const draftKey = (runId: string) => `kubelab.edit.draft.${runId}`;

function keptDraft(buffer: CommandEditor): string | undefined {
  try {
    const kept = JSON.parse(sessionStorage.getItem(draftKey(buffer.runId)) ?? 'null') as {
      given?: unknown;
      text?: unknown;
    } | null;
    // A draft of an earlier opening (kubectl reopened the buffer with errors since) is not this buffer's.
    return kept?.given === buffer.text && typeof kept.text === 'string' ? kept.text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The editor pane's `kubectl edit` tab: the buffer kubectl gives its editor, edited in place. "Save and close" (or
 * Ctrl-S / :wq) hands the text to the waiting run, which applies it; "Close without saving" hands back the text it
 * was given, which kubectl answers with "Edit cancelled, no changes made.". Ctrl-C in the terminal ends the run.
 */
export function EditBuffer({ buffer, vim, hidden, focus, onClosed }: Props) {
  const { t } = useI18n();
  const [initial] = useState(() => keptDraft(buffer) ?? buffer.text);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string>();
  const states = useMemo(() => new Map<string, EditorState>(), []);
  const textRef = useRef(initial);
  const path = `kubectl-edit/${buffer.runId}/${buffer.name}`;

  // The reopened buffer of the same run starts from kubectl's text, not from the draft of the one before.
  useEffect(() => {
    if (initial === buffer.text) sessionStorage.removeItem(draftKey(buffer.runId));
  }, [buffer, initial]);

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
        sessionStorage.removeItem(draftKey(buffer.runId));
        onClosed();
      } catch (caught) {
        setFailure(errorMessage(caught));
        setSending(false);
      }
    },
    [buffer, onClosed, sending],
  );

  const changed = useCallback(
    (_path: string, text: string) => {
      textRef.current = text;
      sessionStorage.setItem(draftKey(buffer.runId), JSON.stringify({ given: buffer.text, text }));
    },
    [buffer],
  );

  return (
    <section
      className="edit-buffer"
      hidden={hidden}
      aria-label={t('edit.title', { name: buffer.name })}
      data-testid="edit-buffer"
    >
      <Group justify="space-between" px="xs" py={2} wrap="nowrap" className="editor-status">
        <Text size="xs" c="dimmed">
          {t('edit.hint')}
        </Text>
        <Group gap={6} wrap="nowrap">
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
      {failure && (
        <Alert color="red" p="xs" mx="sm" role="alert">
          <Text size="sm">{failure}</Text>
        </Alert>
      )}
      <CodeEditor
        path={path}
        text={initial}
        revision={0}
        label={t('edit.title', { name: buffer.name })}
        vim={vim}
        readOnly={false}
        states={states}
        focus={focus}
        onChange={changed}
        onSave={() => void close(textRef.current)}
      />
    </section>
  );
}
