import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { JobName } from '../../jobs/job.types';
import { JobRepository } from '../../repositories/job.repository';
import type { AuthUser } from '../../services/auth.service';
import type { Regrade } from '../../shared/authoring-api';
import { LabRegrade, RegradeRepository } from '../repositories/regrade.repository';
import { LabVersionRepository } from '../repositories/lab-version.repository';
import { AuthoringAccessService } from './authoring-access.service';

export function regradeView(regrade: LabRegrade): Regrade {
  return {
    regradeId: regrade.id,
    labId: regrade.labId,
    fromVersion: regrade.fromVersion,
    toVersion: regrade.toVersion,
    state: regrade.state,
    done: regrade.done,
    total: regrade.total,
  };
}

/** Asking to regrade the sessions of an earlier version against the newest one (RegradeJobService runs it). */
@Injectable()
export class RegradeService {
  constructor(
    private readonly access: AuthoringAccessService,
    private readonly versions: LabVersionRepository,
    private readonly regrades: RegradeRepository,
    private readonly jobs: JobRepository,
  ) {}

  async request(
    user: AuthUser,
    labId: string,
    input: { courseId: string; fromVersion: number },
  ): Promise<{ regradeId: string }> {
    await this.access.requireAuthor(user, input.courseId);
    const lab = await this.versions.findLab(labId);
    if (!lab || lab.courseId !== input.courseId || lab.trialDraftId)
      throw new NotFoundException('Published lab not found.');
    const from = await this.versions.findVersion(labId, input.fromVersion);
    if (!from) throw new NotFoundException(`Lab "${labId}" has no version ${input.fromVersion}.`);
    const newest = await this.versions.findVersion(labId);
    if (!newest || newest.version <= from.version)
      throw new BadRequestException(`Version ${from.version} is the newest; publish a fix before regrading.`);
    const regrade = await this.regrades.create({
      labId,
      courseId: input.courseId,
      fromVersion: from.version,
      toVersion: newest.version,
      createdById: user.id,
    });
    await this.jobs.queue({ name: JobName.LabRegrade, data: { regradeId: regrade.id } });
    return { regradeId: regrade.id };
  }

  async get(user: AuthUser, regradeId: string): Promise<Regrade> {
    const regrade = UUID.test(regradeId) ? await this.regrades.findById(regradeId) : null;
    if (!regrade) throw new NotFoundException('Regrade not found.');
    await this.access.requireAuthor(user, regrade.courseId).catch(() => {
      throw new NotFoundException('Regrade not found.');
    });
    return regradeView(regrade);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
