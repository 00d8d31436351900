/**
 * The websocket protocol between the platform and the web client: one typed map per direction.
 * Imported by the server (gateway, event emitter) and by the web client, so both sides agree.
 * Rooms: `session:<labSessionId>` (the student and watching instructors), `course:<courseId>`
 * (instructors watching the class), `draft:<draftId>` (authors of a lab draft).
 */

/**
 * The kinds of run (src/commands/run-kinds.ts decides which a line is):
 * - foreground: one at a time per session, in order; the command time limit, or the interactive
 *   limit for commands that follow changes until Ctrl-C (port-forward, proxy, get -w, logs -f…);
 * - background: a line ending in ` &`; a job of the session that runs beside later commands;
 * - interactive: a foreground run that reads what the student types (a heredoc being typed, `read`).
 */
export type RunKind = 'foreground' | 'background' | 'interactive';

/** A background job as bash numbers it: `[1] 4242`. */
export interface JobRef {
  number: number;
  pid: number;
}

export type ClusterLifecycle = 'requested' | 'provisioning' | 'ready' | 'stopping' | 'gone' | 'failed';
export type CommandState =
  'queued' | 'running' | 'completed' | 'cancelled' | 'interrupted' | 'rejected' | 'timed_out';

export interface CommandAccepted {
  labSessionId: string;
  runId: string;
  seq: number;
  command: string;
  kind: RunKind;
  /** Echo of the client's own id for the line, so it can match the ack to what it typed. */
  clientRef?: string;
  queuedAt: string;
  /**
   * The line came from the student's own client through the session's Kubernetes API (issue 20), not from the
   * terminal: `kubectl`, or another client's User-Agent product. The line is what the server saw of it.
   */
  ownClient?: string;
}

export interface CommandStarted {
  labSessionId: string;
  runId: string;
  startedAt: string;
  kind: RunKind;
  /** Background runs: the job's number and process id, printed as `[1] 4242`. */
  job?: JobRef;
  /** Interactive runs: what the terminal shows before each typed line (`> ` inside a heredoc). */
  inputPrompt?: string;
}

/**
 * An interactive run opened the page's editor pane (`kubectl edit`): show `text` under `name` until the student
 * saves and closes it (command.input with `edited`). A reopened buffer (an invalid edit) comes as a new event.
 */
export interface CommandEditor {
  labSessionId: string;
  runId: string;
  name: string;
  text: string;
}

export interface CommandOutput {
  labSessionId: string;
  runId: string;
  stream: 'stdout' | 'stderr';
  data: string;
}

export interface CommandExit {
  labSessionId: string;
  runId: string;
  exitCode: number;
  status: CommandState;
  durationMs: number;
  truncated: boolean;
  /** A note the terminal shows after the output, e.g. why the command stopped. */
  note?: string;
  kind: RunKind;
  /** Background runs: the line bash prints when a job ends, e.g. `[1]+  Done    kubectl …`. */
  jobNotice?: string;
}

export type RejectionCode =
  'invalid_line' | 'invalid_request' | 'rate_limited' | 'not_found' | 'forbidden' | 'unavailable';

export interface CommandRejected {
  labSessionId: string;
  clientRef?: string;
  runId?: string;
  code: RejectionCode;
  message: string;
  retryAfterSeconds?: number;
}

export interface ClusterStatusEvent {
  labSessionId: string;
  clusterId: string;
  status: ClusterLifecycle;
  progress?: { step: string; done: number; total: number };
  message?: string;
  idleExpiresAt?: string | null;
  hardDeadlineAt?: string | null;
}

export interface ClusterIdleWarning {
  labSessionId: string;
  clusterId: string;
  expiresAt: string;
}

export interface StepStatus {
  stepId: string;
  state: 'pending' | 'passed' | 'failed';
  points: number;
  maxPoints: number;
  firstPassedAt: string | null;
  attempts: number;
  /** Why the step is not passed yet, in the student's language where available. */
  reasons?: { en: string; zh: string }[];
  hints?: { en: string; zh: string }[];
}

export interface GradingUpdate {
  labSessionId: string;
  userId: string;
  courseId: string;
  labId: string;
  steps: StepStatus[];
  totalPoints: number;
  maxPoints: number;
  /** Steps that passed for the first time with this update. */
  newlyPassed: string[];
}

/** The student's home directory changed (a command wrote files, or an editor saved one). */
export interface HomeChanged {
  labSessionId: string;
  /** The stored home's new version (GET /api/lab-sessions/:id/home answers it). */
  version: number;
  /** The command whose run changed it; absent for an editor save or removal. */
  runId?: string;
}

