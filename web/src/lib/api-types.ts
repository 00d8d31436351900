/** Shapes of the JSON the API returns (dates arrive as ISO strings). Mirrors src/services/*. */
import type { ClusterStatusEvent } from '@shared/events';
import type { ReplayEvent } from '@shared/grading-api';
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

export type { Gradebook, GradebookRow, GradebookStepCell, ReplayEvent } from '@shared/grading-api';

export interface Replay {
  session: LabSessionView;
  student: { id: string; email: string; displayName: string };
  events: ReplayEvent[];
}
