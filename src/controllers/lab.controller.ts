import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { LabService } from '../services/lab.service';
import type { LabSessionView, LabView } from '../shared/http-api';

const LAB_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

@ApiTags('labs')
@ApiCookieAuth()
@Controller('courses/:courseId/labs')
export class LabController {
  constructor(private readonly labs: LabService) {}

  @Get()
  list(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
  ): Promise<LabView[]> {
    return this.labs.listForCourse(user, courseId);
  }

  @Get(':labId')
  get(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('labId') labId: string,
  ): Promise<LabView> {
    return this.labs.get(user, courseId, LAB_ID.test(labId) ? labId : '-');
  }

  /** Starts the student's session on this lab (or resumes it) and requests its cluster; 404 before it opens. */
  @Post(':labId/session')
  @HttpCode(200)
  start(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('labId') labId: string,
  ): Promise<LabSessionView> {
    return this.labs.start(user, courseId, LAB_ID.test(labId) ? labId : '-');
  }
}
