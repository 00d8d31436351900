import {
  Allow,
  IsBoolean,
  IsByteLength,
  IsDefined,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import type { ClientToServerEvents } from '../shared/events';

/**
 * The bodies of the terminal websocket's requests (src/shared/events.ts, ClientToServerEvents),
 * checked by the gateway's WsValidationPipe as HTTP bodies are by the global pipe.
 */

/** The most one `command.input` message may carry (lines typed into an interactive run). */
export const COMMAND_INPUT_MAX_BYTES = 64 * 1024;

export class SessionJoinDto {
  @IsUUID('all', { message: 'labSessionId must be a lab session id' })
  labSessionId!: string;
}

export class SessionLeaveDto {
  @IsUUID('all', { message: 'labSessionId must be a lab session id' })
  labSessionId!: string;
}

export class CourseWatchDto {
  @IsUUID('all', { message: 'courseId must be a course id' })
  courseId!: string;
}

export class CommandSubmitDto {
  @IsUUID('all', { message: 'labSessionId must be a lab session id' })
  labSessionId!: string;

  /**
   * A string, but not checked here: the command-line policy owns the line (type, UTF-8, length: a
   * line, or a heredoc block of up to COMMAND_MAX_BLOCK_BYTES) and refuses a bad one as
   * `invalid_line`, recorded in the history and announced with `command.rejected`. (The socket's
   * message size limit bounds it before that.)
   */
  @Allow()
  command!: string;

  @IsOptional()
  @IsString({ message: 'clientRef must be a string' })
  @MaxLength(64, { message: 'clientRef must be at most 64 characters' })
  clientRef?: string;
}

/** class-validator's `@IsUUID('all')` pattern (validator.js), so the quick check accepts what the decorator does. */
const UUID_ANY_VERSION =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;
const SUBMIT_FIELDS = new Set(['labSessionId', 'command', 'clientRef']);

/**
 * The everyday `command.submit` (WsValidationPipe's quick path): a lab session id, a string
 * command, and no clientRef or a short string one. Stricter than CommandSubmitDto (a command that is
 * not a string, a long or odd clientRef, go through the full check), never looser.
 */
export function isPlainCommandSubmit(body: Record<string, unknown>): boolean {
  for (const field of Object.keys(body)) if (!SUBMIT_FIELDS.has(field)) return false;
  const { labSessionId, command, clientRef } = body;
  return (
    typeof labSessionId === 'string' &&
    UUID_ANY_VERSION.test(labSessionId) &&
    typeof command === 'string' &&
    // UTF-16 length bounds the characters MaxLength counts (a surrogate pair counts once there).
    (clientRef === undefined || (typeof clientRef === 'string' && clientRef.length <= 64))
  );
}

export class CommandInputDto {
  @IsUUID('all', { message: 'labSessionId must be a lab session id' })
  labSessionId!: string;

  @IsUUID('all', { message: 'runId must be a command run id' })
  runId!: string;

  /** Whole typed lines; required unless the message is Ctrl-D (`eof: true`) or an editor's text alone. */
  @ValidateIf(
    (input: CommandInputDto) =>
      input.data !== undefined || (input.eof !== true && input.edited === undefined),
  )
  @IsDefined({ message: 'data (the typed lines) or eof: true (Ctrl-D) is required' })
  @IsString({ message: 'data must be a string' })
  @IsByteLength(0, COMMAND_INPUT_MAX_BYTES, {
    message: `data must be at most ${COMMAND_INPUT_MAX_BYTES / 1024} KiB`,
  })
  data?: string;

  @IsOptional()
  @IsBoolean({ message: 'eof must be true or false' })
  eof?: boolean;

  /** The editor pane's text as the student closed it (kubectl edit). */
  @IsOptional()
  @IsString({ message: 'edited must be a string' })
  @IsByteLength(0, COMMAND_INPUT_MAX_BYTES, {
    message: `edited must be at most ${COMMAND_INPUT_MAX_BYTES / 1024} KiB`,
  })
  edited?: string;
}

export class CommandCancelDto {
  @IsUUID('all', { message: 'labSessionId must be a lab session id' })
  labSessionId!: string;

  @IsOptional()
  @IsUUID('all', { message: 'runId must be a command run id' })
  runId?: string;
}

/** Each DTO has exactly the fields of its event's payload, of the same types (checked when compiling). */
/** What a client sends with an event (src/shared/events.ts). */
export type ClientPayload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type Same<A, B> = [A, keyof A] extends [B, keyof B]
  ? [B, keyof B] extends [A, keyof A]
    ? true
    : false
  : false;
type Holds<T extends true> = T;
export type TerminalDtosMatchEvents = [
  Holds<Same<ClientPayload<'session.join'>, SessionJoinDto>>,
  Holds<Same<ClientPayload<'session.leave'>, SessionLeaveDto>>,
  Holds<Same<ClientPayload<'course.watch'>, CourseWatchDto>>,
  Holds<Same<ClientPayload<'command.submit'>, CommandSubmitDto>>,
  Holds<Same<ClientPayload<'command.input'>, CommandInputDto>>,
  Holds<Same<ClientPayload<'command.cancel'>, CommandCancelDto>>,
];
