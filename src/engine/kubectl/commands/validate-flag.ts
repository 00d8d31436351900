/**
 * `--validate` of `create -f`, `apply -f`: which fieldValidation kubectl asks the server for (cmdutil
 * GetValidationDirective), and the server-side check itself, shared with the HTTP face (http/field-validation.ts).
 */
import type { ResourceInfo } from '../../api/resources';
import type { KubeObject } from '../../api/types';
import { checkFields, type FieldValidation } from '../../http/field-validation';
import type { FlagSpec, ParsedArgs } from '../argv';
import { CommandError, KubectlContext } from '../context';

export const VALIDATE_FLAG: FlagSpec = {
  name: 'validate',
  type: 'string',
  default: 'strict',
  noOptDefault: 'strict',
  description: `Must be one of: strict (or true), warn, ignore (or false).`,
};

/** The directive `--validate` asks for; an unknown value is kubectl's client-side error. */
export function validationDirective(args: ParsedArgs): FieldValidation {
  const value = String(args.flags.validate ?? 'strict').toLowerCase();
  if (value === 'strict' || value === 'true') return 'Strict';
  if (value === 'warn') return 'Warn';
  if (value === 'ignore' || value === 'false') return 'Ignore';
  throw new CommandError(
    `invalid - validate option "${String(args.flags.validate)}"; must be one of: strict (or true), warn, ignore (or false)`,
  );
}

/**
 * What the API server does with the object's fields before a create or update: Strict throws its 400, Warn's
 * warnings go to stderr as kubectl prints response warnings, and unknown fields are dropped from `obj`.
 */
export function validateFields(
  ctx: KubectlContext,
  obj: KubeObject,
  info: ResourceInfo,
  directive: FieldValidation,
  operation: 'create' | 'update' | 'patch',
): void {
  for (const warning of checkFields(obj, info, directive, operation)) ctx.stderr(`Warning: ${warning}\n`);
}
