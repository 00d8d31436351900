import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import path from 'node:path';
import { parse } from 'yaml';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { EventRepository } from '../../repositories/event.repository';
import { LabRepository } from '../../repositories/lab.repository';
import { UserRepository } from '../../repositories/user.repository';
import type { AuthUser } from '../../services/auth.service';
import { LabCatalogService } from '../../services/lab-catalog.service';
import type {
  AuthorRef,
  AuthoringLabs,
  Draft,
  DraftConflict,
  DraftSaved,
  DraftSummary,
  DraftValidation,
  LabFileMap,
} from '../../shared/authoring-api';
import type { LocalizedText } from '../../shared/http-api';
import { draftRoom } from '../../shared/events';
import { BundleError, checkLabFiles, pathProblem } from '../bundle/lab-files';
import { newLabFiles, readLabFolder, renameLab } from '../bundle/lab-folder';
import { DraftRepository, LabDraft } from '../repositories/draft.repository';
import { LabVersionRepository } from '../repositories/lab-version.repository';
import { previewOf, validateLabFiles } from '../validation/validate-lab-files';
import { AuthoringAccessService } from './authoring-access.service';

/** Ids of the hidden labs that trial sessions use (TrialService); no authored lab may take one. */
export const TRIAL_LAB_PREFIX = 'trial-';

