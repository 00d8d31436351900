/**
 * The HTTP API's responses (REST under /api), as the JSON the client receives: times are ISO
 * strings. Imported by the server (services and controllers return these types) and by the web
 * client, so both sides agree, as src/shared/events.ts does for the websocket.
 */
import type { ClusterStatusEvent } from './events';

/** A text in each language the platform speaks (lab titles and instructions, Markdown where prose). */
export type LocalizedText = Record<'zh-CN' | 'en', string>;

export type Role = 'student' | 'instructor' | 'admin';

/** POST /auth/register, POST /auth/login, GET /auth/me, POST /users. */
export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

/** POST /courses, GET /courses, POST /courses/join, GET /courses/:id, POST /courses/:id/join-code. */
export interface Course {
  id: string;
  title: string;
  /** The caller's role in the course. */
  role: Role;
  /** Only instructors of the course see the code. */
  joinCode?: string;
  createdAt: string;
  /** IANA zone of the course's schedule (local times are entered and shown in it). */
  timeZone: string;
}

/** GET /courses/:id/students. */
export interface CourseStudent {
  id: string;
  email: string;
  displayName: string;
  joinedAt: string;
}

export interface LabStep {
  id: string;
  title: LocalizedText;
  instructions: LocalizedText;
  points: number;
  hints: LocalizedText[];
  /** The reference solution: instructors only. */
  solution?: string[];
}

/** GET /courses/:id/labs (a list), GET /courses/:id/labs/:labId. */
export interface LabView {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  estimatedMinutes: number;
  totalPoints: number;
  steps: LabStep[];
  /** The lab's place in the course's schedule (see src/shared/schedule-api.ts). */
  schedule?: LabScheduleView;
}

/** When a lab is open and due; for a student the due time is their own (an extension counts). */
export interface LabScheduleView {
  position: number;
  /** ISO instants (UTC) and the same in the course's zone as "YYYY-MM-DDTHH:mm"; null: no date. */
  opensAt: string | null;
  opensAtLocal: string | null;
  dueAt: string | null;
  dueAtLocal: string | null;
  timeZone: string;
  /** The due time is this student's extension. */
  extended: boolean;
  weight: number;
}

/**
 * POST /courses/:id/labs/:labId/session, GET /lab-sessions/:id, POST /lab-sessions/:id/reset,
 * POST /lab-sessions/:id/extend.
 */
export interface LabSessionView {
  id: string;
  courseId: string;
  labId: string;
  userId: string;
  status: string;
  startedAt: string;
  idleExpiresAt: string | null;
  hardDeadlineAt: string | null;
  cluster: ClusterStatusEvent | null;
}

/** POST /lab-sessions/:id/grading (202): the grading runs, its result arrives over the websocket. */
export interface GradingRequested {
  queued: true;
}

export interface GradebookStepCell {
  state: string;
  points: number;
  firstPassedAt: string | null;
  overridden: boolean;
  /** First passed after the student's due time (still graded; see src/services/lateness.ts). */
  late: boolean;
}

export interface GradebookRow {
  userId: string;
  email: string;
  displayName: string;
  labSessionId: string | null;
  totalPoints: number;
  maxPoints: number;
  /** When the last step passed, if every step has. */
  completedAt: string | null;
  /** The student's due time for the lab (their extension if any), null when the lab has none. */
  dueAt: string | null;
  /** Any step passed after dueAt. */
  late: boolean;
  /** The published version of the lab the student's session is pinned to; null for built-in labs or no session. */
  labVersion: number | null;
  steps: Record<string, GradebookStepCell>;
}

/** GET /courses/:id/gradebook?labId= (the CSV export has the same rows). */
export interface Gradebook {
  lab: { id: string; title: LocalizedText; steps: { id: string; title: LocalizedText; points: number }[] };
  rows: GradebookRow[];
}

export type ReplayEvent =
  | {
      type: 'command';
      at: string;
      /** The run: GET /lab-sessions/:id/home/at/:runId gives the student's files as they were after it. */
      runId: string;
      seq: number;
      command: string;
      output: string;
      exitCode: number | null;
      status: string;
      /** A line from the student's own client through the session's Kubernetes API: `kubectl` or its product. */
      ownClient?: string;
    }
  | { type: 'grading'; at: string; stepId: string; state: string; points: number }
  | { type: 'override'; at: string; stepId: string; points: number | null; comment: string; by: string };

/** GET /lab-sessions/:id/replay: the session's commands, gradings and overrides in time order. */
export interface Replay {
  session: LabSessionView;
  student: { id: string; email: string; displayName: string };
  events: ReplayEvent[];
}

/** PUT /lab-sessions/:id/steps/:stepId/override: the step's result with the override applied. */
export interface StepResultView {
  id: string;
  labSessionId: string;
  stepId: string;
  state: 'pending' | 'passed' | 'failed';
  attempts: number;
  points: number;
  maxPoints: number;
  firstPassedAt: string | null;
  lastCheckedAt: string | null;
  overridePoints: number | null;
  overrideComment: string | null;
  overriddenById: string | null;
  overriddenAt: string | null;
}

export interface HealthCheck {
  ok: boolean;
  detail: string;
  latencyMs: number;
}

/** The parts of the platform health reports on. */
export type HealthPart = 'database' | 'redis' | 'workers' | 'clusterDriver';

/** GET /health: 200 when every part is ok, 503 otherwise, naming the parts that are down. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  /** The parts whose check failed, e.g. ['database'] during a PostgreSQL outage. */
  down: HealthPart[];
  checks: Record<HealthPart, HealthCheck>;
}

/** One entry of a student's home directory (/home/student), its path relative to `~`. */
export interface HomeEntryView {
  path: string;
  kind: 'file' | 'dir';
  /** UTF-8 bytes of a file; 0 for a folder. */
  size: number;
  mtime: string;
}

/** GET /lab-sessions/:id/home: every entry, sorted by path. */
export interface HomeListing {
  version: number;
  entries: HomeEntryView[];
}

/** GET /lab-sessions/:id/home/file?path=P. */
export interface HomeFile {
  path: string;
  text: string;
  version: number;
}

/** PUT and DELETE /lab-sessions/:id/home/file: the home's version after the change. */
export interface HomeSaved {
  version: number;
}

/**
 * The body of PUT's 409: the file changed since `baseVersion` (another tab saved, or a command wrote
 * it). `text` is the file as it is now, null when it was removed.
 */
export interface HomeConflict {
  statusCode: 409;
  message: string;
  version: number;
  text: string | null;
}

/** GET /lab-sessions/:id/home/at/:commandRunId (replay): the home as it was after that command. */
export interface HomeAtRun {
  runId: string;
  version: number;
  entries: (HomeEntryView & { text?: string })[];
}

/** One commands queue's load: a worker's own (placement), a Docker host's, or the shared one ("shared"). */
export interface WorkerLoadRow {
  worker: string;
  waiting: number;
  oldestWaitingMs: number;
  active: number;
  /** Beyond ADMISSION_MAX_WAITING or ADMISSION_MAX_WAIT_MS: new commands are refused. */
  overloaded: boolean;
}

/** GET /platform/load (instructors and admins): the platform's load and its overload bounds. */
export interface PlatformLoad {
  workers: WorkerLoadRow[];
  refusalsLastMinute: number;
  /** 0 = that bound is off. */
  bounds: { maxWaiting: number; maxWaitMs: number };
  measuredAt: string;
}
