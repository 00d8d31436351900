import {
  ArgumentMetadata,
  BadRequestException,
  Type,
  ValidationError,
  ValidationPipe,
  ValidationPipeOptions,
} from '@nestjs/common';
import { WsException } from '@nestjs/websockets';

function collect(errors: ValidationError[], prefix = '', into: Record<string, string[]> = {}) {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) into[field] = Object.values(error.constraints);
    if (error.children?.length) collect(error.children, field, into);
  }
  return into;
}

/** Both transports: unknown fields are refused, and handlers get instances of their DTO. */
const OPTIONS: ValidationPipeOptions = { whitelist: true, forbidNonWhitelisted: true, transform: true };

/** Bodies are checked against their DTO; a bad one gets 400 with the problems listed per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...OPTIONS,
    exceptionFactory: (errors) =>
      new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        fields: collect(errors),
      }),
  });
}

/**
 * A websocket request the gateway refuses: its exception filter (WsAckExceptionFilter) answers it as
 * the ack `{ ok: false, code, message }`.
 */
export class WsRequestError extends WsException {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super({ code, message });
  }
}

/** One line naming each field and what is wrong with it, e.g. "labSessionId must be a lab session id." */
export function describeValidationErrors(errors: ValidationError[]): string {
  const problems = Object.values(collect(errors)).flat();
  return problems.length > 0 ? `${problems.join('; ')}.` : 'The request is not valid.';
}

/**
 * The websocket variant: a message body is checked against `dto` (as HTTP bodies are against theirs)
 * and a bad one is refused with `invalid_request` and a message naming the fields.
 *
 * The DTO is given here, not taken from the parameter's type: Nest hands message bodies to the
 * global pipes too, as `body`, so a handler types its parameter with the event's payload (from
 * src/shared/events.ts, no class: the global HTTP pipe then lets it through) and this pipe alone
 * checks it.
 */
export class WsValidationPipe extends ValidationPipe {
  constructor(
    private readonly dto: Type,
    private readonly plainlyValid?: PlainlyValid,
  ) {
    super({
      ...OPTIONS,
      expectedType: dto,
      exceptionFactory: (errors) => new WsRequestError('invalid_request', describeValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new WsRequestError('invalid_request', 'The message must be an object of named fields.');
    }
    // What the full check would return for such a body: an instance of the DTO with its fields.
    if (this.plainlyValid?.(value as Record<string, unknown>)) return Object.assign(new this.dto(), value);
    return super.transform(value, metadata);
  }
}

/**
 * A test that a message body is plainly valid (every field known and of a form its DTO accepts).
 * Such a body skips class-validator and class-transformer, which cost a tenth of the API's CPU per
 * command (bench:commands profile); any other body gets the full check and its messages. It must
 * never pass a body the DTO refuses: its spec compares both on the same bodies.
 */
export type PlainlyValid = (body: Record<string, unknown>) => boolean;
