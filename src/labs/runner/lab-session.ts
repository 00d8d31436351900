/**
 * A student's session against a fresh embedded cluster on a virtual clock: typed lines go through the lab
 * terminal in a shell with job control (`&`, `jobs`, `kill`, as on the platform; waiting commands see the
 * clock stepped, as in the engine's transcript runner) and land in the command history the checks read,
 * with what the platform records beside each command (the namespaces it ran in, the objects it wrote).
 * `lab test` replays reference solutions with it; specs replay other ways a student may work.
 */
import { Cluster, createCluster, HomeDirectory, LabTerminal, lineShape, ManualClock } from '../../engine';
import { EffectsRecorder } from '../../engine/kubectl/effects';
import { TranscriptShell } from '../../engine/cli/transcript-runner';
import { Lab } from '../format/types';
import { applyClusterShape } from './cluster-setup';
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

export interface LabSessionOptions {
  seed?: number;
  startMs?: number;
  /** The lab whose node count and starter files the session starts with (its add-ons and objects: setUp()). */
  lab?: Lab;
}

export class LabSession {
  readonly clock: ManualClock;
  readonly cluster: Cluster;
  readonly history: HistoryEntry[] = [];
  readonly context: EvaluationContext;
  private readonly terminal: LabTerminal;
  private readonly shell: TranscriptShell;

  /**
   * A session of `lab` as a student starts it on the platform: its nodes, its starter files (`starterFiles`
   * and the `files/` folder) in the home, its add-ons enabled and its objects created. Throws when a set-up
   * line fails (a lab whose shape cannot be provisioned).
   */
  static async start(lab: Lab, options: Omit<LabSessionOptions, 'lab'> = {}): Promise<LabSession> {
    const session = new LabSession({ ...options, lab });
    const failures = await session.setUp();
    if (failures.length > 0)
      throw new Error(`cluster set-up of lab ${lab.id} failed: ${failures.join('; ')}`);
    return session;
  }

  /** With `lab`: its node count and starter files; setUp() adds its add-ons and objects (or use start()). */
  constructor(private readonly options: LabSessionOptions = {}) {
    this.clock = new ManualClock(options.startMs ?? LAB_TEST_START_MS);
    const nodeCount = options.lab?.cluster?.nodes ?? 1;
    this.cluster = createCluster({ seed: options.seed ?? LAB_TEST_SEED, clock: this.clock, nodeCount });
    const starterFiles = options.lab?.starterFiles;
    const clock = this.clock;
    this.terminal = new LabTerminal(
      this.cluster,
      starterFiles ? { home: new HomeDirectory(() => clock.now(), starterFiles) } : {},
    );
    this.shell = new TranscriptShell(this.cluster, this.clock, this.terminal);
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

  /**
   * Runs a typed line and adds it to the history as the platform records it. A background job (`... &`)
   * enters as running (no exit code), as the platform grades it while it runs.
   */
  async run(line: string): Promise<SessionRun> {
    // The kubeconfig's namespace as the command starts: what a command without -n runs in.
    const contextNamespace = this.cluster.kubeconfig.namespace();
    const background = !this.terminal.inPodShell() && lineShape(line).kind === 'background';
    const recorder = new EffectsRecorder();
    const step = await this.shell.step(line, { effects: recorder });
    const { namespace, touched } = recorder.effects();
    const entry: HistoryEntry = {
      command: line,
      exitCode: background ? null : step.exitCode,
      output: step.output,
      contextNamespace,
      ...(namespace !== undefined ? { namespace } : {}),
      touched,
      ...(background ? { running: true } : {}),
    };
    this.history.push(entry);
    return {
      ...entry,
      exitCode: step.exitCode,
      output: step.output,
      interrupted: step.output.endsWith('^C\n'),
    };
  }

  /**
   * Enables the lab's add-ons and creates its objects (outside the history), then lets a minute pass so
   * they settle, as they would while the student reads the first step. Returns the lines that failed.
   */
  async setUp(): Promise<string[]> {
    const shape = this.options.lab?.cluster;
    const failures = await applyClusterShape(shape, (line) => this.shell.step(line));
    if (shape && (shape.addons.length > 0 || shape.objects.length > 0)) await this.advance(SETUP_SETTLE_MS);
    return failures;
  }

  /** Moves the simulated clock; running background jobs see every change on the way. */
  async advance(ms: number): Promise<void> {
    await this.shell.advance(ms);
  }

  /** Stops the background jobs still running. */
  async close(): Promise<void> {
    await this.shell.close();
  }
}
