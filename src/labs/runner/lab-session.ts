/**
 * A student's session against a fresh embedded cluster on a virtual clock: typed lines go through the lab
 * terminal (waiting commands see the clock stepped, as in the engine's transcript runner) and land in the
 * command history the checks read. `lab test` replays reference solutions with it; specs replay other
 * ways a student may work.
 */
import { Cluster, createCluster, LabTerminal, ManualClock } from '../../engine';
import { runStep } from '../../engine/cli/transcript-runner';
import { EvaluationContext, HistoryEntry } from '../evaluation/context';
import { readObjectsFromCluster } from './cluster-objects';

/** Fixed so a lab test is reproducible: same seed, same clock, same names and ports every run. */
export const LAB_TEST_SEED = 7;
export const LAB_TEST_START_MS = Date.UTC(2026, 2, 2, 8, 0, 0);

export interface SessionRun extends HistoryEntry {
  exitCode: number;
  output: string;
  /** The command kept waiting past the runner's bound and was interrupted like Ctrl-C. */
  interrupted: boolean;
}

export class LabSession {
  readonly clock: ManualClock;
  readonly cluster: Cluster;
  readonly history: HistoryEntry[] = [];
  readonly context: EvaluationContext;
  private readonly terminal: LabTerminal;

  constructor(options: { seed?: number; startMs?: number } = {}) {
    this.clock = new ManualClock(options.startMs ?? LAB_TEST_START_MS);
    this.cluster = createCluster({ seed: options.seed ?? LAB_TEST_SEED, clock: this.clock });
    this.terminal = new LabTerminal(this.cluster);
    this.context = { readObjects: readObjectsFromCluster(this.cluster), history: this.history };
  }

  async run(line: string): Promise<SessionRun> {
    const step = await runStep(this.cluster, this.clock, this.terminal, line);
    const entry = { command: line, exitCode: step.exitCode, output: step.output };
    this.history.push(entry);
    return { ...entry, interrupted: step.output.endsWith('^C\n') };
  }

  advance(ms: number): void {
    this.clock.advance(ms);
    this.cluster.sync();
  }
}
