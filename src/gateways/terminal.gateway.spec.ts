import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { io, Socket } from 'socket.io-client';
import { CommandRejectedError, TerminalService } from '../commands/terminal.service';
import { createValidationPipe } from '../middleware/validation.pipe';
import { EventRepository } from '../repositories/event.repository';
import { AuthService } from '../services/auth.service';
import { CourseService } from '../services/course.service';
import { LabSessionService } from '../services/lab-session.service';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/events';
import { TerminalGateway } from './terminal.gateway';

// The gateway's collaborators are replaced whole, so this spec loads none of their dependencies.
jest.mock('../commands/terminal.service', () => ({
  TerminalService: class TerminalService {},
  CommandRejectedError: class CommandRejectedError extends Error {
    constructor(
      readonly code: string,
      message: string,
      readonly retryAfterSeconds?: number,
    ) {
      super(message);
    }
  },
}));
jest.mock('../services/auth.service', () => ({ AuthService: class AuthService {} }));
jest.mock('../services/course.service', () => ({ CourseService: class CourseService {} }));
jest.mock('../services/lab-session.service', () => ({ LabSessionService: class LabSessionService {} }));

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Untyped = { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };

const SESSION = '6f1c1f38-3a52-4d8e-9d43-2f0a7d5e8b11';
const RUN = '0b8f2a61-4c1e-4f7a-9a55-7e3d2c1b0a99';
const COURSE = 'c2d5e6f7-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const USER = { id: 'u1', email: 'ada@example.edu', displayName: 'Ada', role: 'student' as const };

