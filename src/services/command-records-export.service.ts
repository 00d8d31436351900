import { Injectable } from '@nestjs/common';
import { AuditRepository } from '../repositories/audit.repository';
import { CommandRecordsRepository } from '../repositories/command-records.repository';
import type { AuthUser } from './auth.service';
import { CourseService } from './course.service';

/** Runs read per query: outputs are capped at 1 MiB, so a page stays well under a few dozen MiB. */
const PAGE_RUNS = 50;

/**
 * The instructor's export of a course's command records, one JSON object per line (NDJSON): output is
 * arbitrary multi-line text, which JSON escapes unambiguously and a reader can stream line by line (CSV's
 * quoted multi-line cells are where spreadsheet imports go wrong). Each line is one run with its session's
 * lab and student, in session order then seq order. Only an export read to its end is recorded, and the
 * latest recorded one is what retention requires before it trims a session's outputs.
 */
@Injectable()
export class CommandRecordsExportService {
  constructor(
    private readonly courses: CourseService,
    private readonly records: CommandRecordsRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** Checks the actor may export (before anything is sent), then returns the lines to stream. */
  async open(actor: AuthUser, courseId: string): Promise<AsyncIterable<string>> {
    await this.courses.requireInstructor(actor, courseId);
    return this.lines(actor, courseId);
  }

  private async *lines(actor: AuthUser, courseId: string): AsyncGenerator<string> {
    const startedAt = new Date();
    let runs = 0;
    for (const session of await this.records.sessionsOfCourse(courseId)) {
      let afterSeq = 0;
      for (;;) {
        const page = await this.records.page(session.id, afterSeq, PAGE_RUNS);
        for (const run of page) {
          runs++;
          yield (
            JSON.stringify({
              courseId,
              labId: session.labId,
              labSessionId: session.id,
              student: session.student,
              ...run,
            }) + '\n'
          );
        }
        if (page.length < PAGE_RUNS) break;
        afterSeq = page[page.length - 1].seq;
      }
    }
    // Reached only when the consumer read every line: a download cut short does not count.
    await this.records.markExported({
      courseId,
      startedAt,
      finishedAt: new Date(),
      exportedById: actor.id,
      runs,
    });
    await this.audit.record({
      actorId: actor.id,
      action: 'records.export',
      targetType: 'course',
      targetId: courseId,
      data: { runs, startedAt: startedAt.toISOString() },
    });
  }
}
