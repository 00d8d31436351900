import type { Regrade } from '@shared/authoring-api';
import { ApiError, request } from '../lib/api';
import type { AuthoringLabs, Draft, ProofView, SavedFile, Validation } from './authoring-types';

const e = encodeURIComponent;

/** The authoring endpoints (/api/authoring/...), as the contract with the backend names them. */
export const authoringApi = {
  labs: (courseId: string) => request<AuthoringLabs>('GET', `/authoring/labs?courseId=${e(courseId)}`),
  createDraft: (input: {
    courseId: string;
    copyFrom?: { labId: string; version?: number };
    labId?: string;
  }) => request<Draft>('POST', '/authoring/drafts', input),
  draft: (draftId: string) => request<Draft>('GET', `/authoring/drafts/${e(draftId)}`),
  /** 409 (ApiError with body DraftConflictBody) when `baseRevision` is no longer the draft's revision. */
  saveFile: (draftId: string, path: string, content: string, baseRevision: number) =>
    request<SavedFile>('PUT', `/authoring/drafts/${e(draftId)}/files`, { path, content, baseRevision }),
  deleteFile: (draftId: string, path: string, baseRevision: number) =>
    request<SavedFile>('DELETE', `/authoring/drafts/${e(draftId)}/files`, { path, baseRevision }),
  validate: (draftId: string) => request<Validation>('POST', `/authoring/drafts/${e(draftId)}/validate`),
  prove: (draftId: string) => request<{ proofId: string }>('POST', `/authoring/drafts/${e(draftId)}/prove`),
  proof: (proofId: string) => request<ProofView>('GET', `/authoring/proofs/${e(proofId)}`),
  publish: (draftId: string, courseId: string) =>
    request<{ labId: string; version: number }>('POST', `/authoring/drafts/${e(draftId)}/publish`, {
      courseId,
    }),
  tryAsStudent: (draftId: string) =>
    request<{ labSessionId: string }>('POST', `/authoring/drafts/${e(draftId)}/try`),
  startRegrade: (labId: string, courseId: string, fromVersion: number) =>
    request<{ regradeId: string }>('POST', `/authoring/labs/${e(labId)}/regrade`, { courseId, fromVersion }),
  regrade: (regradeId: string) => request<Regrade>('GET', `/authoring/regrades/${e(regradeId)}`),
  exportUrl: (labId: string, courseId: string, version?: number) =>
    `/api/authoring/labs/${e(labId)}/export.tar.gz?courseId=${e(courseId)}${version === undefined ? '' : `&version=${version}`}`,
  /**
   * Uploads a .tar.gz bundle as a new draft (renamed to `labId` when given); the API answers 400 with a clear
   * message for a bundle it refuses.
   */
  importBundle: async (courseId: string, bundle: Blob, labId?: string): Promise<Draft> => {
    let response: Response;
    try {
      const rename = labId ? `&labId=${e(labId)}` : '';
      response = await fetch(`/api/authoring/import?courseId=${e(courseId)}${rename}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/gzip', Accept: 'application/json' },
        body: bundle,
      });
    } catch {
      throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
    }
    const text = await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = { message: text.slice(0, 200) };
    }
    if (!response.ok) {
      const message = (data as { message?: unknown } | undefined)?.message;
      throw new ApiError(
        response.status,
        Array.isArray(message)
          ? message.join('; ')
          : typeof message === 'string'
            ? message
            : response.statusText,
        undefined,
        undefined,
        data,
      );
    }
    return data as Draft;
  },
};
