/**
 * `kubectl replace -f FILE|DIR|-`: each manifest's object replaces the live one whole (kubectl's PUT; without a
 * resourceVersion in the manifest the server takes it unconditionally). A missing object is kubectl's
 * `Error from server (NotFound): error when replacing "FILE": ...`.
 */
import { isStatusError, StatusError } from '../../api/status-error';
import { CommandDef, namespaceFlag } from '../command';
import { CommandError } from '../context';
import { formatStatusError } from '../errors';
import { successLine } from '../output';
import { readManifests } from './apply';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';

export const replaceCommand: CommandDef = {
  path: ['replace'],
  short: 'Replace a resource by file name or stdin',
  usage: 'kubectl replace -f FILENAME [options]',
  flags: [
    {
      name: 'filename',
      shorthand: 'f',
      type: 'stringArray',
      default: [],
      description: 'The files that contain the configurations to replace.',
    },
    DRY_RUN_FLAG,
  ],
  async run(ctx, args) {
    const files = args.flags.filename as string[];
    if (files.length === 0) throw new CommandError('must specify --filename to replace');
    if (args.positional.length > 0) throw new CommandError(`Unexpected args: [${args.positional.join(' ')}]`);
    const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
    const api = ctx.cluster.api;
    let code = 0;
    for (const { source, obj } of await readManifests(ctx, files)) {
      const info = api.resourceFor(obj.kind);
      if (!info)
        throw new CommandError(
          `resource mapping not found for name: "${obj.metadata?.name}" namespace: "" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
        );
      if (info.namespaced) obj.metadata.namespace ??= namespaceFlag(args);
      try {
        // kubectl PUTs straight away: a missing object is the update's NotFound (a PUT never creates here), a
        // denial names `update`. A client dry run asks the server nothing.
        if (dryRun !== 'client') api.update(obj, { dryRun: dryRun === 'server' });
      } catch (error) {
        if (!isStatusError(error)) throw error;
        ctx.stderr(
          formatStatusError(
            new StatusError({
              ...error.status,
              message: `error when replacing "${source}": ${error.status.message}`,
            }),
          ) + '\n',
        );
        code = 1;
        continue;
      }
      ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('replaced', dryRun)));
    }
    return code;
  },
};
