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
import { ApiCookieAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CourseTimeZoneDto, DueExtensionDto, ReplaceScheduleDto } from '../dtos/schedule.dto';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { CourseOverviewService } from '../services/course-overview.service';
import { ScheduleService } from '../services/schedule.service';
import type { Course } from '../shared/http-api';
import type { CourseOverview, CourseSchedule, DueExtensionView } from '../shared/schedule-api';

const LAB_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const safeLabId = (value: string) => (LAB_ID.test(value) ? value : '-');

/** A course's schedule, time zone, extensions and overview: instructors of the course and admins. */
@ApiTags('schedule')
@ApiCookieAuth()
@Controller('courses/:courseId')
export class ScheduleController {
  constructor(
    private readonly schedules: ScheduleService,
    private readonly overviews: CourseOverviewService,
  ) {}

  @Get('schedule')
  schedule(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
  ): Promise<CourseSchedule> {
    return this.schedules.schedule(user, courseId);
  }

  @Put('schedule')
  replace(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Body() body: ReplaceScheduleDto,
  ): Promise<CourseSchedule> {
    return this.schedules.replace(user, courseId, body.labs);
  }

  @Put('time-zone')
  timeZone(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Body() body: CourseTimeZoneDto,
  ): Promise<Course> {
    return this.schedules.setTimeZone(user, courseId, body.timeZone);
  }

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

  @Get('overview')
  overview(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
  ): Promise<CourseOverview> {
    return this.overviews.overview(user, courseId);
  }

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
