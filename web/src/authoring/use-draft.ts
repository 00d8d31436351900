import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../lib/api';
import { authoringApi } from './authoring-api';
import { useDraftRoom } from './authoring-socket';
import type { Draft, DraftChangedEvent, DraftConflictBody, LabPreview, ProofEvent } from './authoring-types';
import { draftReducer, initialDraftState, nextSave, unsavedPaths } from './draft-state';
import { applyProofEvent, mergeProofView, ProofProgress } from './proof-state';

/** How long typing pauses before the file is saved (and so validated). */
export const AUTOSAVE_DELAY_MS = 700;

/**
 * One open draft: its files as edited here, autosaved (one debounced PUT at a time, each against the revision
 * it was edited from), other authors' saves taken in live, the loader's problems and the student preview of
 * the saved revision, and the latest proof's progress as it streams in.
 */
export function useDraft(initial: Draft, userId?: string) {
  const [state, dispatch] = useReducer(draftReducer, initial, initialDraftState);
  const [preview, setPreview] = useState<LabPreview>();
  const [proof, setProof] = useState<ProofProgress>();
  const [lastRemote, setLastRemote] = useState<DraftChangedEvent>();
  const [roomError, setRoomError] = useState<string>();
  const draftId = state.draftId;
  const latest = useRef(state);
  latest.current = state;

  const refreshPreview = useCallback(() => {
    authoringApi.validate(draftId).then(
      (validation) => {
        setPreview(validation.lab);
        dispatch({ type: 'problems', problems: validation.problems });
      },
      () => undefined,
    );
  }, [draftId]);

  const fetchRemote = useCallback(() => {
    authoringApi.draft(draftId).then(
      (draft) => dispatch({ type: 'remote', draft }),
      () => undefined,
    );
  }, [draftId]);

  useEffect(refreshPreview, [refreshPreview, state.revision]);

  // Autosave: once typing pauses, the next unsaved file goes out; its answer schedules the one after.
  const pending = nextSave(state);
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => {
      const save = nextSave(latest.current);
      if (!save) return;
      dispatch({ type: 'saveStarted', path: save.path, content: save.content });
      authoringApi.saveFile(draftId, save.path, save.content, save.baseRevision).then(
        (saved) => dispatch({ type: 'saved', path: save.path, content: save.content, ...saved }),
        (error: unknown) => {
          const body =
            error instanceof ApiError ? (error.body as Partial<DraftConflictBody> | undefined) : undefined;
          if (
            error instanceof ApiError &&
            error.status === 409 &&
            body?.code === 'draft_conflict' &&
            body.files
          )
            dispatch({ type: 'conflict', body: { revision: body.revision ?? 0, files: body.files } });
          else dispatch({ type: 'saveFailed', message: errorMessage(error) });
        },
      );
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draftId, pending?.path, pending?.content, pending?.baseRevision]);

  useDraftRoom(draftId, {
    onDraft: (event) => {
      if (event.revision <= latest.current.revision) return;
      // The echo of this author's own save (it may overtake the PUT's answer) is merged but not announced.
      if (event.updatedBy.id !== userId) setLastRemote(event);
      fetchRemote();
    },
    onProof: (event: ProofEvent) => setProof((current) => applyProofEvent(current, event)),
    onJoined: () => {
      setRoomError(undefined);
      fetchRemote();
    },
    onRefused: setRoomError,
  });

  const prove = useCallback(async () => {
    const { proofId } = await authoringApi.prove(draftId);
    setProof((current) =>
      current?.proofId === proofId
        ? current
        : { proofId, revision: latest.current.revision, state: 'queued', steps: [] },
    );
    // Events may have come before the id: the fetched view and they are merged.
    const view = await authoringApi.proof(proofId);
    setProof((current) => mergeProofView(current, view));
  }, [draftId]);

  const deleteFile = useCallback(
    async (path: string) => {
      await authoringApi.deleteFile(draftId, path, latest.current.revision);
      // Merged like another author's save, so unsaved edits of other files stay.
      dispatch({ type: 'remote', draft: await authoringApi.draft(draftId) });
    },
    [draftId],
  );

  return {
    state,
    dispatch,
    unsaved: unsavedPaths(state),
    preview,
    proof,
    prove,
    deleteFile,
    lastRemote,
    roomError,
  };
}

export type DraftSession = ReturnType<typeof useDraft>;
