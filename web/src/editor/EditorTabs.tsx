import { Alert, Button, Group, Text } from '@mantine/core';
import { useI18n } from '../i18n/i18n';
import { displayName } from './home-files';
import type { TabState } from './tab-state';

interface TabsProps {
  tabs: TabState[];
  active?: string;
  /** The buffer a running `kubectl edit` has open, as the first tab (closed by saving or cancelling it). */
  editTab?: { label: string; active: boolean; onSelect(): void };
  onSelect(path: string): void;
  onClose(path: string): void;
}

/** The open files: a tab (Tab reaches each, Enter shows it) and a labelled close button each; ● marks unsaved. */
export function EditorTabs({ tabs, active, editTab, onSelect, onClose }: TabsProps) {
  const { t } = useI18n();
  return (
    <div role="tablist" aria-label={t('editor.tabs')} className="editor-tabs">
      {editTab && (
        <div className="editor-tab edit-tab" data-active={editTab.active}>
          <button
            type="button"
            role="tab"
            aria-selected={editTab.active}
            data-testid="edit-buffer-tab"
            onClick={editTab.onSelect}
          >
            {editTab.label}
          </button>
        </div>
      )}
      {tabs.map((tab) => {
        const name = displayName(tab.path.slice(tab.path.lastIndexOf('/') + 1));
        return (
          <div key={tab.path} className="editor-tab" data-active={!editTab?.active && tab.path === active}>
            <button
              type="button"
              role="tab"
              aria-selected={!editTab?.active && tab.path === active}
              title={displayName(tab.path)}
              data-status={tab.status}
              data-path={tab.path}
              onClick={() => onSelect(tab.path)}
            >
              {name}
              {tab.status !== 'clean' && <span aria-label={t('editor.unsaved')}> ●</span>}
            </button>
            <button
              type="button"
              className="editor-tab-close"
              aria-label={t('editor.close', { name })}
              onClick={() => onClose(tab.path)}
            >
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}

/** Shown over a file changed in the home since this tab read it: keep this text, or load the newer copy. */
export function ConflictBanner({
  tab,
  onKeepMine,
  onTakeTheirs,
}: {
  tab: TabState;
  onKeepMine(): void;
  onTakeTheirs(): void;
}) {
  const { t } = useI18n();
  if (tab.status !== 'conflict' || !tab.theirs) return null;
  const name = displayName(tab.path);
  const deleted = tab.theirs.text === null;
  return (
    <Alert color="orange" p={6} role="alert" data-testid="conflict">
      <Text size="xs">{t(deleted ? 'editor.conflictDeleted' : 'editor.conflict', { name })}</Text>
      <Group gap={6} mt={4}>
        <Button size="compact-xs" onClick={onKeepMine}>
          {t('editor.keepMine')}
        </Button>
        {!deleted && (
          <Button size="compact-xs" variant="default" onClick={onTakeTheirs}>
            {t('editor.takeTheirs')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