/** Drafts: listing a course's labs, creating (new, copied, imported), reading, saving, validating. */
@Injectable()
export class DraftService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AuthoringAccessService,
    private readonly drafts: DraftRepository,
    private readonly versions: LabVersionRepository,
    private readonly catalog: LabCatalogService,
    private readonly labs: LabRepository,
    private readonly users: UserRepository,
    private readonly events: EventRepository,
  ) {}

  async list(user: AuthUser, courseId: string): Promise<AuthoringLabs> {
    await this.access.requireAuthor(user, courseId);
    const builtIn = await Promise.all(
      this.catalog.all().map(async (lab) => ({
        labId: lab.id,
        title: lab.title,
        version: (await this.labs.findById(lab.id))?.version ?? '',
      })),
    );
    const drafts = await Promise.all(
      (await this.drafts.listForCourse(courseId)).map(async (draft): Promise<DraftSummary> => ({
        draftId: draft.id,
        labId: draft.labId,
        courseId: draft.courseId,
        title: titleOf(draft.files as LabFileMap),
        revision: draft.revision,
        updatedAt: draft.updatedAt.toISOString(),
        updatedBy: await this.author(draft.updatedById),
      })),
    );
    const published = await Promise.all(
      (await this.versions.listVisible(courseId)).map(async (lab) => ({
        labId: lab.id,
        courseId: lab.courseId as string,
        title: (lab.definition as { title: LocalizedText }).title,
        shared: lab.shared,
        versions: await Promise.all(
          lab.versions.map(async (version) => ({
            version: version.version,
            publishedAt: version.publishedAt.toISOString(),
            publishedBy: await this.author(version.publishedById),
          })),
        ),
      })),
    );
    return { builtIn, drafts, published };
  }

  /** A new draft: a minimal lab, or a copy of a built-in or published lab the course may see. */
  async create(
    user: AuthUser,
    input: { courseId: string; copyFrom?: { labId: string; version?: number }; labId?: string },
  ): Promise<Draft> {
    await this.access.requireAuthor(user, input.courseId);
    if (!input.copyFrom) {
      if (!input.labId)
        throw new BadRequestException('Give the new lab an id (labId) or copy a lab (copyFrom).');
      return this.createFrom(user, input.courseId, input.labId, newLabFiles(input.labId));
    }
    const source = input.copyFrom;
    const files = await this.sourceFiles(input.courseId, source.labId, source.version);
    // A copy of a built-in lab, or of another course's shared lab, needs an id of its own.
    const ownPublished = (await this.versions.findLab(source.labId))?.courseId === input.courseId;
    const labId = input.labId ?? (ownPublished ? source.labId : `${source.labId}-copy`);
    return this.createFrom(
      user,
      input.courseId,
      labId,
      labId === source.labId ? files : renameLab(files, labId),
    );
  }

  /** Creates a draft from files (checked: BundleError becomes 400). */
  async createFrom(user: AuthUser, courseId: string, labId: string, files: LabFileMap): Promise<Draft> {
    try {
      checkLabFiles(files);
    } catch (error) {
      if (error instanceof BundleError) throw new BadRequestException(error.message);
      throw error;
    }
    await this.checkLabIdFree(courseId, labId);
    const existing = await this.drafts.findByLab(courseId, labId);
    if (existing)
      throw new ConflictException({
        statusCode: 409,
        code: 'draft_exists',
        message: `This course already has a draft of lab "${labId}".`,
        draftId: existing.id,
      });
    const draft = await this.drafts.create({ labId, courseId, files, updatedById: user.id });
    return this.view(draft);
  }

  async get(user: AuthUser, draftId: string): Promise<Draft> {
    return this.view(await this.access.draftFor(user, draftId));
  }

  async saveFile(
    user: AuthUser,
    draftId: string,
    input: { path: string; content: string; baseRevision: number },
  ): Promise<DraftSaved> {
    const draft = await this.access.draftFor(user, draftId);
    const problem = pathProblem(input.path);
    if (problem) throw new BadRequestException(`Refused: ${problem}.`);
    return this.write(user, draft, input.path, input.baseRevision, (files) => ({
      ...files,
      [input.path]: input.content,
    }));
  }

  async removeFile(
    user: AuthUser,
    draftId: string,
    input: { path: string; baseRevision: number },
  ): Promise<DraftSaved> {
    const draft = await this.access.draftFor(user, draftId);
    if (input.path === 'lab.yaml') throw new BadRequestException('A lab cannot do without its lab.yaml.');
    return this.write(user, draft, input.path, input.baseRevision, (files) => {
      if (!(input.path in files)) throw new NotFoundException(`The draft has no file "${input.path}".`);
      const rest = { ...files };
      delete rest[input.path];
      return rest;
    });
  }

  async validate(user: AuthUser, draftId: string): Promise<DraftValidation> {
    const draft = await this.access.draftFor(user, draftId);
    const { problems, lab } = validateLabFiles(draft.labId, draft.files as LabFileMap);
    return lab ? { problems, lab: previewOf(lab) } : { problems };
  }

  /** The files of a lab the course may copy or export: built-in, or a version of a published lab. */
  async sourceFiles(courseId: string, labId: string, version?: number): Promise<LabFileMap> {
    if (this.catalog.builtIn(labId)) {
      if (version !== undefined) throw new NotFoundException('Built-in labs have no numbered versions.');
      return readLabFolder(path.resolve(this.config.labsDir, labId));
    }
    const lab = await this.versions.findLab(labId);
    const visible = lab && !lab.trialDraftId && (lab.courseId === courseId || (lab.shared && lab.courseId));
    const found = visible ? await this.versions.findVersion(labId, version) : null;
    if (!found) throw new NotFoundException('Lab not found.');
    return found.files as LabFileMap;
  }

  private async write(
    user: AuthUser,
    draft: LabDraft,
    changedPath: string,
    baseRevision: number,
    change: (files: LabFileMap) => LabFileMap,
  ): Promise<DraftSaved> {
    if (baseRevision !== draft.revision) throw this.conflict(draft);
    const files = change(draft.files as LabFileMap);
    try {
      checkLabFiles(files);
    } catch (error) {
      if (error instanceof BundleError) throw new BadRequestException(error.message);
      throw error;
    }
    const write = await this.drafts.saveIfAt(draft.id, baseRevision, files, user.id);
    if (!write.saved) {
      if (!write.current) throw new NotFoundException('Draft not found.');
      throw this.conflict(write.current);
    }
    const revision = write.draft.revision;
    this.events.emit(draftRoom(draft.id), 'authoring.draft', {
      draftId: draft.id,
      revision,
      path: changedPath,
      updatedBy: { id: user.id, displayName: user.displayName },
    });
    return { revision, problems: validateLabFiles(draft.labId, files).problems };
  }

  private conflict(current: LabDraft): ConflictException {
    const body: DraftConflict = {
      statusCode: 409,
      code: 'draft_conflict',
      message: `The draft changed meanwhile (now revision ${current.revision}); merge your change into it and save again.`,
      revision: current.revision,
      files: current.files as LabFileMap,
    };
    return new ConflictException(body);
  }

  /** Lab ids are platform-wide: a built-in lab's id, a trial id, or another course's lab is refused. */
  private async checkLabIdFree(courseId: string, labId: string): Promise<void> {
    const taken = (message: string) =>
      new ConflictException({ statusCode: 409, code: 'lab_id_taken', message });
    if (labId.startsWith(TRIAL_LAB_PREFIX))
      throw taken(`Lab ids starting with "${TRIAL_LAB_PREFIX}" are reserved.`);
    if (this.catalog.builtIn(labId))
      throw taken(`"${labId}" is a built-in lab; give your copy an id of its own (labId).`);
    const owner = (await this.versions.findLab(labId))?.courseId;
    if (owner !== undefined && owner !== courseId)
      throw taken(`The lab id "${labId}" is used by another course; choose another id.`);
  }

  private async view(draft: LabDraft): Promise<Draft> {
    const files = draft.files as LabFileMap;
    return {
      draftId: draft.id,
      labId: draft.labId,
      courseId: draft.courseId,
      revision: draft.revision,
      files,
      updatedAt: draft.updatedAt.toISOString(),
      updatedBy: await this.author(draft.updatedById),
      problems: validateLabFiles(draft.labId, files).problems,
    };
  }

  private async author(userId: string): Promise<AuthorRef> {
    const found = await this.users.findById(userId);
    return { id: userId, displayName: found?.displayName ?? 'Former user' };
  }
}

/** The title of a draft's lab.yaml when it parses far enough to have one (for lists). */
function titleOf(files: LabFileMap): LocalizedText | null {
  try {
    const title = (parse(files['lab.yaml'] ?? '', { maxAliasCount: 100 }) as { title?: unknown })?.title;
    if (title && typeof title === 'object' && 'en' in title && 'zh-CN' in title)
      return title as LocalizedText;
  } catch {
    // an unfinished lab.yaml has no title yet
  }
  return null;
}
