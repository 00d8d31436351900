/**
 * `kubectl set env --list [--resolve]`: each selected container's variables, app containers first, then init
 * containers. kubectl lists the objects after applying the command's own changes in memory (nothing is saved), so
 * `--list -e Z=1` shows Z. With `--resolve`, ConfigMap and Secret references print their values; a reference
 * that cannot be read stays a comment and is reported on stderr at the end, exit code 0 (envutil.GetEnvVarRefValue).
 */
import type { ConfigMap, Container, EnvVar, KubeObject, PodSpec, Secret } from '../../api/types';
import { isStatusError } from '../../api/status-error';
import { namespaceFlag } from '../command';
import type { ParsedArgs } from '../argv';
import type { KubectlContext } from '../context';

export function refString(env: EnvVar): string {
  const from = env.valueFrom;
  if (from?.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from?.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from?.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  return 'unknown';
}

/** A ConfigMap or Secret key's value, or the error kubectl reports; undefined for other references. */
function refValue(
  ctx: KubectlContext,
  namespace: string,
  env: EnvVar,
): { value: string } | { error: string } | undefined {
  const from = env.valueFrom;
  const ref = from?.configMapKeyRef ?? from?.secretKeyRef;
  if (!ref) return undefined;
  const secret = !from?.configMapKeyRef;
  let obj: ConfigMap | Secret;
  try {
    obj = ctx.cluster.api.get<ConfigMap | Secret>(secret ? 'secrets' : 'configmaps', namespace, ref.name);
  } catch (error) {
    if (isStatusError(error)) return { error: error.message };
    throw error;
  }
  const value = obj.data?.[ref.key];
  if (value === undefined)
    return { error: `key ${ref.key} not found in ${secret ? 'secret' : 'config map'} ${ref.name}` };
  return { value: secret ? Buffer.from(value, 'base64').toString('utf8') : value };
}

export function listEnv(
  ctx: KubectlContext,
  args: ParsedArgs,
  objects: KubeObject[],
  specOf: (obj: KubeObject) => PodSpec | undefined,
  select: (spec: PodSpec) => Container[],
): void {
  const resolve = args.flags.resolve as boolean;
  const problems = new Map<string, string[]>();
  for (const obj of objects) {
    const spec = specOf(obj);
    if (!spec) continue;
    const chosen = select(spec);
    const ordered = [...spec.containers, ...(spec.initContainers ?? [])].filter((c) => chosen.includes(c));
    for (const c of ordered) {
      ctx.stdout(`# ${obj.kind} ${obj.metadata.name}, container ${c.name}\n`);
      for (const env of c.env ?? []) {
        if (!env.valueFrom) {
          ctx.stdout(`${env.name}=${env.value ?? ''}\n`);
          continue;
        }
        const resolved = resolve
          ? refValue(ctx, obj.metadata.namespace ?? namespaceFlag(args), env)
          : undefined;
        if (resolved && 'value' in resolved) {
          ctx.stdout(`${env.name}=${resolved.value}\n`);
          continue;
        }
        ctx.stdout(`# ${env.name} from ${refString(env)}\n`);
        if (resolved) problems.set(resolved.error, [...(problems.get(resolved.error) ?? []), env.name]);
      }
    }
  }
  // kubectl prints these to stderr as they are, and still exits 0.
  const lines = [...problems].map(
    ([error, names]) => `error retrieving reference for ${[...names].sort().join(', ')}: ${error}\n`,
  );
  for (const line of lines.sort()) ctx.stderr(line);
}
