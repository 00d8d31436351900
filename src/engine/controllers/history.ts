/**
 * ControllerRevisions of DaemonSets and StatefulSets (pkg/controller/history): one frozen copy of each pod
 * template the set has had, named `<set>-<hash>`, numbered; the current template's revision is the highest. A
 * template equal to an older revision's reuses that revision (renumbered to the top), as a rollback does.
 */
import type { KubeObject, PodTemplateSpec } from '../api/types';
import type { ControllerRevision } from '../api/workload-types';
import { deepEqual } from '../store/store';
import type { ControllerContext } from './context';
import { byCreation, isControlledBy, ownerReferenceTo } from './owners';
import { computeTemplateHash } from './template-hash';

export const REVISION_HASH_LABEL = 'controller-revision-hash';

type WithTemplate = KubeObject & {
  spec: { template: PodTemplateSpec; revisionHistoryLimit?: number };
};

export function ownedRevisions(ctx: ControllerContext, owner: KubeObject): ControllerRevision[] {
  return ctx.store
    .valuesIn<ControllerRevision>('controllerrevisions', owner.metadata.namespace ?? 'default')
    .filter((r) => isControlledBy(r, owner))
    .sort((a, b) => a.revision - b.revision || byCreation(a, b));
}

/** The template a revision holds, without the strategic-merge `$patch` marker. */
export function revisionTemplate(rev: ControllerRevision): PodTemplateSpec {
  const { $patch: _patch, ...template } = rev.data?.spec?.template ?? ({} as PodTemplateSpec);
  return template as PodTemplateSpec;
}

function sameTemplate(rev: ControllerRevision, template: PodTemplateSpec): boolean {
  return deepEqual(revisionTemplate(rev), template);
}

/** The revision of the owner's current template (created or renumbered as needed) and the owned revisions. */
export function currentRevision(
  ctx: ControllerContext,
  owner: WithTemplate,
): { revision: ControllerRevision; all: ControllerRevision[] } {
  const all = ownedRevisions(ctx, owner);
  const template = owner.spec.template;
  const top = all.length ? all[all.length - 1].revision : 0;
  const existing = all.find((r) => sameTemplate(r, template));
  if (existing) {
    if (existing.revision === top) return { revision: existing, all };
    const renumbered = ctx.server.updateObject({ ...existing, revision: top + 1 } as ControllerRevision, {
      fromClient: false,
    });
    return { revision: renumbered, all: all.map((r) => (r === existing ? renumbered : r)) };
  }
  let hash = computeTemplateHash(template);
  for (
    let collision = 1;
    ctx.store.get('controllerrevisions', owner.metadata.namespace, `${owner.metadata.name}-${hash}`);
    collision++
  )
    hash = computeTemplateHash(template, collision);
  const rev: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      namespace: owner.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ownerReferences: [ownerReferenceTo(owner)],
    },
    data: { spec: { template: { ...template, $patch: 'replace' } } },
    revision: top + 1,
  };
  const created = ctx.server.createObject(rev);
  return { revision: created, all: [...all, created] };
}

/** The hash part of a revision's name (what DaemonSet pods carry in controller-revision-hash). */
export function revisionHash(owner: KubeObject, rev: ControllerRevision): string {
  return (
    rev.metadata.labels?.[REVISION_HASH_LABEL] ?? rev.metadata.name.slice(owner.metadata.name.length + 1)
  );
}

/** Deletes the oldest revisions beyond revisionHistoryLimit that no live pod still runs. */
export function truncateHistory(
  ctx: ControllerContext,
  owner: WithTemplate,
  all: ControllerRevision[],
  current: ControllerRevision,
  inUse: Set<string>,
): void {
  const limit = owner.spec.revisionHistoryLimit ?? 10;
  const old = all.filter((r) => r.metadata.name !== current.metadata.name && !inUse.has(r.metadata.name));
  for (const rev of old.slice(0, Math.max(0, old.length - limit)))
    ctx.server.deleteObject('controllerrevisions', rev.metadata.namespace, rev.metadata.name);
}
