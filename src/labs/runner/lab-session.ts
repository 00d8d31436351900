/**
 * A student's session against a fresh embedded cluster on a virtual clock: typed lines go through the lab
 * terminal (waiting commands see the clock stepped, as in the engine's transcript runner) and land in the
 * command history the checks read. `lab test` replays reference solutions with it; specs replay other
 * ways a student may work.
 */
import { Cluster, createCluster, HomeDirectory, LabTerminal, ManualClock } from '../../engine';
import { Lab } from '../format/types';
import { clusterSetupLines } from './cluster-setup';
import { runStep } from '../../engine/cli/transcript-runner';
import { EvaluationContext, HistoryEntry } from '../evaluation/context';
import { readObjectsFromCluster } from './cluster-objects';

/** Fixed so a lab test is reproducible: same seed, same clock, same names and ports every run. */
export const LAB_TEST_SEED = 7;
export const LAB_TEST_START_MS = Date.UTC(2026, 2, 2, 8, 0, 0);
/** Simulated time after a lab's cluster set-up, for its objects to become ready. */
const SETUP_SETTLE_MS = 60_000;

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

  /** With `lab`: its cluster shape (nodes; add-ons and objects once setUp() ran) and its starter files. */
  constructor(private readonly options: { seed?: number; startMs?: number; lab?: Lab } = {}) {
    this.clock = new ManualClock(options.startMs ?? LAB_TEST_START_MS);
    const nodeCount = options.lab?.cluster?.nodes ?? 1;
    this.cluster = createCluster({ seed: options.seed ?? LAB_TEST_SEED, clock: this.clock, nodeCount });
    const starterFiles = options.lab?.starterFiles;
    const clock = this.clock;
    this.terminal = new LabTerminal(
      this.cluster,
      starterFiles ? { home: new HomeDirectory(() => clock.now(), starterFiles) } : {},
    );
    this.context = {
      readObjects: readObjectsFromCluster(this.cluster),
      history: this.history,
      readFile: async (path) => {
        try {
          return this.terminal.home.readFile(path);
        } catch {
          return undefined; // no such file, or a folder
        }
      },
    };
  }

  async run(line: string): Promise<SessionRun> {
    // The kubeconfig's namespace as the command starts: what a command without -n runs in.
    const contextNamespace = this.cluster.kubeconfig.namespace();
    const step = await runStep(this.cluster, this.clock, this.terminal, line);
    const entry = { command: line, exitCode: step.exitCode, output: step.output, contextNamespace };
    this.history.push(entry);
    return { ...entry, interrupted: step.output.endsWith('^C\n') };
  }

  /**
   * Enables the lab's add-ons and creates its objects (outside the history), then lets a minute pass so
   * they settle, as they would while the student reads the first step. Returns the lines that failed.
   */
  async setUp(): Promise<string[]> {
    const failures: string[] = [];
    const lines = clusterSetupLines(this.options.lab?.cluster);
    for (const line of lines) {
      const step = await runStep(this.cluster, this.clock, this.terminal, line);
      if (step.exitCode !== 0)
        failures.push(`\`${line.split('\n')[0]}\` (exit ${step.exitCode}): ${step.output.trim()}`);
    }
    if (lines.length > 0) this.advance(SETUP_SETTLE_MS);
    return failures;
  }

  advance(ms: number): void {
    this.clock.advance(ms);
    this.cluster.sync();
  }
}
