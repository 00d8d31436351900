import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClusterDriver } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { SessionRouter } from '../placement/session-router.service';
import { JobHandlerProvider, JobName, JobPayloads } from '../jobs/job.types';
import {
  DiagnosticHint,
  diagnose,
  EvaluationContext,
  HistoryEntry,
  HistoryWatch,
  Lab,
  labUsesFiles,
} from '../labs';
import { CommandRunRepository } from '../repositories/command-run.repository';
import { EventRepository } from '../repositories/event.repository';
import { LabSession, LabSessionRepository } from '../repositories/lab-session.repository';
import { StepResult, StepResultRepository, StepVerdict } from '../repositories/step-result.repository';
import { courseRoom, GradingUpdate, sessionRoom, StepStatus } from '../shared/events';
import { ClusterLookupService } from './cluster-lookup.service';
import { LabCatalogService } from './lab-catalog.service';
import { AuthoredLabCatalog } from '../authoring/authored-lab-catalog';
import { HistoryCache } from './history-cache';
import type { SessionHistory } from './session-history';
import { HomeStoreService } from './home-store.service';
import { parseSnapshot } from './home-snapshots';
import { HomeDirectory } from '../engine';
import { SharedReads } from '../labs/evaluation/shared-reads';
import {
  evaluateReusing,
  evaluateStepReusing,
  Remembered,
  RememberedStep,
} from '../labs/evaluation/step-reuse';

const HISTORY_CACHE_SESSIONS = 5000;
/**
 * What the kept histories may hold in all, as SessionHistory counts it: a class of 300 with 1,000 commands each
 * whose outputs run to a few hundred characters (about 700 bytes apiece) fits; a worker that grades beyond it
 * reads the least recently graded sessions again when they are graded.
 */
const HISTORY_CACHE_BYTES = 256 * 1024 * 1024;
/**
 * How long a grading queued on this worker's own queue is trusted to be still waiting: a job lost
 * with Redis is never started, and after this the session's commands ask for gradings again.
 */
const WAITING_TRUSTED_MS = 10_000;

/** What a grading in this process saw, so the next command can tell whether grading again could differ. */
interface GradedState {
  /** The cluster's state version (ClusterDriver.snapshot) read before any object was. */
  stateVersion: string;
  /** The last command of the history it read, and every later one found to concern no unmet check. */
  coveredSeq: number;
  /** One per unmet history check, in steps and diagnostics: would one more command change it? */
  watches: HistoryWatch[];
}

/** The command that just finished, as afterCommand() needs it. */
export interface FinishedCommand extends HistoryEntry {
  seq: number | undefined;
  /** The cluster's state version after it (null: the driver keeps no versions, so always grade). */
  stateVersion: string | null;
}

const toText = (localized: { en: string; 'zh-CN': string }) => ({ en: localized.en, zh: localized['zh-CN'] });

/** Points a step counts for: an instructor's override wins over the automatic result. */
export function effectivePoints(result: Pick<StepResult, 'points' | 'overridePoints'> | undefined): number {
  if (!result) return 0;
  return result.overridePoints ?? result.points;
}

/**
 * Grades lab sessions against their lab's checks, through the ClusterDriver so every backend gets the
 * same verdict. Runs after each command (coalesced per session) and on request; pushes the result to
 * the student and to the course's watching instructors.
 */
@Injectable()
export class GradingService implements JobHandlerProvider {
  private readonly logger = new Logger('Grading');
  private readonly knownSessions = new Map<string, LabSession>();
  private readonly grading = new Map<string, { again: boolean }>();
  private readonly histories = new HistoryCache(HISTORY_CACHE_BYTES, HISTORY_CACHE_SESSIONS);
  private readonly graded = new Map<string, GradedState>();
  /** Per session, the verdicts of steps that read only versioned object lists (step-reuse.ts). */
  private readonly rememberedSteps = new Map<string, Map<string, RememberedStep>>();
  /** Per session, the hints of the lab's diagnostics, reused the same way. */
  private readonly rememberedHints = new Map<string, Remembered<DiagnosticHint[]>>();
  /** The worker whose own grading queue this process consumes (set by JobService); none in the API. */
  private ownWorkerId: string | undefined;
  /**
   * Gradings this process queued on its own grading queue that have not started yet (when each was
   * asked for). One of them reads the history when it starts, so it covers every command recorded
   * before then: a command meanwhile asks for nothing (one Redis round trip and, under load, one
   * grading fewer).
   */
  private readonly waiting = new Map<string, number>();
  /**
   * Commands that ended while the session was being graded here, after that grading may have read the
   * history: the gate is applied to them, in order, once that grading has said what it saw.
   */
  private readonly deferred = new Map<string, FinishedCommand[]>();

