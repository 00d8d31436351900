import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { LabService } from '../services/lab.service';
import type { LabSessionView, LabView } from '../shared/http-api';
import { ApiAnswer, ApiErrors, CLUSTER_CAP, CLUSTER_LIMIT, COURSE_NOT_FOUND } from './api-docs';
import { labExample, labSessionExample } from './api-examples';

const LAB_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

@ApiTags('labs')
@ApiCookieAuth()
@ApiErrors(401, 503)
@Controller('courses/:courseId/labs')
export class LabController {
  constructor(private readonly labs: LabService) {}

  @ApiOperation({ summary: "The course's labs, with each one's place in the schedule" })
  @ApiAnswer(200, [labExample])
  @ApiErrors(400, COURSE_NOT_FOUND)
  @Get()
  list(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
  ): Promise<LabView[]> {
    return this.labs.listForCourse(user, courseId);
  }

  @ApiOperation({ summary: 'One lab of the course: its steps, points and schedule' })
  @ApiAnswer(200, labExample)
  @ApiErrors(400, [
    404,
    'No such course, or the lab is not in it (or not open yet)',
    'Lab not found in this course.',
  ])
  @Get(':labId')
  get(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('labId') labId: string,
  ): Promise<LabView> {
    return this.labs.get(user, courseId, LAB_ID.test(labId) ? labId : '-');
  }

  /** Starts the student's session on this lab (or resumes it) and requests its cluster; 404 before it opens. */
  @ApiOperation({ summary: "Start (or resume) the student's session on a lab and request its cluster" })
  @ApiAnswer(200, labSessionExample)
  @ApiErrors(
    400,
    [403, 'Only students of the course work on its labs', 'Only students of the course work on its labs.'],
    [404, 'No such course, or the lab is not in it (or not open yet)', 'Lab not found in this course.'],
    CLUSTER_CAP,
    CLUSTER_LIMIT,
  )
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
