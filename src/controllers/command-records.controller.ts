import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { once } from 'node:events';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { CommandRecordsExportService } from '../services/command-records-export.service';
import { ApiAnswer, ApiErrors } from './api-docs';

/** One line of the export, as the service writes it. */
const exportLineExample =
  JSON.stringify({
    courseId: '5f0c2a51-2d7e-4a39-9a8e-0b8f5d6c1e27',
    labId: 'lec7-k8s-basics',
    labSessionId: '8b2d7c41-6a0e-4f57-b1a4-2f1f3c9d0e55',
    student: {
      id: '1c9e7f0a-3b2d-4e5f-8a7b-6c5d4e3f2a1b',
      email: 'student1@kubelab.local',
      displayName: '学生一',
    },
    seq: 12,
    command: 'kubectl scale deployment yanwei.app --replicas=3',
    kind: 'foreground',
    status: 'completed',
    exitCode: 0,
    output: 'deployment.apps/yanwei.app scaled\n',
    outputBytes: 34,
    truncated: false,
    outputTrimmedAt: null,
    error: null,
    queuedAt: '2026-12-07T02:10:04.120Z',
    startedAt: '2026-12-07T02:10:04.131Z',
    finishedAt: '2026-12-07T02:10:04.190Z',
    durationMs: 59,
    homeVersion: null,
    effects: null,
  }) + '\n';

@ApiTags('grading')
@ApiCookieAuth()
@Controller('courses/:courseId')
export class CommandRecordsController {
  constructor(private readonly exports: CommandRecordsExportService) {}

  @Get('command-records.ndjson')
  @ApiOperation({
    summary: "Export the course's command records",
    description:
      'Instructors of the course: every run of every lab session, one JSON object per line, streamed. A complete ' +
      "download is recorded; retention (RECORDS_RETENTION_DAYS) trims a session's outputs only after one.",
  })
  @ApiProduces('application/x-ndjson')
  @ApiAnswer(200, exportLineExample, {
    description: 'One JSON object per run and line, in session then seq order',
    headers: {
      'Content-Disposition': {
        description: 'A download',
        example: 'attachment; filename="command-records-5f0c2a51-2d7e-4a39-9a8e-0b8f5d6c1e27.ndjson"',
      },
    },
  })
  @ApiErrors(400, 401, [403, 'Not an instructor of the course'], 404, 503)
  async export(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Res() response: Response,
  ): Promise<void> {
    // Refusals (not an instructor, no such course) are thrown here, before the first byte is sent.
    const lines = await this.exports.open(user, courseId);
    response.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="command-records-${courseId}.ndjson"`);
    try {
      for await (const line of lines) {
        if (response.destroyed) return; // the client went away: the export is not recorded
        if (!response.write(line)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
      }
      response.end();
    } catch (error) {
      // The status line is sent: all that is left is to cut the download short, which the client sees.
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
