import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Put, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OverrideStepDto } from '../dtos/grading.dto';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { GradebookService } from '../services/gradebook.service';
import type { Gradebook, Replay, StepResultView } from '../shared/http-api';

const LAB_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const safeId = (value: string | undefined, rule: RegExp) => (value && rule.test(value) ? value : '-');

@ApiTags('grading')
@ApiCookieAuth()
@Controller()
export class GradebookController {
  constructor(private readonly gradebook: GradebookService) {}

  @Get('courses/:courseId/gradebook')
  book(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Query('labId') labId: string,
  ): Promise<Gradebook> {
    return this.gradebook.gradebook(user, courseId, safeId(labId, LAB_ID));
  }

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

  @Get('lab-sessions/:labSessionId/replay')
  replay(@CurrentUser() user: AuthUser, @Param('labSessionId', ParseUUIDPipe) id: string): Promise<Replay> {
    return this.gradebook.replay(user, id);
  }

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
