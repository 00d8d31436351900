import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { sessionTokenFrom } from '../middleware/auth.guard';
import { EventRepository } from '../repositories/event.repository';
import type { AuthUser } from '../services/auth.service';
import { AuthService } from '../services/auth.service';
import { CourseService } from '../services/course.service';
import { LabSessionService } from '../services/lab-session.service';
import { CommandRejectedError, TerminalService } from '../services/terminal.service';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

function sessionIdOf(body: unknown): string | undefined {
  const id = field(body, 'labSessionId');
  return typeof id === 'string' && UUID.test(id) ? id : undefined;
}

function failure(code: RejectionCode | string, message: string): Result<never> {
  return { ok: false, code, message };
}

/**
 * The terminal's websocket. The handshake must carry a valid session cookie. A student joins and
 * drives only their own lab sessions; instructors watch their courses' sessions read-only.
 */
@WebSocketGateway({ path: '/socket.io' })
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
  async join(@ConnectedSocket() socket: TerminalSocket, @MessageBody() body: unknown) {
    const labSessionId = sessionIdOf(body);
    if (!labSessionId) return failure('invalid_request', 'labSessionId must be a lab session id.');
    try {
      const snapshot = await this.terminal.snapshot(socket.data.user, labSessionId);
      await socket.join(sessionRoom(labSessionId));
      return { ok: true, data: snapshot };
    } catch {
      return failure('not_found', 'Lab session not found.');
    }
  }

  @SubscribeMessage('session.leave')
  async leave(@ConnectedSocket() socket: TerminalSocket, @MessageBody() body: unknown) {
    const labSessionId = sessionIdOf(body);
    if (labSessionId) await socket.leave(sessionRoom(labSessionId));
    return { ok: true, data: null };
  }

  @SubscribeMessage('course.watch')
  async watch(@ConnectedSocket() socket: TerminalSocket, @MessageBody() body: unknown) {
    const courseId = field(body, 'courseId');
    if (typeof courseId !== 'string' || !UUID.test(courseId)) {
      return failure('invalid_request', 'courseId must be a course id.');
    }
    try {
      await this.courses.requireInstructor(socket.data.user, courseId);
      await socket.join(courseRoom(courseId));
      return { ok: true, data: null };
    } catch {
      return failure('not_found', 'Course not found.');
    }
  }

  @SubscribeMessage('command.submit')
  async submit(@ConnectedSocket() socket: TerminalSocket, @MessageBody() body: unknown) {
    const labSessionId = sessionIdOf(body);
    const clientRef = field(body, 'clientRef');
    const ref = typeof clientRef === 'string' ? clientRef.slice(0, 64) : undefined;
    if (!labSessionId) return failure('invalid_request', 'labSessionId must be a lab session id.');
    try {
      const accepted = await this.terminal.submit(socket.data.user, labSessionId, field(body, 'command'));
      return { ok: true, data: { ...accepted, clientRef: ref } };
    } catch (error) {
      if (!(error instanceof CommandRejectedError)) {
        this.logger.error(error instanceof Error ? error : String(error));
        return failure('unavailable', 'The terminal service failed; your command was not run.');
      }
      socket.emit('command.rejected', {
        labSessionId,
        clientRef: ref,
        code: error.code,
        message: error.message,
        retryAfterSeconds: error.retryAfterSeconds,
      });
      return failure(error.code, error.message);
    }
  }

  @SubscribeMessage('command.cancel')
  async cancel(@ConnectedSocket() socket: TerminalSocket, @MessageBody() body: unknown) {
    const labSessionId = sessionIdOf(body);
    const runId = field(body, 'runId');
    if (!labSessionId) return failure('invalid_request', 'labSessionId must be a lab session id.');
    if (runId !== undefined && (typeof runId !== 'string' || !UUID.test(runId))) {
      return failure('invalid_request', 'runId must be a command run id.');
    }
    try {
      const cancelled = await this.terminal.cancel(
        socket.data.user,
        labSessionId,
        runId as string | undefined,
      );
      return { ok: true, data: { cancelled } };
    } catch (error) {
      if (error instanceof CommandRejectedError) return failure(error.code, error.message);
      return failure('unavailable', 'Cancel failed; try again.');
    }
  }
}
