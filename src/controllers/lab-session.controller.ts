import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { LabSessionService } from '../services/lab-session.service';
import { SessionGradingService } from '../services/session-grading.service';
import type { GradingUpdate } from '../shared/events';
import type { GradingRequested, LabSessionView } from '../shared/http-api';
import {
  ApiAnswer,
  ApiErrors,
  CLUSTER_CAP,
  CLUSTER_LIMIT,
  SESSION_NOT_FOUND,
  SESSION_OWNER_ONLY,
} from './api-docs';
import { gradingRequestedExample, gradingUpdateExample, labSessionExample } from './api-examples';

@ApiTags('lab sessions')
@ApiCookieAuth()
@ApiErrors(401, 503)
@Controller('lab-sessions/:labSessionId')
export class LabSessionController {
  constructor(
    private readonly sessions: LabSessionService,
    private readonly grading: SessionGradingService,
  ) {}

  @ApiOperation({ summary: 'A lab session and its cluster' })
  @ApiAnswer(200, labSessionExample)
  @ApiErrors(400, SESSION_NOT_FOUND)
  @Get()
  get(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<LabSessionView> {
    return this.sessions.get(user, id);
  }

  /** Throws the cluster away and starts a fresh one. */
  @ApiOperation({ summary: 'Throw the cluster away and start a fresh one (the home is kept)' })
  @ApiAnswer(200, labSessionExample)
  @ApiErrors(400, SESSION_OWNER_ONLY, SESSION_NOT_FOUND, CLUSTER_CAP, CLUSTER_LIMIT)
  @Post('reset')
  @HttpCode(200)
  reset(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<LabSessionView> {
    return this.sessions.reset(user, id);
  }

  /** Pushes the idle expiry back (bounded by the session's hard deadline). */
  @ApiOperation({ summary: "Push the cluster's idle expiry back (never past the hard deadline)" })
  @ApiAnswer(200, labSessionExample)
  @ApiErrors(400, SESSION_OWNER_ONLY, SESSION_NOT_FOUND)
  @Post('extend')
  @HttpCode(200)
  extend(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<LabSessionView> {
    return this.sessions.extend(user, id);
  }

  @ApiOperation({ summary: "The session's latest grading (null before the first)" })
  @ApiAnswer(200, gradingUpdateExample)
  @ApiErrors(400, SESSION_NOT_FOUND)
  @Get('grading')
  current(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<GradingUpdate | null> {
    return this.grading.current(user, id);
  }

  /** Asks for a grading run now; the result arrives over the websocket. */
  @ApiOperation({ summary: 'Grade the session now; the result arrives over the websocket (grading.updated)' })
  @ApiAnswer(202, gradingRequestedExample)
  @ApiErrors(400, SESSION_NOT_FOUND)
  @Post('grading')
  @HttpCode(202)
  request(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<GradingRequested> {
    return this.grading.request(user, id);
  }
}