describe('TerminalGateway: websocket requests are validated like HTTP bodies', () => {
  let app: INestApplication;
  let socket: ClientSocket;
  const terminal = {
    snapshot: jest.fn(),
    submit: jest.fn(),
    cancel: jest.fn(),
    input: jest.fn(),
  };
  const courses = { requireInstructor: jest.fn() };
  const events = { attachServer: jest.fn(), emitToSocket: jest.fn() };

  /** Sends a request whatever its payload (the typed client would refuse the bad ones). */
  const send = (event: string, payload: unknown) =>
    (socket as unknown as Untyped).emitWithAck(event, payload);
  const invalid = (field: RegExp) => ({
    ok: false,
    code: 'invalid_request',
    message: expect.stringMatching(field) as unknown,
  });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        TerminalGateway,
        { provide: AuthService, useValue: { authenticate: async () => USER } },
        { provide: TerminalService, useValue: terminal },
        { provide: LabSessionService, useValue: {} },
        { provide: CourseService, useValue: courses },
        { provide: EventRepository, useValue: events },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    // As in the API: the global HTTP pipe must leave message bodies to the gateway's own pipe.
    app.useGlobalPipes(createValidationPipe());
    app.useWebSocketAdapter(new IoAdapter(app));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    socket = io(`http://127.0.0.1:${port}`, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  });

  afterAll(async () => {
    socket?.close();
    await app?.close();
  });

  beforeEach(() => jest.clearAllMocks());

  describe('session.join', () => {
    it('passes a lab session id on to the terminal', async () => {
      terminal.snapshot.mockResolvedValue({ labSessionId: SESSION, history: [] });
      expect(await send('session.join', { labSessionId: SESSION })).toEqual({
        ok: true,
        data: { labSessionId: SESSION, history: [] },
      });
      expect(terminal.snapshot).toHaveBeenCalledWith(USER, SESSION);
    });

    it.each([
      ['a missing id', {}, /^labSessionId must be a lab session id/],
      ['an id that is no UUID', { labSessionId: "'; drop table users; --" }, /labSessionId/],
      ['an id of the wrong type', { labSessionId: 42 }, /labSessionId/],
      ['an unknown field', { labSessionId: SESSION, room: 'course:x' }, /property room should not exist/],
    ])('refuses %s', async (_, payload, message) => {
      expect(await send('session.join', payload)).toEqual(invalid(message));
      expect(terminal.snapshot).not.toHaveBeenCalled();
    });

    it.each([
      ['a string', 'hello'],
      ['null', null],
      ['an array', [SESSION]],
    ])('refuses a payload that is %s', async (_, payload) => {
      expect(await send('session.join', payload)).toEqual(invalid(/must be an object/));
    });
  });

  describe('session.leave', () => {
    it('leaves the room of a lab session id', async () => {
      expect(await send('session.leave', { labSessionId: SESSION })).toEqual({ ok: true, data: null });
    });

    it('refuses a bad id', async () => {
      expect(await send('session.leave', { labSessionId: 'nope' })).toEqual(invalid(/labSessionId/));
    });
  });

  describe('course.watch', () => {
    it('passes a course id on', async () => {
      courses.requireInstructor.mockResolvedValue({});
      expect(await send('course.watch', { courseId: COURSE })).toEqual({ ok: true, data: null });
      expect(courses.requireInstructor).toHaveBeenCalledWith(USER, COURSE);
    });

    it.each([
      ['a missing id', {}],
      ['a bad id', { courseId: 'course-1' }],
    ])('refuses %s', async (_, payload) => {
      expect(await send('course.watch', payload)).toEqual(invalid(/^courseId must be a course id/));
      expect(courses.requireInstructor).not.toHaveBeenCalled();
    });
  });

  describe('command.submit', () => {
    const accepted = { labSessionId: SESSION, runId: RUN, seq: 1, command: 'kubectl get pods' };

    it('passes the line on, and echoes the client reference', async () => {
      terminal.submit.mockResolvedValue(accepted);
      expect(
        await send('command.submit', { labSessionId: SESSION, command: 'kubectl get pods', clientRef: 'r1' }),
      ).toEqual({ ok: true, data: { ...accepted, clientRef: 'r1' } });
      expect(terminal.submit).toHaveBeenCalledWith(USER, SESSION, 'kubectl get pods', 'r1');
    });

    it('leaves the length of a line to the command-line policy (a 300 KiB heredoc gets through)', async () => {
      terminal.submit.mockResolvedValue(accepted);
      const block = `cat <<EOF > big.yaml\n${'x'.repeat(300 * 1024)}\nEOF`;
      expect(await send('command.submit', { labSessionId: SESSION, command: block })).toMatchObject({
        ok: true,
      });
      expect(terminal.submit).toHaveBeenCalledWith(USER, SESSION, block, undefined);
    });

    it('leaves a command that is no string to the policy too (it records and announces the refusal)', async () => {
      terminal.submit.mockRejectedValue(
        new CommandRejectedError('invalid_line', 'A command is a line of text.'),
      );
      expect(await send('command.submit', { labSessionId: SESSION, command: { not: 'a string' } })).toEqual({
        ok: false,
        code: 'invalid_line',
        message: 'A command is a line of text.',
      });
      expect(terminal.submit).toHaveBeenCalledWith(USER, SESSION, { not: 'a string' }, undefined);
      expect(events.emitToSocket).toHaveBeenCalledWith(
        socket.id,
        'command.rejected',
        expect.objectContaining({ code: 'invalid_line' }),
      );
    });

    it.each([
      ['a bad session id', { labSessionId: 'x', command: 'ls' }, /^labSessionId must be a lab session id/],
      [
        'a client reference over 64 characters',
        { labSessionId: SESSION, command: 'ls', clientRef: 'r'.repeat(65) },
        /clientRef must be at most 64/,
      ],
      [
        'a client reference that is no string',
        { labSessionId: SESSION, command: 'ls', clientRef: 7 },
        /clientRef must be a string/,
      ],
    ])('refuses %s', async (_, payload, message) => {
      expect(await send('command.submit', payload)).toEqual(invalid(message));
      expect(terminal.submit).not.toHaveBeenCalled();
      expect(events.emitToSocket).not.toHaveBeenCalled();
    });

    it('tells the submitting socket alone about a refused line, through the EventRepository', async () => {
      terminal.submit.mockRejectedValue(new CommandRejectedError('rate_limited', 'Slow down.', 12));
      expect(await send('command.submit', { labSessionId: SESSION, command: 'ls', clientRef: 'r2' })).toEqual(
        {
          ok: false,
          code: 'rate_limited',
          message: 'Slow down.',
        },
      );
      expect(events.emitToSocket).toHaveBeenCalledWith(socket.id, 'command.rejected', {
        labSessionId: SESSION,
        clientRef: 'r2',
        code: 'rate_limited',
        message: 'Slow down.',
        retryAfterSeconds: 12,
      });
    });
  });

  describe('command.input', () => {
    it('passes typed lines on', async () => {
      terminal.input.mockResolvedValue(undefined);
      const payload = { labSessionId: SESSION, runId: RUN, data: 'name: web\n' };
      expect(await send('command.input', payload)).toEqual({ ok: true, data: null });
      expect(terminal.input).toHaveBeenCalledWith(USER, payload);
    });

    it('passes Ctrl-D (eof alone) on', async () => {
      terminal.input.mockResolvedValue(undefined);
      expect(await send('command.input', { labSessionId: SESSION, runId: RUN, eof: true })).toEqual({
        ok: true,
        data: null,
      });
      expect(terminal.input).toHaveBeenCalledWith(USER, { labSessionId: SESSION, runId: RUN, eof: true });
    });

    it('passes 64 KiB of input on', async () => {
      terminal.input.mockResolvedValue(undefined);
      const data = `${'y'.repeat(64 * 1024 - 1)}\n`;
      expect(await send('command.input', { labSessionId: SESSION, runId: RUN, data })).toEqual({
        ok: true,
        data: null,
      });
    });

    it.each([
      [
        'neither data nor eof',
        { labSessionId: SESSION, runId: RUN },
        /^data \(the typed lines\) or eof: true/,
      ],
      [
        'eof: false alone',
        { labSessionId: SESSION, runId: RUN, eof: false },
        /data \(the typed lines\) or eof: true/,
      ],
      [
        'data over 64 KiB',
        { labSessionId: SESSION, runId: RUN, data: 'z'.repeat(64 * 1024 + 1) },
        /^data must be at most 64 KiB/,
      ],
      [
        '64 KiB of characters that take more bytes',
        { labSessionId: SESSION, runId: RUN, data: '字'.repeat(30_000) },
        /^data must be at most 64 KiB/,
      ],
      ['data that is no string', { labSessionId: SESSION, runId: RUN, data: 5 }, /data must be a string/],
      [
        'eof that is no boolean',
        { labSessionId: SESSION, runId: RUN, eof: 'yes' },
        /eof must be true or false/,
      ],
      ['a missing run id', { labSessionId: SESSION, data: 'a\n' }, /^runId must be a command run id/],
      [
        'a bad session id',
        { labSessionId: 'x', runId: RUN, data: 'a\n' },
        /^labSessionId must be a lab session id/,
      ],
    ])('refuses %s', async (_, payload, message) => {
      expect(await send('command.input', payload)).toEqual(invalid(message));
      expect(terminal.input).not.toHaveBeenCalled();
    });

    it('answers a refusal of the terminal as the other requests do', async () => {
      terminal.input.mockRejectedValue(
        new CommandRejectedError('not_found', 'No command is waiting for input.'),
      );
      expect(await send('command.input', { labSessionId: SESSION, runId: RUN, eof: true })).toEqual({
        ok: false,
        code: 'not_found',
        message: 'No command is waiting for input.',
      });
      terminal.input.mockRejectedValue(new Error('redis down'));
      expect(await send('command.input', { labSessionId: SESSION, runId: RUN, eof: true })).toMatchObject({
        ok: false,
        code: 'unavailable',
      });
    });
  });

  describe('command.cancel', () => {
    it('cancels one run, or all of the session', async () => {
      terminal.cancel.mockResolvedValue(1);
      expect(await send('command.cancel', { labSessionId: SESSION, runId: RUN })).toEqual({
        ok: true,
        data: { cancelled: 1 },
      });
      expect(terminal.cancel).toHaveBeenLastCalledWith(USER, SESSION, RUN);
      expect(await send('command.cancel', { labSessionId: SESSION })).toEqual({
        ok: true,
        data: { cancelled: 1 },
      });
      expect(terminal.cancel).toHaveBeenLastCalledWith(USER, SESSION, undefined);
    });

    it.each([
      ['a bad run id', { labSessionId: SESSION, runId: 'last' }, /^runId must be a command run id/],
      ['a missing session id', { runId: RUN }, /^labSessionId must be a lab session id/],
    ])('refuses %s', async (_, payload, message) => {
      expect(await send('command.cancel', payload)).toEqual(invalid(message));
      expect(terminal.cancel).not.toHaveBeenCalled();
    });
  });
});
