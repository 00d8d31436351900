import { Alert, Button, Group, ScrollArea, Switch, Text } from '@mantine/core';
import type { EditorState } from '@codemirror/state';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CommandEditor, HomeChanged } from '@shared/events';
import type { HomeConflict } from '@shared/http-api';
import { useI18n } from '../i18n/i18n';
import { api, ApiError, errorMessage } from '../lib/api';
import { getSocket } from '../lib/socket';
import { CodeEditor } from './CodeEditor';
import { EditBuffer } from './EditBuffer';
import { ConflictBanner, EditorTabs } from './EditorTabs';
import { FileTree } from './FileTree';
import { buildTree, displayName, HomeEntry, TreeNode } from './home-files';
import { openedTab, TabEvent, tabReducer, TabState } from './tab-state';

interface Props {
  labSessionId: string;
  /** A file the terminal asked to open (`vim FILE`); a new object each time, even for the same file. */
  request?: { path: string };
  readOnly?: boolean;
  /** The buffer a running `kubectl edit` has open: a tab of its own, shown when it opens. */
  editBuffer?: CommandEditor;
  /** Changes with every buffer opened, even a reopened one with the same text. */
  editKey?: number;
  /** The buffer's text was handed to the run (saved or closed unchanged). */
  onEditClosed?(): void;
}

const VIM_KEY = 'kubelab.editor.vim';
const tabsKey = (labSessionId: string) => `kubelab.editor.tabs.${labSessionId}`;

