import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Put, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OverrideStepDto } from '../dtos/grading.dto';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { GradebookService } from '../services/gradebook.service';
import type { Gradebook, Replay, StepResultView } from '../shared/http-api';
import { ApiAnswer, ApiErrors, INSTRUCTORS_ONLY, SESSION_NOT_FOUND } from './api-docs';
import { gradebookCsvExample, gradebookExample, replayExample, stepResultExample } from './api-examples';

const LAB_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const safeId = (value: string | undefined, rule: RegExp) => (value && rule.test(value) ? value : '-');

@ApiTags('grading')
@ApiCookieAuth()
@ApiErrors(401, 503)
@Controller()
export class GradebookController {
  constructor(private readonly gradebook: GradebookService) {}

  @ApiOperation({ summary: "A lab's gradebook: every student's steps and points (instructors)" })
  @ApiQuery({ name: 'labId', example: 'lec7-k8s-basics' })
  @ApiAnswer(200, gradebookExample)
  @ApiErrors(400, INSTRUCTORS_ONLY, [404, 'No such course or lab', 'Lab not found.'])
  @Get('courses/:courseId/gradebook')
  book(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Query('labId') labId: string,
  ): Promise<Gradebook> {
    return this.gradebook.gradebook(user, courseId, safeId(labId, LAB_ID));
  }

  @ApiOperation({ summary: 'The gradebook as CSV (UTF-8 with a byte-order mark)' })
  @ApiQuery({ name: 'labId', example: 'lec7-k8s-basics' })
  @ApiAnswer(200, gradebookCsvExample, {
    headers: {
      'Content-Disposition': {
        description: 'A download',
        example: 'attachment; filename="gradebook-lec7-k8s-basics.csv"',
      },
    },
  })
  @ApiErrors(400, INSTRUCTORS_ONLY, [404, 'No such course or lab', 'Lab not found.'])
  @Get('courses/:courseId/gradebook.csv')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async csv(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Query('labId') labId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const id = safeId(labId, LAB_ID);
    const body = await this.gradebook.csv(user, courseId, id);
    response.setHeader('Content-Disposition', `attachment; filename="gradebook-${id}.csv"`);
    return body;
  }

  @ApiOperation({ summary: 'Replay a lab session: its commands, gradings and overrides in time order' })
  @ApiAnswer(200, replayExample)
  @ApiErrors(
    400,
    [403, 'Only the student or an instructor of the course', 'Only the course instructors can do this.'],
    SESSION_NOT_FOUND,
  )
  @Get('lab-sessions/:labSessionId/replay')
  replay(@CurrentUser() user: AuthUser, @Param('labSessionId', ParseUUIDPipe) id: string): Promise<Replay> {
    return this.gradebook.replay(user, id);
  }

  @ApiOperation({ summary: "Override a step's points, or remove the override with null (instructors)" })
  @ApiAnswer(200, stepResultExample)
  @ApiErrors(400, INSTRUCTORS_ONLY, [404, 'No such lab session or step', 'The lab has no step "scale".'])
  @Put('lab-sessions/:labSessionId/steps/:stepId/override')
  override(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
    @Param('stepId') stepId: string,
    @Body() body: OverrideStepDto,
  ): Promise<StepResultView> {
    return this.gradebook.override(user, id, safeId(stepId, STEP_ID), body);
  }
}
