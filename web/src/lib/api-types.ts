/** Shapes of the JSON the API returns (dates arrive as ISO strings). Mirrors src/services/*. */
import type { ClusterStatusEvent } from '@shared/events';
import type { Localized } from '../i18n/i18n';

export type Role = 'student' | 'instructor' | 'admin';

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

export interface Course {
  id: string;
  title: string;
  role: Role;
  joinCode?: string;
  createdAt: string;
}

export interface LabStep {
  id: string;
  title: Localized;
  instructions: Localized;
  points: number;
  hints: Localized[];
  solution?: string[];
}

export interface LabView {
  id: string;
  title: Localized;
  description: Localized;
  estimatedMinutes: number;
  totalPoints: number;
  steps: LabStep[];
}

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

export interface GradebookStepCell {
  state: string;
  points: number;
  firstPassedAt: string | null;
  overridden: boolean;
}

export interface GradebookRow {
  userId: string;
  email: string;
  displayName: string;
  labSessionId: string | null;
  totalPoints: number;
  maxPoints: number;
  completedAt: string | null;
  steps: Record<string, GradebookStepCell>;
}

export interface Gradebook {
  lab: { id: string; title: Localized; steps: { id: string; title: Localized; points: number }[] };
  rows: GradebookRow[];
}

export type ReplayEvent =
  | {
      type: 'command';
      at: string;
      seq: number;
      command: string;
      output: string;
      exitCode: number | null;
      status: string;
    }
  | { type: 'grading'; at: string; stepId: string; state: string; points: number }
  | { type: 'override'; at: string; stepId: string; points: number | null; comment: string; by: string };

export interface Replay {
  session: LabSessionView;
  student: { id: string; email: string; displayName: string };
  events: ReplayEvent[];
}
