import type { AppConfig } from '../config/app-config';
import { lineShape, LineShape } from '../engine/terminal/line-shape';
import type { RunKind } from '../shared/events';
import type { RunLimit } from './outcomes';

/** How the platform runs one submitted line: its kind, its time limit and what it runs. */
export interface RunPlan {
  kind: RunKind;
  /** The text handed to the cluster (a background line without its `&`). */
  text: string;
  limit: RunLimit;
  /** Interactive runs: what the terminal shows before each typed line. */
  inputPrompt?: string;
  /** Interactive runs that wait for the editor pane only (`kubectl edit`), never for typed input. */
  editorOnly?: boolean;
  /** `jobs`, `kill`…: run by the platform against the session's job table, not by the cluster. */
  jobControl?: Extract<LineShape, { kind: 'job-control' }>['builtin'];
}

/**
 * The one decision of what kind of run a line is (the API when it admits it, the worker when it
 * runs it: both call this, so they agree). The engine's shell grammar says what the line is.
 */
export function planRun(line: string): RunPlan {
  const shape = lineShape(line);
  switch (shape.kind) {
    case 'background':
      return { kind: 'background', text: shape.text, limit: 'background' };
    case 'interactive':
      return {
        kind: 'interactive',
        text: shape.text,
        limit: 'lasting',
        inputPrompt: shape.inputPrompt,
        editorOnly: shape.editorOnly,
      };
    case 'job-control':
      return { kind: 'foreground', text: shape.text, limit: 'command', jobControl: shape.builtin };
    case 'foreground':
      return { kind: 'foreground', text: shape.text, limit: shape.lasting ? 'lasting' : 'command' };
  }
}

export function limitSeconds(limit: RunLimit, config: AppConfig['commands']): number {
  switch (limit) {
    case 'command':
      return config.timeoutSeconds;
    case 'lasting':
      return config.lastingTimeoutSeconds;
    case 'background':
      return config.backgroundTimeoutSeconds;
  }
}
