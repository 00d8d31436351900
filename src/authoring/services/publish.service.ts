import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { CourseScheduleRepository } from '../../repositories/course-schedule.repository';
import type { AuthUser } from '../../services/auth.service';
import type { Draft, LabFileMap } from '../../shared/authoring-api';
import { AuthoredLabCatalog } from '../authored-lab-catalog';
import { packLab, unpackLab } from '../bundle/lab-bundle';
import { BundleError } from '../bundle/lab-files';
import { renameLab } from '../bundle/lab-folder';
import { LAB_ID_PATTERN } from '../authoring.dto';
import { ProofRepository } from '../repositories/proof.repository';
import { LabVersionRepository } from '../repositories/lab-version.repository';
import { validateLabFiles } from '../validation/validate-lab-files';
import { AuthoringAccessService } from './authoring-access.service';
import { DraftService } from './draft.service';

/** Publishing proven drafts as immutable versions, sharing, and moving labs in and out as bundles. */
@Injectable()
export class PublishService {
  constructor(
    private readonly access: AuthoringAccessService,
    private readonly drafts: DraftService,
    private readonly proofs: ProofRepository,
    private readonly versions: LabVersionRepository,
    private readonly schedules: CourseScheduleRepository,
    private readonly authored: AuthoredLabCatalog,
  ) {}

  async publish(
    user: AuthUser,
    draftId: string,
    courseId: string,
  ): Promise<{ labId: string; version: number }> {
    const draft = await this.access.draftFor(user, draftId);
    if (courseId !== draft.courseId)
      throw new BadRequestException('A draft is published into its own course (courseId of the draft).');
    const proof = await this.proofs.latestOf(draft.id, draft.revision);
    if (proof?.state !== 'passed')
      throw new ConflictException({
        statusCode: 409,
        code: 'proof_required',
        message: `Revision ${draft.revision} has no passing proof${proof ? ` (its latest proof ${proof.state === 'failed' ? 'failed' : 'has not finished'})` : ''}; prove it first.`,
      });
    const files = draft.files as LabFileMap;
    const { lab } = validateLabFiles(draft.labId, files);
    if (!lab)
      throw new ConflictException({
        statusCode: 409,
        code: 'proof_required',
        message: 'The draft does not load.',
      });
    const created = await this.versions.publish({
      labId: draft.labId,
      courseId: draft.courseId,
      title: lab.title.en,
      files,
      definition: JSON.parse(JSON.stringify(lab)) as unknown,
      publishedById: user.id,
    });
    if (!created)
      throw new ConflictException({
        statusCode: 409,
        code: 'lab_id_taken',
        message: `The lab id "${draft.labId}" belongs to another course or a built-in lab.`,
      });
    // Offered in the course at once (undated); the schedule decides when students see it.
    await this.schedules.append(draft.courseId, [draft.labId]);
    await this.authored.refresh();
    return { labId: draft.labId, version: created.version };
  }

  /** Admins: every course may see (and copy) the lab, or only its own course again. */
  async share(labId: string, shared: boolean): Promise<{ labId: string; shared: boolean }> {
    const lab = await this.versions.findLab(labId);
    if (!lab || !lab.courseId || lab.trialDraftId) throw new NotFoundException('Published lab not found.');
    await this.versions.setShared(labId, shared);
    return { labId, shared };
  }

  async exportBundle(user: AuthUser, courseId: string, labId: string, version?: number): Promise<Buffer> {
    await this.access.requireAuthor(user, courseId);
    return packLab(labId, await this.drafts.sourceFiles(courseId, labId, version));
  }

  /** A bundle becomes a new draft of the course; `labId` renames it (the bundle's folder name otherwise). */
  async importBundle(user: AuthUser, courseId: string, archive: Buffer, labId?: string): Promise<Draft> {
    await this.access.requireAuthor(user, courseId);
    let unpacked;
    try {
      unpacked = unpackLab(archive);
    } catch (error) {
      if (error instanceof BundleError) throw new BadRequestException(error.message);
      throw error;
    }
    // Drafts may be unfinished, but a lab.yaml that is not even YAML (an alias bomb among them) is refused.
    const unreadable = validateLabFiles('x', unpacked.files).problems.find(
      (problem) => problem.file === 'lab.yaml' && problem.message.startsWith('invalid YAML'),
    );
    if (unreadable)
      throw new BadRequestException(`Refused: lab.yaml is not valid YAML: ${unreadable.message}`);
    const id = labId ?? unpacked.folder ?? idFromYaml(unpacked.files['lab.yaml']);
    if (!id || !LAB_ID_PATTERN.test(id))
      throw new BadRequestException(
        'Name the lab: put its files in a folder named after the lab id, or pass ?labId= (lower-case letters, digits and "-").',
      );
    return this.drafts.createFrom(user, courseId, id, labId ? renameLab(unpacked.files, id) : unpacked.files);
  }
}

function idFromYaml(text: string | undefined): string | undefined {
  return text ? /^id:\s*["']?([a-z0-9-]+)["']?\s*$/m.exec(text)?.[1] : undefined;
}