export interface HistoryEntry {
  runId: string;
  seq: number;
  command: string;
  status: CommandState;
  exitCode: number | null;
  output: string;
  truncated: boolean;
  queuedAt: string;
  finishedAt: string | null;
  kind: RunKind;
  job?: JobRef;
  /** A line from the student's own client (CommandAccepted.ownClient). */
  ownClient?: string;
}

/** A background job still running, as a reloaded terminal lists it. */
export interface RunningJob extends JobRef {
  runId: string;
  command: string;
  startedAt: string;
}

export interface SessionSnapshot {
  labSessionId: string;
  history: HistoryEntry[];
  /** The session's background jobs still running. */
  jobs: RunningJob[];
  /** The interactive run waiting for input, if any (a reload resumes typing into it). */
  waitingForInput: { runId: string; inputPrompt: string } | null;
  /** The buffer that run has open in the editor pane (`kubectl edit`), shown again after a reload. */
  editing: CommandEditor | null;
  cluster: ClusterStatusEvent | null;
  readOnly: boolean;
}

/** A draft being authored was saved (or a file removed) by `updatedBy`. */
export interface DraftChanged {
  draftId: string;
  revision: number;
  path: string;
  updatedBy: { id: string; displayName: string };
}

/** A proof's progress: its state, and with each finished step that step's outcome. */
export interface ProofProgress {
  proofId: string;
  draftId: string;
  revision: number;
  state: 'queued' | 'running' | 'passed' | 'failed';
  step?: { id: string; index: number; total: number; outcome: 'passed' | 'failed'; message?: string };
  /** Why a proof failed as a whole (a self-test stopped past its time limit, a lab that does not load). */
  message?: string;
}

export interface ServerToClientEvents {
  'command.accepted': (payload: CommandAccepted) => void;
  'command.started': (payload: CommandStarted) => void;
  'command.output': (payload: CommandOutput) => void;
  'command.editor': (payload: CommandEditor) => void;
  'command.exit': (payload: CommandExit) => void;
  'command.rejected': (payload: CommandRejected) => void;
  'cluster.status': (payload: ClusterStatusEvent) => void;
  'cluster.idle-warning': (payload: ClusterIdleWarning) => void;
  'grading.updated': (payload: GradingUpdate) => void;
  'home.changed': (payload: HomeChanged) => void;
  /** Room `draft:<draftId>`: another author saved the draft (reload it, or merge). */
  'authoring.draft': (payload: DraftChanged) => void;
  /** Room `draft:<draftId>`: a proof of the draft changed state or finished a step. */
  'authoring.proof': (payload: ProofProgress) => void;
}

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Every client request is acknowledged: ok with a result, or an error the client can show. */
export type Ack<T> = (result: { ok: true; data: T } | { ok: false; code: string; message: string }) => void;

export interface ClientToServerEvents {
  /** Join a lab session's room: the student's own session, or read-only for its course's instructors. */
  'session.join': (payload: { labSessionId: string }, ack: Ack<SessionSnapshot>) => void;
  'session.leave': (payload: { labSessionId: string }, ack: Ack<null>) => void;
  /** Instructors: live grading updates of a whole course. */
  'course.watch': (payload: { courseId: string }, ack: Ack<null>) => void;
  'command.submit': (
    payload: { labSessionId: string; command: string; clientRef?: string },
    ack: Ack<CommandAccepted>,
  ) => void;
  /**
   * What the student types while an interactive run of theirs waits for input: `data` is one or more
   * whole lines (each ending in a newline); `eof` is Ctrl-D (no more input). `edited` is the editor pane's
   * text when the student closes a buffer the run opened (command.editor): the text it was given means
   * closed without saving.
   */
  'command.input': (
    payload: { labSessionId: string; runId: string; data?: string; eof?: boolean; edited?: string },
    ack: Ack<null>,
  ) => void;
  /** Ctrl-C: cancels the given run, or the session's running and queued commands when runId is absent. */
  'command.cancel': (
    payload: { labSessionId: string; runId?: string },
    ack: Ack<{ cancelled: number }>,
  ) => void;
  /** Authors of a draft's course: its saves and proofs (room `draft:<draftId>`). */
  'authoring.watch': (payload: { draftId: string }, ack: Ack<null>) => void;
}

export const sessionRoom = (labSessionId: string) => `session:${labSessionId}`;
export const courseRoom = (courseId: string) => `course:${courseId}`;
export const draftRoom = (draftId: string) => `draft:${draftId}`;
