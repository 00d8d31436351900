import { Logger, UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { CommandRejectedError, TerminalService } from '../commands/terminal.service';
import {
  ClientPayload,
  CommandCancelDto,
  CommandInputDto,
  CommandSubmitDto,
  CourseWatchDto,
  isPlainCommandSubmit,
  SessionJoinDto,
  SessionLeaveDto,
} from '../dtos/terminal.dto';
import { sessionTokenFrom } from '../middleware/auth.guard';
import { WsValidationPipe } from '../middleware/validation.pipe';
import { WsAckExceptionFilter } from '../middleware/ws-exception.filter';
import { EventRepository } from '../repositories/event.repository';
import type { AuthUser } from '../services/auth.service';
import { AuthService } from '../services/auth.service';
import { CourseService } from '../services/course.service';
import { LabSessionService } from '../services/lab-session.service';
import {
  ClientToServerEvents,
  courseRoom,
  RejectionCode,
  ServerToClientEvents,
  sessionRoom,
} from '../shared/events';

type Result<T> = { ok: true; data: T } | { ok: false; code: string; message: string };
type TerminalSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { user: AuthUser }
>;

function failure(code: RejectionCode | string, message: string): Result<never> {
  return { ok: false, code, message };
}

/**
 * Message bodies are checked against their DTO by WsValidationPipe; a bad one is answered
 * `invalid_request` (WsAckExceptionFilter). Handlers type a body with its event's payload, not the
 * DTO class, so that the global HTTP pipe (which Nest runs on message bodies too) leaves it alone.
 */
const valid = {
  'session.join': new WsValidationPipe(SessionJoinDto),
  'session.leave': new WsValidationPipe(SessionLeaveDto),
  'course.watch': new WsValidationPipe(CourseWatchDto),
  'command.submit': new WsValidationPipe(CommandSubmitDto, isPlainCommandSubmit),
  'command.input': new WsValidationPipe(CommandInputDto),
  'command.cancel': new WsValidationPipe(CommandCancelDto),
  // authoring.watch is src/authoring/authoring.gateway.ts's.
} satisfies Record<Exclude<keyof ClientToServerEvents, 'authoring.watch'>, WsValidationPipe>;

/**
 * The terminal's websocket. The handshake must carry a valid session cookie. A student joins and
 * drives only their own lab sessions; instructors watch their courses' sessions read-only.
 */
@WebSocketGateway({ path: '/socket.io' })
@UseFilters(WsAckExceptionFilter)
export class TerminalGateway implements OnGatewayInit {
  private readonly logger = new Logger('TerminalGateway');

  constructor(
    private readonly auth: AuthService,
    private readonly terminal: TerminalService,
    private readonly sessions: LabSessionService,
    private readonly courses: CourseService,
    private readonly events: EventRepository,
  ) {}

  afterInit(server: Server): void {
    this.events.attachServer(server);
    server.use((socket, next) => {
      this.auth
        .authenticate(sessionTokenFrom(socket.handshake.headers.cookie))
        .then((user) => {
          if (!user) return next(new Error('unauthorized: sign in first'));
          (socket as TerminalSocket).data.user = user;
          next();
        })
        .catch(() => next(new Error('unavailable: try again shortly')));
    });
  }

  @SubscribeMessage('session.join')
  async join(
    @ConnectedSocket() socket: TerminalSocket,
    @MessageBody(valid['session.join']) body: ClientPayload<'session.join'>,
  ) {
    try {
      const snapshot = await this.terminal.snapshot(socket.data.user, body.labSessionId);
      await socket.join(sessionRoom(body.labSessionId));
      return { ok: true, data: snapshot };
    } catch {
      return failure('not_found', 'Lab session not found.');
    }
  }

  @SubscribeMessage('session.leave')
  async leave(
    @ConnectedSocket() socket: TerminalSocket,
    @MessageBody(valid['session.leave']) body: ClientPayload<'session.leave'>,
  ) {
    await socket.leave(sessionRoom(body.labSessionId));
    return { ok: true, data: null };
  }

  @SubscribeMessage('course.watch')
  async watch(
    @ConnectedSocket() socket: TerminalSocket,
    @MessageBody(valid['course.watch']) body: ClientPayload<'course.watch'>,
  ) {
    try {
      await this.courses.requireInstructor(socket.data.user, body.courseId);
      await socket.join(courseRoom(body.courseId));
      return { ok: true, data: null };
    } catch {
      return failure('not_found', 'Course not found.');
    }
  }

  @SubscribeMessage('command.submit')
  async submit(
    @ConnectedSocket() socket: TerminalSocket,
    @MessageBody(valid['command.submit']) body: ClientPayload<'command.submit'>,
  ) {
    const { labSessionId, command, clientRef } = body;
    try {
      const accepted = await this.terminal.submit(socket.data.user, labSessionId, command, clientRef);
      return { ok: true, data: { ...accepted, clientRef } };
    } catch (error) {
      if (!(error instanceof CommandRejectedError)) {
        this.logger.error(error instanceof Error ? error : String(error));
        return failure('unavailable', 'The terminal service failed; your command was not run.');
      }
      this.events.emitToSocket(socket.id, 'command.rejected', {
        labSessionId,
        clientRef,
        code: error.code,
        message: error.message,
        retryAfterSeconds: error.retryAfterSeconds,
      });
      return failure(error.code, error.message);
    }
  }

  /** What the student types while an interactive run of theirs waits for input (or Ctrl-D). */
  @SubscribeMessage('command.input')
  async input(
    @ConnectedSocket() socket: TerminalSocket,
    @MessageBody(valid['command.input']) body: ClientPayload<'command.input'>,
  ) {
    try {
      await this.terminal.input(socket.data.user, body);
      return { ok: true, data: null };
    } catch (error) {
      if (error instanceof CommandRejectedError) return failure(error.code, error.message);
      this.logger.error(error instanceof Error ? error : String(error));
      return failure('unavailable', 'Your input did not reach the command; try again.');
    }
  }

  @SubscribeMessage('command.cancel')
  async cancel(
    @ConnectedSocket() socket: TerminalSocket,
    @MessageBody(valid['command.cancel']) body: ClientPayload<'command.cancel'>,
  ) {
    try {
      const cancelled = await this.terminal.cancel(socket.data.user, body.labSessionId, body.runId);
      return { ok: true, data: { cancelled } };
    } catch (error) {
      if (error instanceof CommandRejectedError) return failure(error.code, error.message);
      return failure('unavailable', 'Cancel failed; try again.');
    }
  }
}
