import { Injectable, Logger } from '@nestjs/common';
import { JobHandlerProvider, JobName, JobPayloads } from '../../jobs/job.types';
import { GradingService } from '../../services/grading.service';
import type { Lab } from '../../labs';
import { LabVersionRepository } from '../repositories/lab-version.repository';
import { RegradeRepository } from '../repositories/regrade.repository';

/** Progress is written every this many sessions (and at the end), not after each one. */
const PROGRESS_EVERY = 10;

/**
 * The worker's side of a regrade: every session of the course pinned to the earlier version is pinned
 * to the newer one, its step results are scored against the newer steps (RegradeRepository.rescore),
 * and a session whose cluster is still running is graded again at once against the new checks.
 */
@Injectable()
export class RegradeJobService implements JobHandlerProvider {
  private readonly logger = new Logger('Regrades');

  constructor(
    private readonly regrades: RegradeRepository,
    private readonly versions: LabVersionRepository,
    private readonly grading: GradingService,
  ) {}

  jobHandlers() {
    return { [JobName.LabRegrade]: (data: JobPayloads[JobName.LabRegrade]) => this.regrade(data.regradeId) };
  }

  async regrade(regradeId: string): Promise<void> {
    const regrade = await this.regrades.findById(regradeId);
    if (!regrade || regrade.state === 'done') return;
    const from = await this.versions.findVersion(regrade.labId, regrade.fromVersion);
    const to = await this.versions.findVersion(regrade.labId, regrade.toVersion);
    if (!from || !to) {
      await this.regrades.update(regradeId, { state: 'failed' });
      return;
    }
    const steps = (to.definition as unknown as Lab).steps.map((step) => ({
      id: step.id,
      points: step.points,
    }));
    const sessionIds = await this.versions.sessionsOfVersion(regrade.courseId, from.id);
    await this.regrades.update(regradeId, { state: 'running', total: sessionIds.length, done: 0 });
    let done = 0;
    for (const labSessionId of sessionIds) {
      await this.versions.repin(labSessionId, to.id);
      await this.regrades.rescore(labSessionId, steps);
      this.grading.forget(labSessionId);
      // Sessions without a running cluster keep their rescored results; the next grading sees the new checks.
      await this.grading
        .grade(labSessionId)
        .catch((error: Error) =>
          this.logger.warn({ msg: 'regrade: grading failed', labSessionId, error: error.message }),
        );
      done++;
      if (done % PROGRESS_EVERY === 0) await this.regrades.update(regradeId, { done });
    }
    await this.regrades.update(regradeId, { state: 'done', done });
    this.logger.log({ msg: 'regrade finished', regradeId, sessions: done });
  }
}