/** The editor pane: the home's files, tabs of open files, and the editor. Loaded on first use (its own chunk). */
export default function EditorPane({
  labSessionId,
  request,
  readOnly = false,
  editBuffer,
  editKey,
  onEditClosed,
}: Props) {
  const { t } = useI18n();
  const [entries, setEntries] = useState<HomeEntry[]>([]);
  const [tabs, setTabs] = useState<TabState[]>([]);
  const [active, setActive] = useState<string>();
  const [notice, setNotice] = useState<{ error: boolean; text: string }>();
  const [vim, setVimOn] = useState(() => localStorage.getItem(VIM_KEY) === 'on');
  const states = useMemo(() => new Map<string, EditorState>(), []);
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;
  const upload = useRef<HTMLInputElement>(null);
  const [focus, setFocus] = useState(0);
  /** Whether the `kubectl edit` tab is the one shown (when there is a buffer); choosing a file shows that instead. */
  const [editShown, setEditShown] = useState(true);
  const [editFocus, setEditFocus] = useState(0);
  const editing = editBuffer !== undefined && editShown;

  // A buffer kubectl opens (or reopens with its errors) comes to the front and takes the keyboard.
  useEffect(() => {
    if (!editBuffer) return;
    setEditShown(true);
    setEditFocus((n) => n + 1);
  }, [editBuffer]);

  const selectFile = useCallback((path: string) => {
    setEditShown(false);
    setActive(path);
  }, []);

  const update = useCallback((path: string, event: TabEvent) => {
    setTabs((list) => list.map((tab) => (tab.path === path ? tabReducer(tab, event) : tab)));
  }, []);

  /** The listing, and the home version it is at. */
  const refreshListing = useCallback(async (): Promise<number | undefined> => {
    try {
      const listing = await api.home(labSessionId);
      setEntries(listing.entries);
      return listing.version;
    } catch (caught) {
      setNotice({ error: true, text: errorMessage(caught) });
      return undefined;
    }
  }, [labSessionId]);

  /** Reads an open file again after the home changed: reloads it, or puts up the conflict banner. */
  const refreshTab = useCallback(
    async (path: string, homeVersion: number) => {
      try {
        const file = await api.homeFile(labSessionId, path);
        update(path, { type: 'remote', version: file.version, text: file.text });
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 404)
          update(path, { type: 'remote', version: homeVersion, text: null });
      }
    },
    [labSessionId, update],
  );

  /** Opens a file's tab; `show` brings it to the front (not so for tabs restored after a reload). */
  const open = useCallback(
    async (path: string, show = true) => {
      if (show) selectFile(path);
      if (tabsRef.current.some((tab) => tab.path === path)) return;
      let tab: TabState;
      try {
        const file = await api.homeFile(labSessionId, path);
        tab = openedTab(path, file, file.version);
      } catch (caught) {
        // Not there yet: `vim new.yaml` opens an empty file that saving creates.
        if (!(caught instanceof ApiError && caught.status === 404)) {
          setNotice({ error: true, text: errorMessage(caught) });
          return;
        }
        const version = await refreshListing();
        if (version === undefined) return;
        tab = openedTab(path, null, version);
      }
      setTabs((list) => (list.some((existing) => existing.path === path) ? list : [...list, tab]));
    },
    [labSessionId, refreshListing, selectFile],
  );

  const save = useCallback(
    async (path: string) => {
      const tab = tabsRef.current.find((candidate) => candidate.path === path);
      if (!tab || readOnly || tab.status === 'saving' || tab.status === 'conflict') return;
      update(path, { type: 'save-started' });
      try {
        const { version } = await api.saveHomeFile(labSessionId, path, tab.text, tab.base);
        update(path, { type: 'saved', version });
        void refreshListing();
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 409) {
          const body = caught.body as Partial<HomeConflict> | undefined;
          update(path, {
            type: 'save-conflict',
            version: typeof body?.version === 'number' ? body.version : tab.base,
            text: typeof body?.text === 'string' ? body.text : null,
          });
        } else
          update(path, {
            type: 'save-failed',
            message: t('editor.saveFailed', { name: displayName(path), message: errorMessage(caught) }),
          });
      }
    },
    [labSessionId, readOnly, refreshListing, t, update],
  );

  // Tabs open before a reload come back; the listing follows every change of the home.
  useEffect(() => {
    void refreshListing();
    const kept = safeParse(sessionStorage.getItem(tabsKey(labSessionId)));
    if (kept) {
      // Restored behind a `kubectl edit` buffer that may be open: that one stays in front.
      kept.paths.forEach((path) => void open(path, false));
      setActive(kept.active ?? kept.paths[kept.paths.length - 1]);
    }
    const socket = getSocket();
    const refreshAll = async () => {
      const version = await refreshListing();
      if (version !== undefined) tabsRef.current.forEach((tab) => void refreshTab(tab.path, version));
    };
    const onChanged = (event: HomeChanged) => {
      if (event.labSessionId === labSessionId) void refreshAll();
    };
    // After a reconnect (the API restarted) changes may have been missed.
    const onConnect = () => void refreshAll();
    socket.on('home.changed', onChanged);
    socket.on('connect', onConnect);
    return () => {
      socket.off('home.changed', onChanged);
      socket.off('connect', onConnect);
    };
  }, [labSessionId, open, refreshListing, refreshTab]);

  useEffect(() => {
    sessionStorage.setItem(
      tabsKey(labSessionId),
      JSON.stringify({ paths: tabs.map((tab) => tab.path), active }),
    );
  }, [labSessionId, tabs, active]);

  useEffect(() => {
    if (!request) return;
    void open(request.path);
    setFocus((n) => n + 1);
  }, [request, open]);

  const close = (path: string) => {
    const tab = tabs.find((candidate) => candidate.path === path);
    if (
      tab &&
      tab.status !== 'clean' &&
      !window.confirm(t('editor.closeUnsaved', { name: displayName(path) }))
    )
      return;
    states.delete(path);
    const rest = tabs.filter((candidate) => candidate.path !== path);
    setTabs(rest);
    if (active === path) setActive(rest[rest.length - 1]?.path);
  };

  const remove = async (node: TreeNode) => {
    const name = displayName(node.path);
    const question = node.kind === 'dir' ? 'editor.deleteDirConfirm' : 'editor.deleteConfirm';
    if (!window.confirm(t(question, { name }))) return;
    try {
      await api.deleteHomeFile(labSessionId, node.path, node.kind === 'dir');
      const gone = (path: string) => path === node.path || path.startsWith(`${node.path}/`);
      tabs.filter((tab) => gone(tab.path)).forEach((tab) => states.delete(tab.path));
      setTabs((list) => list.filter((tab) => !gone(tab.path)));
      if (active && gone(active)) setActive(undefined);
      await refreshListing();
    } catch (caught) {
      setNotice({ error: true, text: errorMessage(caught) });
    }
  };

  const uploadFiles = async (files: FileList | null) => {
    const done: string[] = [];
    for (const file of Array.from(files ?? [])) {
      const path = file.name;
      const name = displayName(path);
      const existing = entries.some((entry) => entry.path === path);
      if (existing && !window.confirm(t('editor.uploadReplace', { name }))) continue;
      try {
        const { version } = await api.home(labSessionId);
        await api.saveHomeFile(labSessionId, path, await file.text(), version);
        done.push(name);
      } catch (caught) {
        setNotice({ error: true, text: t('editor.saveFailed', { name, message: errorMessage(caught) }) });
      }
    }
    if (upload.current) upload.current.value = '';
    if (done.length > 0) setNotice({ error: false, text: t('editor.uploaded', { names: done.join(', ') }) });
    await refreshListing();
  };

  const tree = useMemo(() => buildTree(entries), [entries]);
  const current = tabs.find((tab) => tab.path === active);

  return (
    <div className="editor-pane" data-testid="editor-pane">
      <nav className="editor-files" aria-label={t('editor.files')}>
        <Group justify="space-between" px="xs" py={4} wrap="nowrap">
          <Text size="sm" fw={600}>
            {t('editor.files')}
          </Text>
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => upload.current?.click()}
            disabled={readOnly}
          >
            {t('editor.upload')}
          </Button>
          <input
            ref={upload}
            type="file"
            multiple
            hidden
            aria-label={t('editor.upload')}
            data-testid="upload-input"
            onChange={(event) => void uploadFiles(event.currentTarget.files)}
          />
        </Group>
        <ScrollArea type="auto" className="editor-files-list">
          {tree.length === 0 ? (
            <Text size="xs" c="dimmed" p="xs">
              {t('editor.empty')}
            </Text>
          ) : (
            <FileTree
              nodes={tree}
              activePath={active}
              downloadUrl={(path) => api.homeFileDownloadUrl(labSessionId, path)}
              onOpen={(path) => void open(path)}
              onDelete={(node) => void remove(node)}
            />
          )}
        </ScrollArea>
      </nav>
      <section className="editor-main" aria-label={t('editor.label')}>
        <Group justify="space-between" wrap="nowrap" className="editor-tabs-bar">
          <EditorTabs
            tabs={tabs}
            active={active}
            editTab={
              editBuffer && {
                label: t('edit.title', { name: editBuffer.name }),
                active: editing,
                onSelect: () => {
                  setEditShown(true);
                  setEditFocus((n) => n + 1);
                },
              }
            }
            onSelect={selectFile}
            onClose={close}
          />
          <Switch
            className="editor-vim"
            size="xs"
            label={t('editor.vim')}
            checked={vim}
            onChange={(event) => {
              const on = event.currentTarget.checked;
              localStorage.setItem(VIM_KEY, on ? 'on' : 'off');
              setVimOn(on);
            }}
          />
        </Group>
        {notice && (
          <Alert
            color={notice.error ? 'red' : 'teal'}
            p={6}
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={() => setNotice(undefined)}
            role={notice.error ? 'alert' : 'status'}
          >
            <Text size="xs">{notice.text}</Text>
          </Alert>
        )}
        {editBuffer && (
          <EditBuffer
            key={editKey}
            buffer={editBuffer}
            vim={vim}
            hidden={!editing}
            focus={editFocus}
            onClosed={() => onEditClosed?.()}
          />
        )}
        {editing ? null : current ? (
          <>
            <ConflictBanner
              tab={current}
              onKeepMine={() => update(current.path, { type: 'keep-mine' })}
              onTakeTheirs={() => update(current.path, { type: 'take-theirs' })}
            />
            <Group justify="space-between" px="xs" py={2} wrap="nowrap" className="editor-status">
              <Text size="xs" c="dimmed" data-testid="editor-status" data-status={current.status}>
                {!current.exists && current.status === 'clean'
                  ? t('editor.new')
                  : t(`editor.status.${current.status}`)}
                {current.error ? ` — ${current.error}` : ''}
              </Text>
              <Group gap={6} wrap="nowrap">
                <Button
                  size="compact-xs"
                  component="a"
                  variant="subtle"
                  href={api.homeFileDownloadUrl(labSessionId, current.path)}
                  download
                  disabled={!current.exists}
                >
                  {t('editor.downloadThis')}
                </Button>
                <Button
                  size="compact-xs"
                  onClick={() => void save(current.path)}
                  disabled={readOnly || current.status === 'conflict' || current.status === 'saving'}
                >
                  {t('common.save')}
                </Button>
              </Group>
            </Group>
            <CodeEditor
              path={current.path}
              text={current.text}
              revision={current.revision}
              label={t('editor.of', { name: displayName(current.path) })}
              vim={vim}
              readOnly={readOnly}
              states={states}
              focus={focus}
              onChange={(path, text) => update(path, { type: 'edited', text })}
              onSave={(path) => void save(path)}
            />
            <p className="editor-help">{t('editor.help')}</p>
          </>
        ) : (
          <Text size="sm" c="dimmed" p="md">
            {t('editor.noFile')}
          </Text>
        )}
      </section>
    </div>
  );
}

function safeParse(text: string | null): { paths: string[]; active?: string } | undefined {
  try {
    const value = JSON.parse(text ?? 'null') as { paths?: unknown; active?: unknown } | null;
    if (!value || !Array.isArray(value.paths)) return undefined;
    return {
      paths: value.paths.filter((p): p is string => typeof p === 'string'),
      active: typeof value.active === 'string' ? value.active : undefined,
    };
  } catch {
    return undefined;
  }
}
