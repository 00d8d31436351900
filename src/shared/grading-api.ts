/**
 * Wire shapes of the instructor's grading API (gradebook and session replay), shared by the server
 * and the web client. Times are ISO strings.
 */

export type LocalizedText = Record<'zh-CN' | 'en', string>;

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
  /** When the last step passed, if every step has. */
  completedAt: string | null;
  steps: Record<string, GradebookStepCell>;
}

export interface Gradebook {
  lab: { id: string; title: LocalizedText; steps: { id: string; title: LocalizedText; points: number }[] };
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
