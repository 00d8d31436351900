import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../infra/database/database-errors';

/** What a 503 for an unavailable database suggests as a wait before retrying. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Every error leaves as JSON with a status code and a message; an unavailable database as 503 with
 * a message saying so; unexpected ones are logged with their stack and reach the client only as
 * "Internal server error".
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const payload = typeof body === 'string' ? { statusCode: status, message: body } : body;
      if (
        status === HttpStatus.TOO_MANY_REQUESTS &&
        typeof body === 'object' &&
        'retryAfterSeconds' in body
      ) {
        response.setHeader('Retry-After', String((body as { retryAfterSeconds: number }).retryAfterSeconds));
      }
      response.status(status).json(payload);
      return;
    }
    // Body-parser errors (malformed JSON, oversized bodies) carry an HTTP status of their own.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = status === 413 ? 'Request body too large.' : 'Malformed request body.';
      response.status(status).json({ statusCode: status, message });
      return;
    }
    // The database is away (stopped, restarting): a clear 503 the client may retry, not a 500.
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ msg: 'request refused: the database is unavailable' });
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      response.status(503).json({ statusCode: 503, message: DATABASE_UNAVAILABLE_MESSAGE });
      return;
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    response.status(500).json({ statusCode: 500, message: 'Internal server error' });
  }
}
