import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { CreateCourseDto, JoinCourseDto } from '../dtos/course.dto';
import { CurrentUser, Roles } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { CourseService } from '../services/course.service';
import type { Course, CourseStudent } from '../shared/http-api';

@ApiTags('courses')
@ApiCookieAuth()
@Controller('courses')
export class CourseController {
  constructor(private readonly courses: CourseService) {}

  @Post()
  @Roles('instructor', 'admin')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateCourseDto): Promise<Course> {
    return this.courses.create(user, body.title);
  }

  @Get()
  list(@CurrentUser() user: AuthUser): Promise<Course[]> {
    return this.courses.listFor(user);
  }

  @Post('join')
  @HttpCode(200)
  join(@CurrentUser() user: AuthUser, @Body() body: JoinCourseDto): Promise<Course> {
    return this.courses.join(user, body.joinCode);
  }

  @Get(':courseId')
  get(@CurrentUser() user: AuthUser, @Param('courseId', ParseUUIDPipe) courseId: string): Promise<Course> {
    return this.courses.get(user, courseId);
  }

  @Post(':courseId/join-code')
  @HttpCode(200)
  rotate(@CurrentUser() user: AuthUser, @Param('courseId', ParseUUIDPipe) courseId: string): Promise<Course> {
    return this.courses.rotateJoinCode(user, courseId);
  }

  @Get(':courseId/students')
  students(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
  ): Promise<CourseStudent[]> {
    return this.courses.listStudents(user, courseId);
  }
}