  constructor(
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly router: SessionRouter,
    private readonly catalog: LabCatalogService,
    private readonly sessions: LabSessionRepository,
    private readonly clusters: ClusterLookupService,
    private readonly runs: CommandRunRepository,
    private readonly results: StepResultRepository,
    private readonly events: EventRepository,
    private readonly homes: HomeStoreService,
    private readonly authored: AuthoredLabCatalog,
  ) {}

  jobHandlers() {
    return {
      [JobName.GradingRun]: (data: JobPayloads[JobName.GradingRun]) => this.gradeCoalesced(data.labSessionId),
    };
  }

  /**
   * After each command: queues a grading, unless this process graded the session at the same cluster
   * state, knows every command since, and this one concerns none of the unmet history checks; a grading
   * would then find exactly what the last one found, so nothing is queued and nothing is pushed.
   * Returns whether a grading was requested.
   */
  async afterCommand(labSessionId: string, finished: FinishedCommand): Promise<boolean> {
    // A grading queued here that has not started, or one that will run again, reads the history later.
    if (this.waitingHere(labSessionId) || this.grading.get(labSessionId)?.again) return false;
    if (this.grading.has(labSessionId)) {
      // Decided when the grading under way ends: its state version and watches are the ones to compare with.
      this.deferred.set(labSessionId, [...(this.deferred.get(labSessionId) ?? []), finished]);
      return false;
    }
    if (this.coveredByLast(labSessionId, finished)) return false;
    await this.requestGrading(labSessionId, 'command');
    return true;
  }

  /**
   * Whether the last grading here would find the same after `finished`: same cluster state, every command
   * since known, and none of the unmet history checks concerned; if so, the command counts as covered.
   */
  private coveredByLast(labSessionId: string, finished: FinishedCommand): boolean {
    const last = this.graded.get(labSessionId);
    const unchanged =
      last !== undefined &&
      finished.stateVersion !== null &&
      finished.stateVersion === last.stateVersion &&
      finished.seq === last.coveredSeq + 1 &&
      !last.watches.some((changes) => changes(finished));
    if (unchanged) last.coveredSeq = finished.seq as number;
    return unchanged;
  }

  /** Called by the worker that consumes `workerId`'s own queues: its gradings run in this process. */
  gradesFor(workerId: string): void {
    this.ownWorkerId = workerId;
  }

  /** Whether a grading of the session queued here has not started yet (a lost one is trusted a while only). */
  private waitingHere(labSessionId: string): boolean {
    const since = this.waiting.get(labSessionId);
    if (since === undefined) return false;
    if (Date.now() - since < WAITING_TRUSTED_MS) return true;
    this.waiting.delete(labSessionId);
    return false;
  }

  /**
   * A background job has started. It enters the history only when it ends (and is graded then), so
   * if nothing else happened since the last grading, a grading now would find what that one found.
   */
  backgroundStarted(labSessionId: string, seq: number): void {
    const last = this.graded.get(labSessionId);
    if (last && seq === last.coveredSeq + 1) last.coveredSeq = seq;
  }

  /**
   * Queues a grading of the session. The queue keeps at most one waiting per session (JobRepository);
   * it goes to the session's worker (SessionRouter):
   * a waiting one has not read the history yet, so it will see this command too.
   */
  async requestGrading(
    labSessionId: string,
    trigger: JobPayloads[JobName.GradingRun]['trigger'],
  ): Promise<void> {
    const item = { name: JobName.GradingRun, data: { labSessionId, trigger } } as const;
    const target = await this.router.targetOf(item);
    // Marked before it is queued: the job may start (and clear the mark) before the queueing returns.
    const here = target !== undefined && target === this.ownWorkerId;
    if (here) this.remember(this.waiting, labSessionId, Date.now());
    try {
      await this.router.queue(item, Promise.resolve(target));
    } catch (error) {
      if (here) this.waiting.delete(labSessionId);
      throw error;
    }
  }

  /**
   * Grades a session once per burst of requests: a request that arrives while the session is being
   * graded here makes one more run follow it, which sees everything up to then.
   */
  async gradeCoalesced(labSessionId: string): Promise<void> {
    // Started: commands from now on are decided against this grading (or the run it makes follow).
    this.waiting.delete(labSessionId);
    const inProgress = this.grading.get(labSessionId);
    if (inProgress) {
      inProgress.again = true;
      // The run that follows reads the history after every command deferred so far.
      this.deferred.delete(labSessionId);
      return;
    }
    const state = { again: false };
    this.grading.set(labSessionId, state);
    let ended = false;
    try {
      do {
        state.again = false;
        await this.grade(labSessionId);
      } while (state.again);
      ended = true;
    } finally {
      this.grading.delete(labSessionId);
      // A grading that failed with a run still to follow leaves the commands that counted on it ungraded.
      await this.decideDeferred(labSessionId, !ended && state.again);
    }
  }

