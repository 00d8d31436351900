import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';

/**
 * Every error leaves as JSON with a status code and a message; unexpected ones are logged with
 * their stack and reach the client only as "Internal server error".
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
    this.logger.error(exception instanceof Error ? exception : String(exception));
    response.status(500).json({ statusCode: 500, message: 'Internal server error' });
  }
}
