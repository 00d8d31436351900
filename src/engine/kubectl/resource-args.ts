import { resourcesInCategory, type ResourceInfo } from '../api/resources';
import type { ApiServer } from '../server/api-server';
import { CommandError } from './context';

/** One requested type with the names asked for (empty = all objects of the type). */
export interface ResourceRequest {
  info: ResourceInfo;
  names: string[];
}

/**
 * What `all` means in kubectl: the resources of discovery category `all`, in discovery order (the registry's
 * categories, which `engine serve` lists too).
 */
export const ALL_CATEGORY: readonly string[] = resourcesInCategory('all').map((r) => r.resource);

/**
 * kubectl's resource builder arguments: `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2`, `TYPE/NAME...` (reference §2).
 * Throws kubectl's texts for unknown types and mixed forms.
 */
export function parseResourceArgs(api: ApiServer, args: readonly string[]): ResourceRequest[] {
  if (args.length === 0) return [];
  const resolve = (type: string): ResourceInfo[] => {
    if (type.toLowerCase() === 'all') return ALL_CATEGORY.map((r) => api.resourceFor(r) as ResourceInfo);
    const info = api.resourceFor(type);
    if (!info) throw new CommandError(`the server doesn't have a resource type "${type}"`);
    return [info];
  };
  if (args.some((arg) => arg.includes('/'))) {
    const requests: ResourceRequest[] = [];
    for (const arg of args) {
      const slash = arg.indexOf('/');
      if (slash < 0)
        throw new CommandError(
          "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
        );
      const type = arg.slice(0, slash);
      const name = arg.slice(slash + 1);
      if (type === '' || name === '')
        throw new CommandError(`arguments in resource/name form must have a single resource and name`);
      const [info] = resolve(type);
      const existing = requests.find((r) => r.info === info);
      if (existing) existing.names.push(name);
      else requests.push({ info, names: [name] });
    }
    return requests;
  }
  const [typeArg, ...names] = args;
  const infos = typeArg
    .split(',')
    .filter((t) => t !== '')
    .flatMap(resolve);
  const unique = infos.filter((info, index) => infos.indexOf(info) === index);
  if (names.length > 0 && unique.length > 1 && typeArg.toLowerCase() === 'all')
    throw new CommandError('you must specify only one resource');
  return unique.map((info) => ({ info, names: [...names] }));
}

/** `deployment.apps` / `pod`: the lowercase kind plus its group, as the name printer writes it. */
export function kindWithGroup(info: ResourceInfo): string {
  return info.group ? `${info.kind.toLowerCase()}.${info.group}` : info.kind.toLowerCase();
}

/** `deployments.apps` / `pods`: the group-resource kubectl uses in NotFound texts. */
export function groupResource(info: ResourceInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}
