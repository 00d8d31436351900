import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config/app-config';
import { HOME_FILE_BODY_LIMIT, HOME_FILE_TOO_LARGE } from '../dtos/home.dto';
import { createLogger } from '../infra/logging/create-logger';
import { RedisIoAdapter } from '../infra/websocket/redis-io.adapter';
import { HttpExceptionFilter } from '../middleware/http-exception.filter';
import { createValidationPipe } from '../middleware/validation.pipe';
import { AllInOneModule } from '../modules/all-in-one.module';
import { ApiModule } from '../modules/api.module';

/** Builds the API application (not yet listening), so tests and the demo share the production set-up. */
export async function createApiApp(
  config: AppConfig,
  logger: LoggerService = createLogger(config, 'api'),
  options: { withWorker?: boolean } = {},
) {
  const root = options.withWorker ? AllInOneModule.forRoot(config) : ApiModule.forRoot(config);
  const app = await NestFactory.create<NestExpressApplication>(root, {
    logger,
    bodyParser: true,
  });
  // A saved home file may be up to 256 KiB: its route alone takes bodies that large (parsed first, so
  // the 64 KiB default below skips it); anything bigger is refused before it is read whole.
  app.use(HOME_FILE_ROUTE, json({ limit: HOME_FILE_BODY_LIMIT }), homeBodyTooLarge);
  app.useBodyParser('json', { limit: '64kb' });
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));
  setUpDocs(app);
  serveWebClient(app, config);
  return app;
}

/** PUT /api/lab-sessions/:labSessionId/home/file (HomeController.save). */
const HOME_FILE_ROUTE = /^\/api\/lab-sessions\/[^/]+\/home\/file$/;

/** A body over the home file limit (a huge paste) is answered with what the limit is, not read further. */
function homeBodyTooLarge(error: unknown, _request: Request, response: Response, next: NextFunction): void {
  if ((error as { status?: unknown })?.status !== 413) return next(error);
  response.status(413).json({ statusCode: 413, message: HOME_FILE_TOO_LARGE });
}

function setUpDocs(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kubelab API')
      .setDescription('Course portal, lab sessions, terminal and grading for the Kubelab teaching platform.')
      .setVersion('0.1.0')
      .addCookieAuth('kubelab_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/**
 * The built web client is served from the same origin, so the session cookie needs no CORS.
 * Unknown /api routes stay JSON 404s; every other path falls back to the single-page app.
 */
function serveWebClient(app: NestExpressApplication, config: AppConfig): void {
  const root = path.resolve(config.webDir);
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) return;
  app.useStaticAssets(root, { index: false, maxAge: '1h' });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (
      request.method !== 'GET' ||
      request.path.startsWith('/api') ||
      request.path.startsWith('/socket.io')
    ) {
      return next();
    }
    response.sendFile(index);
  });
}
