/**
 * The schedule and overview API's responses (REST under /api). Times come twice: as ISO instants in
 * UTC (`...At`) and as wall-clock times of the course's zone (`...AtLocal`, "YYYY-MM-DDTHH:mm").
 * Requests give times as either (see src/shared/zoned-time.ts, parseScheduleTime).
 */
import type { LocalizedText } from './http-api';

export interface ScheduleEntryView {
  labId: string;
  title: LocalizedText;
  position: number;
  opensAt: string | null;
  opensAtLocal: string | null;
  dueAt: string | null;
  dueAtLocal: string | null;
  weight: number;
  maxPoints: number;
  stepCount: number;
}

export interface DueExtensionView {
  labId: string;
  userId: string;
  email: string;
  displayName: string;
  dueAt: string;
  dueAtLocal: string;
}

/** GET and PUT /courses/:id/schedule. */
export interface CourseSchedule {
  courseId: string;
  timeZone: string;
  /** The course's labs in order. */
  labs: ScheduleEntryView[];
  /** Installed labs the course does not offer (an instructor can add them). */
  otherLabs: { labId: string; title: LocalizedText }[];
  extensions: DueExtensionView[];
}

/** One student's work on one lab, as the overview shows it. */
export interface OverviewCell {
  labSessionId: string | null;
  passedSteps: number;
  totalSteps: number;
  points: number;
  maxPoints: number;
  completedAt: string | null;
  /** The student's due time (their extension if any). */
  dueAt: string | null;
  extended: boolean;
  late: boolean;
}

export interface OverviewStudent {
  userId: string;
  email: string;
  displayName: string;
  labs: Record<string, OverviewCell>;
  /** The course total: labs weighted by weight, each counted as its share of points (0-100). */
  weightedPercent: number;
}

/** GET /courses/:id/overview (GET /courses/:id/overview.csv has the same rows). */
export interface CourseOverview {
  courseId: string;
  timeZone: string;
  labs: ScheduleEntryView[];
  students: OverviewStudent[];
}
