/**
 * `kubectl run --overrides=JSON [--override-type=merge|strategic|json]` (cmdutil.Overrider): the generated Pod is
 * patched on the client with the given JSON before anything is sent, then read back as a typed Pod (so a container
 * the override brings in has `resources: {}` like every container kubectl encodes). The error texts are kubectl
 * v1.30's for the cases a student meets: unparsable JSON, an unknown override type, a patch that is not an object.
 */
import type { Container, Pod } from '../../api/types';
import { applyPatch, type PatchType } from '../../http/patch';
import { HttpStatus } from '../../http/status';
import { CommandError } from '../context';
import { goJsonSyntaxError } from './go-json-syntax';

const TYPES: Record<string, PatchType> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** What the merge and strategic patch libraries answer for text that is not JSON. */
const UNPARSABLE: Record<string, string> = {
  merge: 'Invalid JSON Patch',
  strategic: 'invalid JSON document',
};

export function applyRunOverrides(pod: Pod, overrides: string, overrideType: string): Pod {
  const type = TYPES[overrideType];
  if (!type) throw new CommandError(`invalid override type: ${overrideType}`);
  let patch: unknown;
  try {
    patch = JSON.parse(overrides);
  } catch {
    // json-patch decodes with encoding/json, whose scanner names the first bad character.
    throw new CommandError(
      overrideType === 'json' ? (goJsonSyntaxError(overrides) ?? 'invalid JSON') : UNPARSABLE[overrideType],
    );
  }
  let patched: unknown;
  if (overrideType === 'merge' && (typeof patch !== 'object' || patch === null || Array.isArray(patch)))
    patched = patch; // RFC 7386: a patch that is no object replaces the document whole
  else patched = overrideType === 'json' ? applyOperations(pod, patch) : patchWith(type, pod, patch);
  if (typeof patched !== 'object' || patched === null || Array.isArray(patched))
    throw new CommandError(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goKind(patched)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  const result = patched as Pod;
  if (result.spec !== undefined && (typeof result.spec !== 'object' || Array.isArray(result.spec)))
    throw new CommandError(
      `json: cannot unmarshal ${goKind(result.spec)} into Go struct field Pod.spec of type v1.PodSpec`,
    );
  for (const c of [...(result.spec?.containers ?? []), ...(result.spec?.initContainers ?? [])] as Container[])
    c.resources ??= {};
  return result;
}

function patchWith(type: PatchType, target: unknown, patch: unknown): unknown {
  try {
    return applyPatch(type, target, patch);
  } catch (error) {
    if (error instanceof HttpStatus) throw new CommandError(error.message);
    throw error;
  }
}

/** JSON patch operations one at a time, so a failed `remove` is named as json-patch names it on the client. */
function applyOperations(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw new CommandError(`json: cannot unmarshal ${goKind(patch)} into Go value of type jsonpatch.Patch`);
  let current = target;
  for (const op of patch as { op?: unknown; path?: unknown }[]) {
    try {
      current = applyPatch('application/json-patch+json', current, [op]);
    } catch (error) {
      if (!(error instanceof HttpStatus)) throw error;
      // kubectl's json-patch sets a missing object key on `replace` as `add` would (the API server's refuses it).
      if (
        op.op === 'replace' &&
        error.message.startsWith('replace operation does not apply: doc is missing key')
      ) {
        current = applyPatch('application/json-patch+json', current, [{ ...op, op: 'add' }]);
        continue;
      }
      if (op.op === 'add' && error.message.startsWith('doc is missing path'))
        throw new CommandError(`add operation does not apply: ${error.message}`);
      const missing = /^unable to remove nonexistent key: (.*)$/.exec(error.message);
      if (missing)
        throw new CommandError(
          `error in remove for path: '${String(op.path)}': Unable to remove nonexistent key: ${missing[1]}`,
        );
      throw new CommandError(error.message);
    }
  }
  return current;
}

function goKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}