  /**
   * The commands that ended during a grading, gated in order against what it saw (as if each had come
   * after it); the first one it does not cover queues one grading, which covers the rest.
   */
  private async decideDeferred(labSessionId: string, owed: boolean): Promise<void> {
    const commands = this.deferred.get(labSessionId) ?? [];
    this.deferred.delete(labSessionId);
    if (!owed && commands.every((finished) => this.coveredByLast(labSessionId, finished))) return;
    await this.requestGrading(labSessionId, 'command').catch((error: Error) =>
      this.logger.warn({ msg: 'grading not requested', labSessionId, error: error.message }),
    );
  }

  async grade(labSessionId: string): Promise<GradingUpdate | null> {
    const session = await this.sessionOf(labSessionId);
    const lab = session ? await this.labOf(session) : undefined;
    if (!session || !lab) return null;
    // The three records a grading starts from are independent: asked together, a grading waits for one
    // database round trip instead of three (at 200 students the grading queue is mostly such waits).
    const [ready, history, storedResults] = await Promise.all([
      this.clusters.readyCluster(labSessionId),
      this.historyOf(labSessionId),
      this.results.listForSession(labSessionId),
    ]);
    if (!ready) return null;
    // The cluster is read one thing at a time: a grading's reads in parallel crowded commands out when a
    // class graded at once.
    // Read before any object: a command changing the cluster meanwhile then shows as a new version.
    const stateVersion = this.driver.capabilities.stateVersions
      ? ((await this.driver.snapshot(ready.ref))?.version ?? null)
      : null;
    const watches: HistoryWatch[] = [];
    // One read per kind and namespace for the whole grading, shared by the steps and the diagnostics.
    const reads = new SharedReads((query) => this.driver.readObjects(ready.ref, query));
    const context = this.contextFor(reads, history.entries, watches, labSessionId);
    const historyMark = { log: history, rewrites: history.rewrites, length: context.history.length };
    const previousSteps = this.rememberedSteps.get(labSessionId);
    const rememberedSteps = new Map<string, RememberedStep>();
    const coveredSeq = history.lastSeq;
    const now = new Date();
    const stored = new Map(storedResults.map((result) => [result.stepId, result]));
    const verdicts: StepVerdict[] = [];
    const reasons = new Map<string, StepStatus['reasons']>();
    for (const step of lab.steps) {
      // A passed step stays passed: it is not evaluated again.
      if (stored.get(step.id)?.state === 'passed') continue;
      const outcome = await evaluateStepReusing(
        step,
        context,
        reads,
        previousSteps?.get(step.id),
        historyMark,
      );
      if (outcome.remembered) rememberedSteps.set(step.id, outcome.remembered);
      const verdict = outcome.verdict;
      if (!verdict.passed) {
        reasons.set(
          step.id,
          verdict.checks.filter((check) => !check.passed).map((check) => toText(check.reason)),
        );
      }
      verdicts.push({
        stepId: step.id,
        passed: verdict.passed,
        points: step.points,
        maxPoints: step.points,
        detail: { checks: verdict.checks.map((check) => ({ passed: check.passed, reason: check.reason })) },
      });
    }
    this.remember(this.rememberedSteps, labSessionId, rememberedSteps);
    // Diagnostics are evaluated while the verdicts are being written (they do not depend on each other).
    const recording = this.results.recordEvaluations(labSessionId, now, verdicts);
    recording.catch(() => undefined); // awaited below; this only keeps a failure from counting as unhandled
    let diagnosed = true;
    // Reused like a step (step-reuse.ts): over a long history, diagnosing afresh became most of a grading's cost.
    const hints = await evaluateReusing(
      lab.diagnostics,
      (tracking) => diagnose(lab, tracking),
      context,
      reads,
      this.rememberedHints.get(labSessionId),
      historyMark,
    )
      .then(({ value, remembered }) => {
        if (remembered) this.remember(this.rememberedHints, labSessionId, remembered);
        else this.rememberedHints.delete(labSessionId);
        return value;
      })
      .catch((error: Error) => {
        this.logger.warn({ msg: 'diagnostics failed', labSessionId, error: error.message });
        diagnosed = false;
        this.rememberedHints.delete(labSessionId);
        return [];
      });
    const { results, newlyPassed } = await recording;
    for (const result of results) stored.set(result.stepId, result);
    // A file the student writes changes neither the cluster nor a history check: with file checks, grade every time.
    if (stateVersion !== null && diagnosed && !labUsesFiles(lab)) {
      this.remember(this.graded, labSessionId, { stateVersion, coveredSeq, watches });
    } else {
      this.graded.delete(labSessionId);
    }
    const update = this.buildUpdate(session, lab, stored, newlyPassed, reasons, hints);
    this.events.emit([sessionRoom(labSessionId), courseRoom(session.courseId)], 'grading.updated', update);
    return update;
  }

