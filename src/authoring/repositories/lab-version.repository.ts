import { Injectable } from '@nestjs/common';
import type { Lab, LabSession, LabVersion, Prisma } from '../../infra/database/generated/client';
import { DatabaseRepository } from '../../repositories/database.repository';
import type { LabFileMap } from '../../shared/authoring-api';

export type { LabVersion };
export type AuthoredLab = Lab & { versions: LabVersion[] };

/** Published labs: their Lab rows (owner course, shared flag), immutable versions, and pinned sessions. */
@Injectable()
export class LabVersionRepository {
  constructor(private readonly db: DatabaseRepository) {}

  findLab(labId: string): Promise<Lab | null> {
    return this.db.client.lab.findUnique({ where: { id: labId } });
  }

  /** Published labs a course may see: its own and those shared platform-wide, with their versions. */
  listVisible(courseId: string): Promise<AuthoredLab[]> {
    return this.db.client.lab.findMany({
      where: { trialDraftId: null, OR: [{ courseId }, { shared: true, courseId: { not: null } }] },
      include: { versions: { orderBy: { version: 'asc' } } },
      orderBy: { id: 'asc' },
    });
  }

  /** id and version string of every authored lab (published and trial), for the in-memory catalog. */
  listAuthoredStamps(): Promise<{ id: string; version: string }[]> {
    return this.db.client.lab.findMany({
      where: { courseId: { not: null } },
      select: { id: true, version: true },
    });
  }

  findVersion(labId: string, version?: number): Promise<LabVersion | null> {
    return version === undefined
      ? this.db.client.labVersion.findFirst({ where: { labId }, orderBy: { version: 'desc' } })
      : this.db.client.labVersion.findUnique({ where: { labId_version: { labId, version } } });
  }

  findVersionById(id: string): Promise<LabVersion | null> {
    return this.db.client.labVersion.findUnique({ where: { id } });
  }

  /**
   * Publishes the next version of `labId` owned by `courseId`, in one transaction. Returns null when
   * the id belongs to another course or to a built-in lab.
   */
  async publish(input: {
    labId: string;
    courseId: string;
    title: string;
    files: LabFileMap;
    definition: unknown;
    publishedById: string;
  }): Promise<LabVersion | null> {
    return this.db.client.$transaction(async (tx) => {
      const existing = await tx.lab.findUnique({ where: { id: input.labId } });
      if (existing && existing.courseId !== input.courseId) return null;
      const last = await tx.labVersion.findFirst({
        where: { labId: input.labId },
        orderBy: { version: 'desc' },
      });
      const version = (last?.version ?? 0) + 1;
      const definition = input.definition as Prisma.InputJsonValue;
      const lab = { title: input.title, version: `v${version}`, definition };
      await tx.lab.upsert({
        where: { id: input.labId },
        create: { id: input.labId, courseId: input.courseId, ...lab },
        update: lab,
      });
      const created = await tx.labVersion.create({
        data: {
          labId: input.labId,
          version,
          files: input.files as Prisma.InputJsonValue,
          definition,
          publishedById: input.publishedById,
        },
      });
      return created;
    });
  }

  async setShared(labId: string, shared: boolean): Promise<void> {
    await this.db.client.lab.update({ where: { id: labId }, data: { shared } });
  }

  /** The hidden lab of a draft's trial sessions, holding the draft's current definition. */
  async upsertTrialLab(input: {
    id: string;
    draftId: string;
    courseId: string;
    title: string;
    version: string;
    definition: unknown;
  }): Promise<void> {
    const data = {
      title: input.title,
      version: input.version,
      definition: input.definition as Prisma.InputJsonValue,
    };
    await this.db.client.lab.upsert({
      where: { id: input.id },
      create: { id: input.id, courseId: input.courseId, trialDraftId: input.draftId, ...data },
      update: data,
    });
  }

  /** A trial session: never pinned, never in a course's gradebook (its lab is the trial lab). */
  upsertTrialSession(input: { userId: string; courseId: string; labId: string }): Promise<LabSession> {
    return this.db.client.labSession.upsert({
      where: { userId_courseId_labId: input },
      create: { ...input, trial: true },
      update: { status: 'active' },
    });
  }

  /** What grading needs to find a session's lab: its pin and whether it is a trial. */
  sessionPin(labSessionId: string): Promise<{ labVersionId: string | null; trial: boolean } | null> {
    return this.db.client.labSession.findUnique({
      where: { id: labSessionId },
      select: { labVersionId: true, trial: true },
    });
  }

  /** Pins an unpinned session to the lab's newest version; a session already pinned keeps its version. */
  async pinIfUnpinned(labSessionId: string, labId: string): Promise<string | null> {
    const newest = await this.findVersion(labId);
    if (!newest) return null;
    await this.db.client.labSession.updateMany({
      where: { id: labSessionId, labVersionId: null, trial: false },
      data: { labVersionId: newest.id },
    });
    return (await this.sessionPin(labSessionId))?.labVersionId ?? null;
  }

  /** Sessions of one course pinned to `labVersionId`. */
  async sessionsOfVersion(courseId: string, labVersionId: string): Promise<string[]> {
    const rows = await this.db.client.labSession.findMany({
      where: { courseId, labVersionId },
      select: { id: true },
      orderBy: { startedAt: 'asc' },
    });
    return rows.map((row) => row.id);
  }

  async repin(labSessionId: string, labVersionId: string): Promise<void> {
    await this.db.client.labSession.update({ where: { id: labSessionId }, data: { labVersionId } });
  }

  /** Version numbers by version id (for the gradebook's "which version" column). */
  async versionNumbers(labVersionIds: string[]): Promise<Map<string, number>> {
    if (labVersionIds.length === 0) return new Map();
    const rows = await this.db.client.labVersion.findMany({
      where: { id: { in: labVersionIds } },
      select: { id: true, version: true },
    });
    return new Map(rows.map((row) => [row.id, row.version]));
  }
}
