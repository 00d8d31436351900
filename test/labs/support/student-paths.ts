/**
 * What every lab's student-path spec needs: the lab loaded from labs/<id>, its steps by id, a way to play
 * terminal lines in a LabSession, the reasons of the checks that fail and the ids of the hints that fire.
 */
import { join } from 'node:path';
import { diagnose, evaluateStep, Lab, loadLabFile, Step } from '../../../src/labs';
import { LabSession } from '../../../src/labs/runner/lab-session';

export interface StudentPaths {
  lab: Lab;
  step(id: string): Step;
  /** Runs lines (`+30s` advances the clock) and fails loudly if a command unexpectedly fails. */
  play(session: LabSession, lines: string[], expectFailure?: string[]): Promise<void>;
  /** The English reasons of the step's checks that do not hold. */
  failing(session: LabSession, stepId: string): Promise<string[]>;
  /** The ids of the diagnostics that fire during the step. */
  hintIds(session: LabSession, stepId: string): Promise<string[]>;
}

/** A here-document that writes `text` to `file` in the student's home, as the editor pane would save it. */
export function hereDoc(file: string, text: string): string {
  return `cat > ${file} <<'EOF'\n${text.trim()}\nEOF`;
}

export function studentPaths(labId: string): StudentPaths {
  const lab = loadLabFile(join(__dirname, '../../../labs', labId, 'lab.yaml'));
  const step = (id: string): Step => {
    const found = lab.steps.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no step ${id} in lab ${labId}`);
    return found;
  };
  return {
    lab,
    step,
    async play(session, lines, expectFailure = []) {
      for (const line of lines) {
        const advance = /^\+(\d+)s$/.exec(line);
        if (advance) {
          session.advance(Number(advance[1]) * 1000);
          continue;
        }
        const run = await session.run(line);
        if (!expectFailure.includes(line))
          expect({ line, exitCode: run.exitCode, output: run.output }).toMatchObject({ exitCode: 0 });
      }
    },
    async failing(session, stepId) {
      const verdict = await evaluateStep(step(stepId), session.context);
      return verdict.checks.filter((check) => !check.passed).map((check) => check.reason.en);
    },
    async hintIds(session, stepId) {
      return (await diagnose(lab, session.context, { stepId })).map((hint) => hint.id);
    },
  };
}
