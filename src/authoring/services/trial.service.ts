import { BadRequestException, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../services/auth.service';
import { ClusterLifecycleService } from '../../services/cluster-lifecycle.service';
import type { LabFileMap } from '../../shared/authoring-api';
import { AuthoredLabCatalog } from '../authored-lab-catalog';
import { LabVersionRepository } from '../repositories/lab-version.repository';
import { validateLabFiles } from '../validation/validate-lab-files';
import { AuthoringAccessService } from './authoring-access.service';
import { TRIAL_LAB_PREFIX } from './draft.service';

/**
 * "Try as a student": the author's own lab session of the draft's current revision, with its own
 * cluster. Its lab is a hidden lab `trial-<draftId>` offered in no course, and the session is marked
 * `trial`, so no gradebook (which lists a course's sessions of one of its labs) ever shows it. Trying
 * again after an edit grades the same session against the new revision.
 */
@Injectable()
export class TrialService {
  constructor(
    private readonly access: AuthoringAccessService,
    private readonly versions: LabVersionRepository,
    private readonly clusters: ClusterLifecycleService,
    private readonly authored: AuthoredLabCatalog,
  ) {}

  async start(user: AuthUser, draftId: string): Promise<{ labSessionId: string }> {
    const draft = await this.access.draftFor(user, draftId);
    const { lab, problems } = validateLabFiles(draft.labId, draft.files as LabFileMap);
    if (!lab)
      throw new BadRequestException({
        statusCode: 400,
        code: 'draft_invalid',
        message: 'Fix the problems of the draft before trying it.',
        problems,
      });
    const labId = `${TRIAL_LAB_PREFIX}${draft.id}`;
    await this.versions.upsertTrialLab({
      id: labId,
      draftId: draft.id,
      courseId: draft.courseId,
      title: lab.title.en,
      version: `r${draft.revision}`,
      definition: JSON.parse(JSON.stringify(lab)) as unknown,
    });
    await this.authored.refresh();
    const session = await this.versions.upsertTrialSession({
      userId: user.id,
      courseId: draft.courseId,
      labId,
    });
    await this.clusters.ensureCluster(session);
    return { labSessionId: session.id };
  }
}
