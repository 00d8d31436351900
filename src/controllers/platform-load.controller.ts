import { Controller, Get } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../middleware/auth.guard';
import { PlatformLoadService } from '../placement/platform-load.service';
import type { PlatformLoad } from '../shared/http-api';
import { ApiAnswer, ApiErrors } from './api-docs';
import { platformLoadExample } from './api-examples';

@ApiTags('platform')
@ApiCookieAuth()
@Controller('platform')
export class PlatformLoadController {
  constructor(private readonly load: PlatformLoadService) {}

  /** The workers' load and the refusals of the last minute (issue 21's overload), for the dashboard. */
  @ApiOperation({
    summary: "The workers' load and the commands refused in the last minute (instructors and admins)",
  })
  @ApiAnswer(200, platformLoadExample)
  @ApiErrors(401, [403, 'Students cannot see it', 'This needs the instructor or admin role.'], 503)
  @Get('load')
  @Roles('instructor', 'admin')
  get(): Promise<PlatformLoad> {
    return this.load.report();
  }
}
