import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Put,
  Res,
} from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CourseTimeZoneDto, DueExtensionDto, ReplaceScheduleDto } from '../dtos/schedule.dto';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { CourseOverviewService } from '../services/course-overview.service';
import { ScheduleService } from '../services/schedule.service';
import type { Course } from '../shared/http-api';
import type { CourseOverview, CourseSchedule, DueExtensionView } from '../shared/schedule-api';
import { ApiAnswer, ApiErrors, COURSE_NOT_FOUND, INSTRUCTORS_ONLY } from './api-docs';
import {
  courseExample,
  dueExtensionExample,
  overviewCsvExample,
  overviewExample,
  scheduleExample,
} from './api-examples';

const LAB_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const safeLabId = (value: string) => (LAB_ID.test(value) ? value : '-');

/** A course's schedule, time zone, extensions and overview: instructors of the course and admins. */
@ApiTags('schedule')
@ApiCookieAuth()
@ApiErrors(401, 503)
@Controller('courses/:courseId')
export class ScheduleController {
  constructor(
    private readonly schedules: ScheduleService,
    private readonly overviews: CourseOverviewService,
  ) {}

  @ApiOperation({
    summary: "The course's schedule: its labs in order, dates, weights and extensions (instructors)",
  })
  @ApiAnswer(200, scheduleExample)
  @ApiErrors(400, INSTRUCTORS_ONLY, COURSE_NOT_FOUND)
  @Get('schedule')
  schedule(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
  ): Promise<CourseSchedule> {
    return this.schedules.schedule(user, courseId);
  }

  @ApiOperation({ summary: 'Replace the schedule: the course offers exactly these labs, in this order' })
  @ApiAnswer(200, scheduleExample)
  @ApiErrors(400, INSTRUCTORS_ONLY, COURSE_NOT_FOUND)
  @Put('schedule')
  replace(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Body() body: ReplaceScheduleDto,
  ): Promise<CourseSchedule> {
    return this.schedules.replace(user, courseId, body.labs);
  }

  @ApiOperation({ summary: "Set the course's time zone (the schedule's local times are in it)" })
  @ApiAnswer(200, courseExample)
  @ApiErrors(400, INSTRUCTORS_ONLY, COURSE_NOT_FOUND)
  @Put('time-zone')
  timeZone(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Body() body: CourseTimeZoneDto,
  ): Promise<Course> {
    return this.schedules.setTimeZone(user, courseId, body.timeZone);
  }

  @ApiOperation({ summary: 'Give one student a due time of their own for a lab' })
  @ApiAnswer(200, dueExtensionExample)
  @ApiErrors(400, INSTRUCTORS_ONLY, [
    404,
    'No such course, scheduled lab or student of the course',
    'No student with this id in the course.',
  ])
  @Put('labs/:labId/extensions/:userId')
  extend(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('labId') labId: string,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() body: DueExtensionDto,
  ): Promise<DueExtensionView> {
    return this.schedules.setExtension(user, courseId, safeLabId(labId), userId, body.dueAt);
  }

  @ApiOperation({ summary: "Remove a student's own due time (the lab's applies again)" })
  @ApiParam({ name: 'labId', example: 'lec7-k8s-basics' })
  @ApiParam({ name: 'userId', example: 'c5e8a1d2-7f34-4b9c-a6e0-2d1b8f7c3e95' })
  @ApiAnswer(204, undefined)
  @ApiErrors(400, INSTRUCTORS_ONLY, [404, 'No such course or scheduled lab', 'Lab not found in this course.'])
  @Delete('labs/:labId/extensions/:userId')
  @HttpCode(204)
  removeExtension(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('labId') labId: string,
    @Param('userId', ParseUUIDPipe) userId: string,
  ): Promise<void> {
    return this.schedules.removeExtension(user, courseId, safeLabId(labId), userId);
  }

  @ApiOperation({
    summary: "Every student's progress on every lab, with the weighted course total (instructors)",
  })
  @ApiAnswer(200, overviewExample)
  @ApiErrors(400, INSTRUCTORS_ONLY, COURSE_NOT_FOUND)
  @Get('overview')
  overview(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
  ): Promise<CourseOverview> {
    return this.overviews.overview(user, courseId);
  }

  @ApiOperation({ summary: 'The course overview as CSV (UTF-8 with a byte-order mark)' })
  @ApiAnswer(200, overviewCsvExample, {
    headers: {
      'Content-Disposition': {
        description: 'A download',
        example: 'attachment; filename="course-overview.csv"',
      },
    },
  })
  @ApiErrors(400, INSTRUCTORS_ONLY, COURSE_NOT_FOUND)
  @Get('overview.csv')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async overviewCsv(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const body = await this.overviews.csv(user, courseId);
    response.setHeader('Content-Disposition', 'attachment; filename="course-overview.csv"');
    return body;
  }
}
