import type { GradingUpdate } from '@shared/events';
import type {
  Course,
  CourseStudent,
  Gradebook,
  GradingRequested,
  HomeAtRun,
  HomeFile,
  HomeListing,
  HomeSaved,
  LabSessionView,
  LabView,
  PlatformLoad,
  Replay,
  StepResultView,
  User,
} from '@shared/http-api';
import type { CourseOverview, CourseSchedule, DueExtensionView } from '@shared/schedule-api';

/** A schedule row as PUT /courses/:id/schedule takes it: times local to the course zone, or null. */
export interface ScheduleRowInput {
  labId: string;
  opensAt: string | null;
  dueAt: string | null;
  weight: number;
}

/** An error the API answered with: {statusCode, message, fields?}, plus Retry-After when throttled. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields?: Record<string, string[] | string>,
    readonly retryAfterSeconds?: number,
    /** The whole answer (a save's 409 carries the newer copy of the file). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** Called when a signed-in request comes back 401 (the session expired or was revoked). */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => {
    unauthorizedListeners.delete(listener);
  };
}

/** One JSON request to the API (exported for feature modules that keep their own endpoints, e.g. authoring). */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { Accept: 'application/json' }
          : { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (response.status === 401 && !path.startsWith('/auth/'))
    unauthorizedListeners.forEach((listener) => listener());
  if (!response.ok) {
    const payload = (data ?? {}) as { message?: unknown; fields?: Record<string, string[] | string> };
    const message = Array.isArray(payload.message)
      ? payload.message.join('; ')
      : typeof payload.message === 'string'
        ? payload.message
        : `${response.status} ${response.statusText}`;
    const retryAfter = Number(response.headers.get('Retry-After'));
    throw new ApiError(
      response.status,
      message,
      payload.fields,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      data,
    );
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

const json = (value: string) => encodeURIComponent(value);

export const api = {
  me: () => request<User>('GET', '/auth/me'),
  login: (email: string, password: string) => request<User>('POST', '/auth/login', { email, password }),
  register: (input: { email: string; password: string; displayName: string; joinCode?: string }) =>
    request<User>('POST', '/auth/register', input),
  logout: () => request<void>('POST', '/auth/logout'),

  courses: () => request<Course[]>('GET', '/courses'),
  /** Instructors and admins: the workers' load and the refusals of the last minute (issue 21). */
  platformLoad: () => request<PlatformLoad>('GET', '/platform/load'),
  createCourse: (title: string) => request<Course>('POST', '/courses', { title }),
  joinCourse: (joinCode: string) => request<Course>('POST', '/courses/join', { joinCode }),
  rotateJoinCode: (courseId: string) => request<Course>('POST', `/courses/${json(courseId)}/join-code`),

  labs: (courseId: string) => request<LabView[]>('GET', `/courses/${json(courseId)}/labs`),
  lab: (courseId: string, labId: string) =>
    request<LabView>('GET', `/courses/${json(courseId)}/labs/${json(labId)}`),
  startSession: (courseId: string, labId: string) =>
    request<LabSessionView>('POST', `/courses/${json(courseId)}/labs/${json(labId)}/session`),

  session: (id: string) => request<LabSessionView>('GET', `/lab-sessions/${json(id)}`),
  resetSession: (id: string) => request<LabSessionView>('POST', `/lab-sessions/${json(id)}/reset`),
  extendSession: (id: string) => request<LabSessionView>('POST', `/lab-sessions/${json(id)}/extend`),
  grading: (id: string) => request<GradingUpdate | null>('GET', `/lab-sessions/${json(id)}/grading`),
  requestGrading: (id: string) => request<GradingRequested>('POST', `/lab-sessions/${json(id)}/grading`),

  gradebook: (courseId: string, labId: string) =>
    request<Gradebook>('GET', `/courses/${json(courseId)}/gradebook?labId=${json(labId)}`),
  gradebookCsvUrl: (courseId: string, labId: string) =>
    `/api/courses/${json(courseId)}/gradebook.csv?labId=${json(labId)}`,
  // The course schedule (instructors): times are local date-times of the course's time zone.
  schedule: (courseId: string) => request<CourseSchedule>('GET', `/courses/${json(courseId)}/schedule`),
  saveSchedule: (courseId: string, labs: ScheduleRowInput[]) =>
    request<CourseSchedule>('PUT', `/courses/${json(courseId)}/schedule`, { labs }),
  setTimeZone: (courseId: string, timeZone: string) =>
    request<Course>('PUT', `/courses/${json(courseId)}/time-zone`, { timeZone }),
  setExtension: (courseId: string, labId: string, userId: string, dueAt: string) =>
    request<DueExtensionView>(
      'PUT',
      `/courses/${json(courseId)}/labs/${json(labId)}/extensions/${json(userId)}`,
      { dueAt },
    ),
  removeExtension: (courseId: string, labId: string, userId: string) =>
    request<void>('DELETE', `/courses/${json(courseId)}/labs/${json(labId)}/extensions/${json(userId)}`),
  overview: (courseId: string) => request<CourseOverview>('GET', `/courses/${json(courseId)}/overview`),
  overviewCsvUrl: (courseId: string) => `/api/courses/${json(courseId)}/overview.csv`,
  students: (courseId: string) => request<CourseStudent[]>('GET', `/courses/${json(courseId)}/students`),
  replay: (id: string) => request<Replay>('GET', `/lab-sessions/${json(id)}/replay`),
  override: (id: string, stepId: string, points: number | null, comment: string) =>
    request<StepResultView>('PUT', `/lab-sessions/${json(id)}/steps/${json(stepId)}/override`, {
      points,
      comment,
    }),

  // The student's home, for the editor pane (paths are relative to the home folder).
  home: (id: string) => request<HomeListing>('GET', `/lab-sessions/${json(id)}/home`),
  homeFile: (id: string, path: string) =>
    request<HomeFile>('GET', `/lab-sessions/${json(id)}/home/file?path=${json(path)}`),
  homeFileDownloadUrl: (id: string, path: string) =>
    `/api/lab-sessions/${json(id)}/home/file?path=${json(path)}&download=1`,
  /** `baseVersion`: the home version the text was edited from; 409 (HomeConflict) when the file changed since. */
  saveHomeFile: (id: string, path: string, text: string, baseVersion: number) =>
    request<HomeSaved>('PUT', `/lab-sessions/${json(id)}/home/file`, {
      path,
      text,
      baseVersion,
    }),
  /** The files as they were after one command of the session (instructors' replay). */
  homeAt: (id: string, runId: string) =>
    request<HomeAtRun>('GET', `/lab-sessions/${json(id)}/home/at/${json(runId)}`),
  deleteHomeFile: (id: string, path: string, recursive = false) =>
    request<HomeSaved>(
      'DELETE',
      `/lab-sessions/${json(id)}/home/file?path=${json(path)}${recursive ? '&recursive=1' : ''}`,
    ),
  /** The engine's OpenAPI v3 document of a group version (`api/v1`, `apis/apps/v1`). */
  openApi: (documentPath: string) => request<unknown>('GET', `/schema/openapi/v3/${documentPath}`),
};

/** A message for any error: the API's own text when there is one. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
