import { applyDecorators, Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { DATABASE_UNAVAILABLE_MESSAGE } from '../infra/database/database-errors';

/**
 * OpenAPI decorators shared by every controller, so each route states in two lines what it answers:
 * `@ApiAnswer(200, example)` for its success and `@ApiErrors(400, 401, 404)` for its refusals. Every error
 * leaves as `{ statusCode, message }` (src/middleware/http-exception.filter.ts), with `fields` when the
 * validation pipe refuses a body. A class-level `@ApiErrors(401, 503)` applies to every route of a controller.
 */

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503;

/** What each status means on this API, and a body it really sends. */
const ERRORS: Record<ErrorStatus, { description: string; body: Omit<ErrorBody, 'statusCode'> }> = {
  400: {
    description:
      'Invalid request: the body, a parameter or an id is malformed; `fields` names each bad field',
    body: {
      error: 'Bad Request',
      message: 'Validation failed',
      fields: { email: ['must be an email address'] },
    },
  },
  401: { description: 'No valid session cookie: sign in first', body: { message: 'Sign in first.' } },
  403: {
    description: "Signed in, but the caller's role does not allow it",
    body: { message: 'Only the course instructors can do this.' },
  },
  404: {
    description: 'Not found, or not visible to the caller (ids cannot be probed)',
    body: { message: 'Lab session not found.' },
  },
  409: {
    description: 'Conflicts with the current state',
    body: { message: 'An account with this email already exists.' },
  },
  413: { description: 'The request body is too large', body: { message: 'Request body too large.' } },
  429: {
    description: 'Too many requests: wait as long as the Retry-After header says',
    body: { message: 'Too many login attempts. Try again in 60 s.', retryAfterSeconds: 60 },
  },
  503: {
    description: 'The database is unavailable for a moment (see Retry-After); running terminals keep working',
    body: { message: DATABASE_UNAVAILABLE_MESSAGE },
  },
};

/** The body of every error (src/middleware/http-exception.filter.ts). */
export class ErrorBody {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'Lab session not found.' }) message!: string;
  @ApiPropertyOptional({ example: 'Bad Request' }) error?: string;
  @ApiPropertyOptional({
    description: 'A 400 of the validation pipe: the problems of each field',
    example: { email: ['must be an email address'] },
  })
  fields?: Record<string, string[]>;
  @ApiPropertyOptional({
    description: 'A machine-readable reason where a client acts on it',
    example: 'lab_id_taken',
  })
  code?: string;
  @ApiPropertyOptional({ description: 'A 429: seconds to wait (also the Retry-After header)', example: 60 })
  retryAfterSeconds?: number;
}

/**
 * A status alone takes the usual meaning and example; `[status, description, message]` says what it means on
 * this route and the message it sends.
 */
export type ErrorAnswer = ErrorStatus | [ErrorStatus, string, string?];

/** The error responses a route really gives, each with its meaning and an example body. */
export function ApiErrors(...answers: ErrorAnswer[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...answers.map((answer) => {
      const [status, description, message] = Array.isArray(answer) ? answer : [answer];
      const usual = ERRORS[status];
      return ApiResponse({
        status,
        description: description ?? usual.description,
        type: ErrorBody,
        example: { statusCode: status, ...usual.body, ...(message ? { message } : {}) },
      });
    }),
  );
}

/** Refusals several routes share, with the messages they send. */
export const COURSE_NOT_FOUND: ErrorAnswer = [
  404,
  'No such course, or the caller is not in it',
  'Course not found.',
];
export const INSTRUCTORS_ONLY: ErrorAnswer = [
  403,
  'Only instructors of the course (and admins)',
  'Only the course instructors can do this.',
];
export const SESSION_NOT_FOUND: ErrorAnswer = [
  404,
  'No such lab session, or not visible to the caller',
  'Lab session not found.',
];
export const SESSION_OWNER_ONLY: ErrorAnswer = [
  403,
  'Only the student working on the lab',
  'Only the student working on this lab can do that.',
];
export const CLUSTER_CAP: ErrorAnswer = [
  409,
  'The caller already holds CLUSTERS_PER_STUDENT running clusters',
  'You already have 2 running cluster(s). Stop or reset one of your labs first.',
];
export const CLUSTER_LIMIT: ErrorAnswer = [
  503,
  'The platform is at its cluster limit (CLUSTERS_MAX_TOTAL), or the database is unavailable',
  'The platform is at its cluster limit right now. Please try again in a few minutes.',
];
export const DRAFT_NOT_FOUND: ErrorAnswer = [
  404,
  "No such draft, or not one of the caller's courses",
  'Draft not found.',
];

export interface AnswerOptions {
  description?: string;
  /** A DTO class describing the body's schema, where there is one. */
  type?: Type<unknown>;
  /** Response headers that matter to a client (Set-Cookie, Content-Disposition), each with an example. */
  headers?: Record<string, { description: string; example: string }>;
}

/**
 * A route's successful answer with an example of its body (typed against src/shared where it is JSON, so
 * the example cannot drift from what the service returns). No body (204, a download): `undefined`.
 */
export function ApiAnswer(
  status: 200 | 201 | 202 | 204,
  example: unknown,
  { description = DEFAULT_SUCCESS[status], type, headers }: AnswerOptions = {},
): MethodDecorator & ClassDecorator {
  const headerObjects = headers
    ? Object.fromEntries(
        Object.entries(headers).map(([name, header]) => [
          name,
          { description: header.description, example: header.example, schema: { type: 'string' } },
        ]),
      )
    : undefined;
  return ApiResponse({
    status,
    description,
    ...(type ? { type } : {}),
    ...(example === undefined ? {} : { example }),
    ...(headerObjects ? { headers: headerObjects } : {}),
  });
}

const DEFAULT_SUCCESS = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: the work goes on in the background',
  204: 'Done; no body',
};
