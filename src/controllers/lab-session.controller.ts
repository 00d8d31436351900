import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { LabSessionService } from '../services/lab-session.service';
import { SessionGradingService } from '../services/session-grading.service';
import type { GradingUpdate } from '../shared/events';
import type { GradingRequested, LabSessionView } from '../shared/http-api';

@ApiTags('lab sessions')
@ApiCookieAuth()
@Controller('lab-sessions/:labSessionId')
export class LabSessionController {
  constructor(
    private readonly sessions: LabSessionService,
    private readonly grading: SessionGradingService,
  ) {}

  @Get()
  get(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<LabSessionView> {
    return this.sessions.get(user, id);
  }

  /** Throws the cluster away and starts a fresh one. */
  @Post('reset')
  @HttpCode(200)
  reset(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<LabSessionView> {
    return this.sessions.reset(user, id);
  }

  /** Pushes the idle expiry back (bounded by the session's hard deadline). */
  @Post('extend')
  @HttpCode(200)
  extend(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<LabSessionView> {
    return this.sessions.extend(user, id);
  }

  @Get('grading')
  current(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<GradingUpdate | null> {
    return this.grading.current(user, id);
  }

  /** Asks for a grading run now; the result arrives over the websocket. */
  @Post('grading')
  @HttpCode(202)
  request(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<GradingRequested> {
    return this.grading.request(user, id);
  }
}
