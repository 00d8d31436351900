/** The API server's error answers: apimachinery `metav1.Status` bodies built from the engine's StatusError. */
import { isStatusError, type StatusCause } from '../api/status-error';

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  code: number;
}

/** An error the handler answers with as is (reasons the engine's API server never raises itself). */
export class HttpStatus extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** field.ErrorType of a cause from the start of its message (`Invalid value: ...` is FieldValueInvalid). */
const CAUSE_REASONS: [string, string][] = [
  ['Invalid value', 'FieldValueInvalid'],
  ['Required value', 'FieldValueRequired'],
  ['Unsupported value', 'FieldValueNotSupported'],
  ['Duplicate value', 'FieldValueDuplicate'],
  ['Forbidden', 'FieldValueForbidden'],
  ['Too long', 'FieldValueTooLong'],
  ['Too many', 'FieldValueTooMany'],
  ['Not found', 'FieldValueNotFound'],
  ['Internal error', 'InternalError'],
];

function causeReason(cause: StatusCause): string {
  if (cause.reason) return cause.reason;
  return CAUSE_REASONS.find(([prefix]) => cause.message.startsWith(prefix))?.[1] ?? 'FieldValueInvalid';
}

/** The Status body and HTTP code for anything thrown while serving a request. */
export function statusFor(error: unknown): StatusBody {
  if (isStatusError(error)) {
    const { reason, message, details } = error.status;
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code: error.code,
    };
    if (details) {
      const out: Record<string, unknown> = {};
      if (details.name !== undefined) out.name = details.name;
      if (details.group) out.group = details.group;
      if (details.kind !== undefined) out.kind = details.kind;
      if (details.causes?.length)
        out.causes = details.causes.map((c) => ({
          reason: causeReason(c),
          message: c.message,
          ...(c.field ? { field: c.field } : {}),
        }));
      body.details = out;
    }
    return body;
  }
  if (error instanceof HttpStatus)
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: error.message,
      reason: error.reason,
      ...(error.details ? { details: error.details } : {}),
      code: error.code,
    };
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

export function notFoundPath(): HttpStatus {
  return new HttpStatus(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function methodNotAllowed(): HttpStatus {
  return new HttpStatus(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

export function badRequestStatus(message: string): HttpStatus {
  return new HttpStatus(400, 'BadRequest', message);
}
