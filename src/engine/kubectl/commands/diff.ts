/**
 * `kubectl diff -f FILE|DIR|-`: what `kubectl apply -f` would change. As kubectl v1.30 does, each object is written
 * twice as YAML (managedFields left out) into two temporary folders, `LIVE-<n>` (the object on the server, absent
 * for a new one) and `MERGED-<n>` (the server's dry run of the apply), files named `<group.>version.Kind.namespace.
 * name`, and `diff -u -N` compares the folders: one `diff -u -N LIVE/x MERGED/x` line per changed object, then its
 * unified diff. Exit 0 without differences, 1 with some, as kubectl's external diff reports them.
 */
import { isStatusError, StatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import { diffDate, diffLines, unifiedHunks } from '../../terminal/home/diff';
import { CommandDef, namespaceFlag } from '../command';
import type { ParsedArgs } from '../argv';
import { CommandError, KubectlContext, RawError, UsageError } from '../context';
import { formatStatusError } from '../errors';
import { toGoYaml } from '../printers/yaml';
import { appliedConfiguration, LAST_APPLIED, readManifests } from './apply';
import { threeWayMergePatch } from './apply-patch';
import { strategicMerge } from '../../http/patch';

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
    try {
      return await runDiff(ctx, args);
    } catch (error) {
      throw asDiffError(error);
    }
  },
};

/**
 * cmdutil.CheckDiffErr: diff's own exit status 1 means "differences", so an error that would exit 1 exits 2.
 */
function asDiffError(error: unknown): unknown {
  if (error instanceof UsageError)
    return new RawError(`error: ${error.message}\nSee 'kubectl diff -h' for help and examples`, 2);
  if (error instanceof StatusError) return new RawError(formatStatusError(error), 2);
  if (error instanceof CommandError && error.exitCode === 1) return new CommandError(error.message, 2);
  return error;
}

async function runDiff(ctx: KubectlContext, args: ParsedArgs): Promise<number> {
  const files = args.flags.filename as string[];
  if (args.positional.length > 0) throw new UsageError(`Unexpected args: [${args.positional.join(' ')}]`);
  if (files.length === 0) throw new CommandError('must specify one of -f and -k');
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
    let existing: KubeObject | undefined;
    try {
      existing = api.get(info.resource, obj.metadata.namespace, obj.metadata.name);
    } catch (error) {
      if (!isStatusError(error, 'NotFound')) throw error;
    }
    let result: KubeObject;
    if (existing) result = api.update(mergedWithLive(existing, obj), { dryRun: true });
    // A new object is the server's dry-run create of the manifest as it is (kubectl diff's InfoObject.Merged).
    else result = api.create(obj, { dryRun: true });
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
}

/**
 * The apply patch as kubectl diff computes it (GetModifiedConfiguration without annotating): the manifest is not
 * recorded as the new last-applied configuration, so the live record stays as it is in the merged object.
 */
function mergedWithLive(existing: KubeObject, obj: KubeObject): KubeObject {
  const recorded = existing.metadata.annotations?.[LAST_APPLIED];
  let original: unknown = {};
  try {
    original = recorded ? JSON.parse(recorded) : {};
  } catch {
    // A record that is not JSON counts as none, as in apply.
  }
  const modified = JSON.parse(appliedConfiguration(structuredClone(obj))) as unknown;
  return strategicMerge(existing, threeWayMergePatch(original, modified, existing)) as KubeObject;
}

function asYaml(obj: KubeObject): string {
  const copy = structuredClone(obj);
  delete (copy.metadata as { managedFields?: unknown }).managedFields;
  return toGoYaml(copy);
}
