/** The API server's error Status (apimachinery `pkg/api/errors`), thrown by every ApiServer method. */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Invalid'
  | 'BadRequest'
  | 'Conflict'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'TooManyRequests'
  | 'InternalError';

export interface StatusCause {
  field: string;
  message: string;
  /** The cause's type when it is not a field's (e.g. `DisruptionBudget`). */
  reason?: string;
}

export interface StatusDetails {
  kind?: string;
  group?: string;
  name?: string;
  causes?: StatusCause[];
}

export interface Status {
  reason: StatusReason;
  /** The message kubectl prints after `Error from server (<reason>): `, e.g. `pods "foo" not found`. */
  message: string;
  details?: StatusDetails;
}

const HTTP_CODES: Record<StatusReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  Forbidden: 403,
  MethodNotAllowed: 405,
  TooManyRequests: 429,
  InternalError: 500,
};

export class StatusError extends Error {
  constructor(public status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }

  get code(): number {
    return HTTP_CODES[this.status.reason];
  }
}

export function isStatusError(error: unknown, reason?: StatusReason): error is StatusError {
  return error instanceof StatusError && (reason === undefined || error.status.reason === reason);
}

/** `<resource>[.<group>]` as in `deployments.apps "x" not found`. */
export function groupResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(resource: string, group: string, name: string): StatusError {
  return new StatusError({
    reason: 'NotFound',
    message: `${groupResource(resource, group)} "${name}" not found`,
    details: { name, group, kind: resource },
  });
}

export function alreadyExists(resource: string, group: string, name: string): StatusError {
  return new StatusError({
    reason: 'AlreadyExists',
    message: `${groupResource(resource, group)} "${name}" already exists`,
    details: { name, group, kind: resource },
  });
}

/**
 * 422 Invalid: `<Kind>[.<group>] "<name>" is invalid: <errs>`; several causes are aggregated as `[e1, e2]`
 * (apimachinery `NewInvalid` + `utilerrors.NewAggregate`). Each cause message is `field: Invalid value: ...`.
 */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): StatusError {
  const rendered = causes.map((c) => `${c.field}: ${c.message}`);
  const errs = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  return new StatusError({
    reason: 'Invalid',
    message: `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${errs}`,
    details: { kind, group, name, causes },
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError({ reason: 'BadRequest', message });
}

export function conflict(resource: string, group: string, name: string, detail: string): StatusError {
  return new StatusError({
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${groupResource(resource, group)} "${name}": ${detail}`,
    details: { name, group, kind: resource },
  });
}

export function forbidden(resource: string, group: string, name: string, detail: string): StatusError {
  return new StatusError({
    reason: 'Forbidden',
    message: `${groupResource(resource, group)} "${name}" is forbidden: ${detail}`,
    details: { name, group, kind: resource },
  });
}

/** 405: a verb the resource does not serve (listing or reading a review API). */
export function methodNotAllowedStatus(): StatusError {
  return new StatusError({
    reason: 'MethodNotAllowed',
    message: 'the server does not allow this method on the requested resource',
  });
}

/** 429: a request refused for now that may succeed later (an eviction a disruption budget blocks). */
export function tooManyRequests(message: string, causes?: StatusCause[]): StatusError {
  return new StatusError({ reason: 'TooManyRequests', message, ...(causes ? { details: { causes } } : {}) });
}
