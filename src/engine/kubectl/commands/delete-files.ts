/**
 * `kubectl delete|get -f FILE|DIR|-`: the objects the manifests name (kind, name, namespace), looked up on the
 * server. A manifest whose object is gone gives kubectl's NotFound error, which delete prefixes with
 * `error when deleting "FILE": ` (`verb` 'deleting') and get prints plain.
 */
import { isStatusError, StatusError } from '../../api/status-error';
import type { ParsedArgs } from '../argv';
import { namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { formatStatusError } from '../errors';
import { asKubectlRequest } from '../impersonation';
import { readManifests } from './apply';
import type { Target } from './shared';

export async function targetsFromFiles(
  ctx: KubectlContext,
  args: ParsedArgs,
  files: readonly string[],
  verb?: string,
): Promise<{ targets: Target[]; errors: string[] }> {
  if (args.positional.length > 0)
    throw new CommandError(
      'when paths, URLs, or stdin is provided as input, you may not specify a resource by arguments as well',
    );
  const api = ctx.cluster.api;
  const targets: Target[] = [];
  const errors: string[] = [];
  for (const { source, obj } of await readManifests(ctx, files)) {
    const info = api.resourceFor(obj.kind);
    if (!info)
      throw new CommandError(
        `resource mapping not found for name: "${obj.metadata?.name}" namespace: "" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
      );
    const namespace = info.namespaced ? (obj.metadata?.namespace ?? namespaceFlag(args)) : undefined;
    try {
      const name = obj.metadata?.name ?? '';
      // delete sends its DELETE without reading the object: under --as that is the request authorised.
      const reader =
        verb === 'deleting'
          ? asKubectlRequest(ctx, { verb: 'delete', resource: info.resource, namespace, name })
          : api;
      targets.push({ info, obj: reader.get(info.resource, namespace, name) });
    } catch (error) {
      if (!isStatusError(error)) throw error;
      const message = verb ? `error when ${verb} "${source}": ${error.status.message}` : error.status.message;
      errors.push(formatStatusError(new StatusError({ ...error.status, message })));
    }
  }
  return { targets, errors };
}
