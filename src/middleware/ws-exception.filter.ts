import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../infra/database/database-errors';

type AckResult = { ok: false; code: string; message: string };

/**
 * Every websocket request is acknowledged, failures included: a refused one (a WsException carrying
 * `{ code, message }`, e.g. from WsValidationPipe) gets that as `{ ok: false, code, message }`, and
 * an unexpected error is logged and reaches the client only as `unavailable`.
 *
 * Nest's own handling of gateway errors emits an `exception` event and leaves the ack unanswered
 * (the client would wait for its timeout), so the filter calls the ack itself. The handler's
 * arguments are `[socket, body, ack, pattern]`; `ack` is missing when the client asked for none.
 */
@Catch()
export class WsAckExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('TerminalGateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ack = host.getArgByIndex<unknown>(2);
    const result = this.resultOf(exception);
    if (typeof ack === 'function') (ack as (result: AckResult) => void)(result);
  }

  private resultOf(exception: unknown): AckResult {
    if (exception instanceof WsException) {
      const error = exception.getError();
      if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
        return { ok: false, code: String(error.code), message: String(error.message) };
      }
      return { ok: false, code: 'invalid_request', message: String(error) };
    }
    if (isDatabaseUnavailable(exception))
      return { ok: false, code: 'unavailable', message: DATABASE_UNAVAILABLE_MESSAGE };
    this.logger.error(exception instanceof Error ? exception : String(exception));
    return { ok: false, code: 'unavailable', message: 'The terminal service failed; try again.' };
  }
}
