import type { Container, Deployment, Pod, ReplicaSet } from '../../api/types';
import { CommandDef, flag } from '../command';
import { CommandError } from '../context';
import { wrapFailure, patchObject } from '../impersonation';
import { successLine } from '../output';
import { splitResourcesAndPairs } from './metadata-update';
import { recordCommand, RECORD_FLAG } from './record';
import { reportErrors, resolveTargets } from './shared';

export const setImageCommand: CommandDef = {
  path: ['set', 'image'],
  short: 'Update the image of a pod template',
  usage:
    'kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]',
  flags: [
    flag.selector(),
    flag.bool('all', undefined, false, 'Select all resources'),
    flag.allNamespaces(),
    flag.output(),
    RECORD_FLAG,
  ],
  run(ctx, args) {
    const { resources, pairs } = splitResourcesAndPairs(args.positional, 'image');
    // kubectl finds the resources before it looks at the image updates: none at all is the builder's error.
    if (resources.length === 0) resolveTargets(ctx, args, resources);
    if (pairs.length === 0) throw new CommandError('at least one image update is required');
    const images: [string, string][] = pairs.map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) throw new CommandError(`invalid image update spec: ${pair}`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    });
    const { targets, errors } = resolveTargets(ctx, args, resources, { allowSelector: true });
    for (const { info, obj } of targets) {
      const containers = containersOf(obj as Deployment | ReplicaSet | Pod);
      if (!containers)
        throw new CommandError(
          `error: ${info.kind.toLowerCase()}/${obj.metadata.name} does not have a pod template`,
        );
      let changed = false;
      for (const [name, image] of images) {
        const matching = name === '*' ? containers : containers.filter((c) => c.name === name);
        if (matching.length === 0) throw new CommandError(`unable to find container named "${name}"`);
        for (const container of matching) {
          if (container.image !== image) changed = true;
          container.image = image;
        }
      }
      // --record changes the annotation, which counts as a change as it does in kubectl's patch.
      if (recordCommand(obj, ['set', 'image'], args)) changed = true;
      if (!changed) continue;
      wrapFailure('failed to patch image update to pod template', () => patchObject(ctx, obj));
      ctx.stdout(successLine(info, obj.metadata.name, 'image updated'));
    }
    return reportErrors(ctx, errors);
  },
};

function containersOf(obj: Deployment | ReplicaSet | Pod): Container[] | undefined {
  if (obj.kind === 'Pod') return obj.spec.containers;
  return obj.spec?.template?.spec?.containers;
}
