/**
 * `kubectl set selector (TYPE NAME | TYPE/NAME) EXPRESSIONS`: replaces a Service's spec.selector with the equality
 * terms of the expression (kubectl's updateSelectorForObject). Any other kind, and set-based terms, are refused while
 * the patch is computed. kubectl sends the patch even when nothing changes, so every target prints `selector
 * updated`; `--record` writes the command line into the change-cause annotation first.
 */
import type { KubeObject, LabelSelector } from '../../api/types';
import { parseToLabelSelector, SelectorSyntaxError } from '../../server/selectors';
import { CommandDef, flag } from '../command';
import { CommandError } from '../context';
import { patchObject } from '../impersonation';
import { parseOutputFormat, printObjects, successLine } from '../output';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';
import { recordCommand, RECORD_FLAG } from './record';
import { reportErrors, resolveTargets } from './shared';

/** Go's %v of a []LabelSelectorRequirement: `[{key In [a b]} {key Exists []}]`. */
function formatExpressions(expressions: NonNullable<LabelSelector['matchExpressions']>): string {
  return `[${expressions.map((e) => `{${e.key} ${e.operator} [${(e.values ?? []).join(' ')}]}`).join(' ')}]`;
}

function applySelector(obj: KubeObject, selector: LabelSelector): void {
  if (obj.kind !== 'Service') throw new CommandError('setting a selector is only supported for Services');
  if (selector.matchExpressions?.length)
    throw new CommandError(
      `match expression ${formatExpressions(selector.matchExpressions)} not supported on this object`,
    );
  (obj as { spec: { selector?: Record<string, string> } }).spec.selector = {
    ...(selector.matchLabels ?? {}),
  };
}

export const setSelectorCommand: CommandDef = {
  path: ['set', 'selector'],
  short: 'Set the selector on a resource',
  usage: 'kubectl set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version] [options]',
  flags: [
    flag.bool('all', undefined, false),
    flag.bool('local', undefined, false),
    flag.string('resource-version', undefined, ''),
    flag.output(),
    DRY_RUN_FLAG,
    RECORD_FLAG,
  ],
  run(ctx, args) {
    if (args.positional.length === 0) throw new CommandError('one selector is required');
    const expression = args.positional[args.positional.length - 1];
    let selector: LabelSelector;
    try {
      selector = parseToLabelSelector(expression);
    } catch (error) {
      if (error instanceof SelectorSyntaxError)
        throw new CommandError(`couldn't parse the selector string "${expression}": ${error.message}`);
      throw error;
    }
    if (args.flags.local as boolean)
      throw new CommandError(
        "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
      );
    const { targets, errors } = resolveTargets(ctx, args, args.positional.slice(0, -1));
    const dryRun = dryRunStrategy(ctx, (args.flags['dry-run'] as string) ?? 'none');
    const output = args.flags.output as string;
    const format = output
      ? parseOutputFormat(output, false, (args.flags.template as string) ?? '')
      : undefined;
    const resourceVersion = args.flags['resource-version'] as string;
    for (const target of targets) {
      applySelector(target.obj, selector);
      recordCommand(target.obj, ['set', 'selector'], args);
      if (resourceVersion) target.obj.metadata.resourceVersion = resourceVersion;
      const result =
        dryRun === 'client' ? target.obj : patchObject(ctx, target.obj, { dryRun: dryRun === 'server' });
      if (format) ctx.stdout(printObjects([result], format, true, () => target.info, true));
      else
        ctx.stdout(
          successLine(target.info, target.obj.metadata.name, withDryRunSuffix('selector updated', dryRun)),
        );
    }
    return reportErrors(ctx, errors);
  },
};
