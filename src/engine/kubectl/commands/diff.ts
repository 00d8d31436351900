/**
 * `kubectl diff -f FILE|DIR|-`: what `kubectl apply -f` would change. As kubectl v1.30 does, each object is written
 * twice as YAML (managedFields left out) into two temporary folders, `LIVE-<n>` (the object on the server, absent
 * for a new one) and `MERGED-<n>` (the server's dry run of the apply), files named `<group.>version.Kind.namespace.
 * name`, and `diff -u -N` compares the folders: one `diff -u -N LIVE/x MERGED/x` line per changed object, then its
 * unified diff. Exit 0 without differences, 1 with some, as kubectl's external diff reports them.
 */
import { isStatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import { diffDate, diffLines, unifiedHunks } from '../../terminal/home/diff';
import { CommandDef, namespaceFlag } from '../command';
import { CommandError } from '../context';
import { toGoYaml } from '../printers/yaml';
import { appliedConfiguration, LAST_APPLIED, mergeForApply, readManifests } from './apply';

export const diffCommand: CommandDef = {
  path: ['diff'],
  short: 'Diff the live version against a would-be applied version',
  usage: 'kubectl diff -f FILENAME [options]',
  flags: [
    {
      name: 'filename',
      shorthand: 'f',
      type: 'stringArray',
      default: [],
      description: 'Filename, directory, or URL to files contains the configuration to diff',
    },
  ],
  async run(ctx, args) {
    const files = args.flags.filename as string[];
    if (files.length === 0) throw new CommandError('must specify one of -f and -k');
    if (args.positional.length > 0) throw new CommandError(`Unexpected args: [${args.positional.join(' ')}]`);
    const api = ctx.cluster.api;
    const now = ctx.cluster.clock.now();
    // os.MkdirTemp's random suffixes; any digits do, tests normalise them.
    const live = `/tmp/LIVE-${(now % 1_000_000_007) + 1}`;
    const merged = `/tmp/MERGED-${(now % 999_999_937) + 2}`;
    const pairs: { name: string; before: string | undefined; after: string }[] = [];
    for (const { obj } of await readManifests(ctx, files)) {
      const info = api.resourceFor(obj.kind);
      if (!info)
        throw new CommandError(
          `resource mapping not found for name: "${obj.metadata?.name}" namespace: "" from "": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`,
        );
      if (info.namespaced) obj.metadata.namespace ??= namespaceFlag(args);
      const applied = appliedConfiguration(obj);
      let existing: KubeObject | undefined;
      try {
        existing = api.get(info.resource, obj.metadata.namespace, obj.metadata.name);
      } catch (error) {
        if (!isStatusError(error, 'NotFound')) throw error;
      }
      let result: KubeObject;
      if (existing) result = api.update(mergeForApply(existing, obj, applied), { dryRun: true });
      else {
        obj.metadata.annotations = { ...obj.metadata.annotations, [LAST_APPLIED]: applied + '\n' };
        result = api.create(obj, { dryRun: true });
      }
      const group = info.group ? `${info.group}.` : '';
      pairs.push({
        name: `${group}${info.version}.${info.kind}.${obj.metadata.namespace ?? ''}.${obj.metadata.name}`,
        before: existing ? asYaml(existing) : undefined,
        after: asYaml(result),
      });
    }
    let differs = false;
    for (const { name, before, after } of pairs.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (before === after) continue;
      differs = true;
      ctx.stdout(`diff -u -N ${live}/${name} ${merged}/${name}\n`);
      // -N: a missing file is empty and dated at the epoch.
      ctx.stdout(`--- ${live}/${name}\t${diffDate(before === undefined ? 0 : now)}\n`);
      ctx.stdout(`+++ ${merged}/${name}\t${diffDate(now)}\n`);
      ctx.stdout(unifiedHunks(diffLines(before ?? '', after), 3, before ?? '', after));
    }
    return differs ? 1 : 0;
  },
};

function asYaml(obj: KubeObject): string {
  const copy = structuredClone(obj);
  delete (copy.metadata as { managedFields?: unknown }).managedFields;
  return toGoYaml(copy);
}
