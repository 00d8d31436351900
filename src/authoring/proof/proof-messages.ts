/** What the proof thread tells the job that started it. */
export type ThreadMessage =
  | { type: 'step'; stepId: string; ok: boolean; message?: string }
  | { type: 'done'; ok: boolean }
  | { type: 'error'; message: string };
