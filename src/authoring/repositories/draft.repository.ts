import { Injectable } from '@nestjs/common';
import type { LabDraft, Prisma } from '../../infra/database/generated/client';
import { DatabaseRepository } from '../../repositories/database.repository';
import type { LabFileMap } from '../../shared/authoring-api';

export type { LabDraft };

/** The outcome of a compare-and-set save: the saved draft, or the current one when the revision moved. */
export type DraftWrite = { saved: true; draft: LabDraft } | { saved: false; current: LabDraft | null };

@Injectable()
export class DraftRepository {
  constructor(private readonly db: DatabaseRepository) {}

  create(input: {
    labId: string;
    courseId: string;
    files: LabFileMap;
    updatedById: string;
  }): Promise<LabDraft> {
    return this.db.client.labDraft.create({
      data: { ...input, files: input.files as Prisma.InputJsonValue },
    });
  }

  findById(id: string): Promise<LabDraft | null> {
    return this.db.client.labDraft.findUnique({ where: { id } });
  }

  findByLab(courseId: string, labId: string): Promise<LabDraft | null> {
    return this.db.client.labDraft.findUnique({ where: { courseId_labId: { courseId, labId } } });
  }

  listForCourse(courseId: string): Promise<LabDraft[]> {
    return this.db.client.labDraft.findMany({ where: { courseId }, orderBy: { updatedAt: 'desc' } });
  }

  /**
   * Writes `files` as the next revision only if the draft is still at `baseRevision`: the check and the
   * write are one UPDATE, so of two authors saving on the same revision exactly one wins.
   */
  async saveIfAt(
    id: string,
    baseRevision: number,
    files: LabFileMap,
    updatedById: string,
  ): Promise<DraftWrite> {
    const { count } = await this.db.client.labDraft.updateMany({
      where: { id, revision: baseRevision },
      data: {
        files: files as Prisma.InputJsonValue,
        revision: { increment: 1 },
        updatedById,
        updatedAt: new Date(),
      },
    });
    const current = await this.findById(id);
    return count === 1 && current ? { saved: true, draft: current } : { saved: false, current };
  }
}
