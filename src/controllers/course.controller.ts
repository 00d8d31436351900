import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateCourseDto, JoinCourseDto } from '../dtos/course.dto';
import { CurrentUser, Roles } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { CourseService } from '../services/course.service';
import type { Course, CourseStudent } from '../shared/http-api';
import { ApiAnswer, ApiErrors, COURSE_NOT_FOUND, INSTRUCTORS_ONLY } from './api-docs';
import { courseExample, courseStudentsExample, studentCourseExample } from './api-examples';

@ApiTags('courses')
@ApiCookieAuth()
@ApiErrors(401, 503)
@Controller('courses')
export class CourseController {
  constructor(private readonly courses: CourseService) {}

  @ApiOperation({ summary: 'Create a course (instructors and admins)' })
  @ApiAnswer(201, courseExample)
  @ApiErrors(400, [403, 'Students cannot create courses', 'This needs the instructor or admin role.'])
  @Post()
  @Roles('instructor', 'admin')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateCourseDto): Promise<Course> {
    return this.courses.create(user, body.title);
  }

  @ApiOperation({ summary: 'The courses the caller teaches or takes' })
  @ApiAnswer(200, [courseExample])
  @Get()
  list(@CurrentUser() user: AuthUser): Promise<Course[]> {
    return this.courses.listFor(user);
  }

  @ApiOperation({ summary: 'Join a course with its join code' })
  @ApiAnswer(200, studentCourseExample)
  @ApiErrors(400, [
    404,
    'No course has this join code',
    'No course has this join code. Ask your instructor for the current one.',
  ])
  @Post('join')
  @HttpCode(200)
  join(@CurrentUser() user: AuthUser, @Body() body: JoinCourseDto): Promise<Course> {
    return this.courses.join(user, body.joinCode);
  }

  @ApiOperation({ summary: 'One course the caller belongs to' })
  @ApiAnswer(200, courseExample)
  @ApiErrors(400, COURSE_NOT_FOUND)
  @Get(':courseId')
  get(@CurrentUser() user: AuthUser, @Param('courseId', ParseUUIDPipe) courseId: string): Promise<Course> {
    return this.courses.get(user, courseId);
  }

  @ApiOperation({ summary: 'Give the course a new join code (instructors)' })
  @ApiAnswer(200, courseExample)
  @ApiErrors(400, INSTRUCTORS_ONLY, COURSE_NOT_FOUND)
  @Post(':courseId/join-code')
  @HttpCode(200)
  rotate(@CurrentUser() user: AuthUser, @Param('courseId', ParseUUIDPipe) courseId: string): Promise<Course> {
    return this.courses.rotateJoinCode(user, courseId);
  }

  @ApiOperation({ summary: 'The students of a course (instructors)' })
  @ApiAnswer(200, courseStudentsExample)
  @ApiErrors(400, INSTRUCTORS_ONLY, COURSE_NOT_FOUND)
  @Get(':courseId/students')
  students(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseUUIDPipe) courseId: string,
  ): Promise<CourseStudent[]> {
    return this.courses.listStudents(user, courseId);
  }
}