  /** The current grading state without evaluating anything (for page loads and the gradebook). */
  async current(session: LabSession): Promise<GradingUpdate | null> {
    const lab = await this.labOf(session);
    if (!lab) return null;
    const stored = new Map(
      (await this.results.listForSession(session.id)).map((result) => [result.stepId, result]),
    );
    return this.buildUpdate(session, lab, stored, [], new Map(), []);
  }

  /**
   * The lab a session is graded against: a built-in lab, or the published version the session is
   * pinned to (a regrade moves the pin, so it is read afresh), or a draft's trial lab.
   */
  private async labOf(session: LabSession): Promise<Lab | undefined> {
    const builtIn = this.catalog.builtIn(session.labId);
    return builtIn ?? (await this.authored.labForSession(session));
  }

  /** Forgets what this process remembers of a session's gradings (a regrade changed its lab's version). */
  forget(labSessionId: string): void {
    this.graded.delete(labSessionId);
    this.rememberedSteps.delete(labSessionId);
    this.rememberedHints.delete(labSessionId);
  }

  /** Who, which course and which lab never change for a session, so a read is remembered (bounded). */
  private async sessionOf(labSessionId: string): Promise<LabSession | null> {
    const known = this.knownSessions.get(labSessionId);
    if (known) return known;
    const session = await this.sessions.findById(labSessionId);
    if (session) {
      if (this.knownSessions.size >= HISTORY_CACHE_SESSIONS) {
        this.knownSessions.delete(this.knownSessions.keys().next().value as string);
      }
      this.knownSessions.set(labSessionId, session);
    }
    return session;
  }

  private contextFor(
    reads: SharedReads,
    entries: HistoryEntry[],
    watches: HistoryWatch[],
    labSessionId: string,
  ): EvaluationContext {
    // A copy: the cached list grows with later gradings, and watches must see this one's history.
    const history = entries.slice();
    let home: Promise<HomeDirectory> | undefined;
    return {
      readObjects: (query) => reads.readObjects(query),
      history,
      watchHistory: (watch) => watches.push(watch),
      readFile: async (path: string) => {
        // The stored home, read once per grading and only by labs with file checks.
        home ??= this.homes
          .current(labSessionId)
          .then((stored) => HomeDirectory.restore(parseSnapshot(stored.snapshot)));
        try {
          return (await home).readFile(path);
        } catch {
          return undefined; // no such file, or a folder
        }
      },
    };
  }

  /** The session's finished commands, read incrementally (SessionHistory says how). */
  private async historyOf(labSessionId: string): Promise<SessionHistory> {
    const history = this.histories.take(labSessionId);
    history.add(await this.runs.history(labSessionId, history.lastSeq, history.openSeqs()));
    this.histories.put(labSessionId, history);
    return history;
  }

  /** Bounded per-session memory: the most recently used sessions are kept. */
  private remember<T>(map: Map<string, T>, labSessionId: string, value: T): void {
    map.delete(labSessionId); // re-inserted: most recently used last
    map.set(labSessionId, value);
    if (map.size > HISTORY_CACHE_SESSIONS) map.delete(map.keys().next().value as string);
  }

  private buildUpdate(
    session: LabSession,
    lab: Lab,
    stored: Map<string, StepResult>,
    newlyPassed: string[],
    reasons: Map<string, StepStatus['reasons']>,
    hints: DiagnosticHint[],
  ): GradingUpdate {
    const relevantTo = (stepId: string) =>
      hints
        .filter((hint) => {
          const steps = lab.diagnostics.find((diagnostic) => diagnostic.id === hint.id)?.steps ?? [];
          return steps.length === 0 || steps.includes(stepId);
        })
        .map((hint) => toText(hint.hint));
    const steps: StepStatus[] = lab.steps.map((step) => {
      const result = stored.get(step.id);
      return {
        stepId: step.id,
        state: result?.state ?? 'pending',
        points: effectivePoints(result),
        maxPoints: step.points,
        firstPassedAt: result?.firstPassedAt?.toISOString() ?? null,
        attempts: result?.attempts ?? 0,
        reasons: reasons.get(step.id),
        hints: result?.state === 'passed' ? undefined : relevantTo(step.id),
      };
    });
    return {
      labSessionId: session.id,
      userId: session.userId,
      courseId: session.courseId,
      labId: session.labId,
      steps,
      totalPoints: steps.reduce((sum, step) => sum + step.points, 0),
      maxPoints: steps.reduce((sum, step) => sum + step.maxPoints, 0),
      newlyPassed,
    };
  }
}
