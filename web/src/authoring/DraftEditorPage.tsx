import './authoring.css';
import { Alert, Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useAuth } from '../auth/auth';
import { useI18n } from '../i18n/i18n';
import { ErrorState, Loading } from '../layout/States';
import { errorMessage } from '../lib/api';
import { Link } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { useTitle } from '../lib/use-title';
import { authoringApi } from './authoring-api';
import type { Draft } from './authoring-types';
import { ConflictNotice } from './ConflictNotice';
import { DraftFilesBar } from './DraftFilesBar';
import { DraftFileTabs } from './DraftFileTabs';
import { LabFileEditor } from './LabFileEditor';
import { orderFiles, PlacedProblem, problemsByFile } from './problem-lines';
import { ProblemList } from './ProblemList';
import { ProofPanel } from './ProofPanel';
import { publishBlock } from './proof-state';
import { PublishControl } from './PublishControl';
import { SaveStatus } from './SaveStatus';
import { StepPreview } from './StepPreview';
import { TryAsStudentButton } from './TryAsStudentButton';
import { useDraft } from './use-draft';

/** /authoring/drafts/:draftId — loads the draft, then the editor. */
export function DraftEditorPage({ draftId }: { draftId: string }) {
  const [draft, reload] = useAsync(() => authoringApi.draft(draftId), [draftId]);
  if (draft.status === 'loading') return <Loading />;
  if (draft.status === 'error')
    return (
      <main id="main" className="page">
        <ErrorState error={draft.error} onRetry={() => void reload()} />
      </main>
    );
  return <DraftEditor key={draftId} draft={draft.data} />;
}

function DraftEditor({ draft }: { draft: Draft }) {
  const { t, formatDateTime } = useI18n();
  const { user } = useAuth();
  const session = useDraft(draft, user?.id);
  const { state, dispatch, unsaved, proof } = session;
  const paths = useMemo(() => orderFiles(Object.keys(state.files)), [state.files]);
  const [active, setActive] = useState(paths[0] ?? 'lab.yaml');
  const [reveal, setReveal] = useState<{ path: string; line: number; nonce: number }>();
  const [actionError, setActionError] = useState<string>();
  useTitle(`${state.labId} — ${t('author.title')}`);

  const grouped = useMemo(() => problemsByFile(state.problems, state.files), [state.problems, state.files]);
  const placed = useMemo(() => [...grouped.values()].flat(), [grouped]);
  const counts = useMemo(() => new Map([...grouped].map(([path, list]) => [path, list.length])), [grouped]);
  const shownPath = state.files[active] === undefined ? (paths[0] ?? active) : active;
  const block = publishBlock({
    revision: state.revision,
    unsaved: unsaved.length > 0 || state.saving !== undefined,
    problems: state.problems.length,
    proof,
  });

  const pick = (problem: PlacedProblem) => {
    if (state.files[problem.path] !== undefined) setActive(problem.path);
    setReveal({ path: problem.path, line: problem.line, nonce: Date.now() });
  };
  return (
    <main id="main" className="page page-full authoring-page">
      <Stack gap="xs" p="sm" className="authoring-layout">
        <Group justify="space-between" wrap="wrap">
          <div>
            <Anchor component={Link} to={{ name: 'authoring', courseId: state.courseId }} size="sm">
              ← {t('author.back')}
            </Anchor>
            <Group gap="xs">
              <Title order={1} size="h3">
                {state.labId}
              </Title>
              <SaveStatus
                saving={state.saving !== undefined}
                unsaved={unsaved.length}
                error={state.error}
                revision={state.revision}
              />
            </Group>
            {state.updatedBy && state.updatedAt && (
              <Text size="xs" c="dimmed">
                {t('author.updated', {
                  revision: state.revision,
                  time: formatDateTime(state.updatedAt),
                  name: state.updatedBy.displayName,
                })}
              </Text>
            )}
          </div>
          <Group gap="xs">
            <TryAsStudentButton
              draftId={state.draftId}
              disabled={state.problems.length > 0}
              onError={setActionError}
            />
            <PublishControl
              draftId={state.draftId}
              courseId={state.courseId}
              revision={state.revision}
              block={block}
              proof={proof}
            />
          </Group>
        </Group>
        {actionError && (
          <Alert color="red" p={6} role="alert">
            {actionError}
          </Alert>
        )}
        {session.roomError && (
          <Alert color="orange" p={6} role="alert">
            {session.roomError}
          </Alert>
        )}
        {state.conflict && (
          <ConflictNotice
            paths={state.conflict.paths}
            by={session.lastRemote?.updatedBy}
            onKeepMine={() => dispatch({ type: 'keepMine' })}
            onTakeTheirs={() => dispatch({ type: 'takeTheirs' })}
          />
        )}
        {session.lastRemote && !state.conflict && (
          <Text size="xs" c="dimmed" role="status" data-testid="remote-save">
            {t('author.remoteSaved', {
              name: session.lastRemote.updatedBy.displayName,
              path: session.lastRemote.path,
            })}
          </Text>
        )}
        <div className="authoring-columns">
          <section className="authoring-editor" aria-label={t('author.files')}>
            <Stack gap={4}>
              <DraftFileTabs
                paths={paths}
                active={shownPath}
                unsaved={unsaved}
                problemCounts={counts}
                onSelect={setActive}
              />
              <DraftFilesBar
                active={shownPath}
                paths={paths}
                onAdd={(path) => {
                  dispatch({ type: 'edited', path, content: '' });
                  setActive(path);
                }}
                onDelete={(path) => {
                  session.deleteFile(path).catch((error: unknown) => setActionError(errorMessage(error)));
                  setActive('lab.yaml');
                }}
              />
            </Stack>
            <div className="authoring-editor-host">
              <LabFileEditor
                path={shownPath}
                text={state.files[shownPath] ?? ''}
                external={state.external}
                label={t('author.editorLabel', { name: shownPath })}
                problems={grouped.get(shownPath) ?? []}
                reveal={reveal}
                onChange={(path, content) => dispatch({ type: 'edited', path, content })}
              />
            </div>
          </section>
          <aside className="authoring-side">
            <Stack gap="sm">
              <ProblemList problems={placed} onPick={pick} />
              <ProofPanel
                proof={proof}
                disabled={block === 'unsaved' || block === 'problems'}
                onProve={session.prove}
              />
              <Title order={2} size="h5">
                {t('author.preview')}
              </Title>
              <StepPreview lab={session.preview} />
            </Stack>
          </aside>
        </div>
      </Stack>
    </main>
  );
}
