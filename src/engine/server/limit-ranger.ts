/**
 * The LimitRanger admission plugin (plugin/pkg/admission/limitranger of v1.30) for pod creation: the mutating
 * half fills containers' missing requests/limits from the namespace's LimitRanges and records what it set in
 * the `kubernetes.io/limit-ranger` annotation; the validating half refuses pods outside their min/max/ratio.
 * Pod updates are not checked, as in v1.30 (containers' resources cannot change after creation).
 */
import type { LimitRange, LimitRangeItem } from '../api/policy-types';
import { qosClass } from '../controllers/kubelet-status';
import { addQuantity, formatQuantity, parseQuantity, zeroQuantity } from '../api/quantity';
import type { Quantity } from '../api/quantity';
import type { Container, Pod } from '../api/types';
import type { ObjectStore } from '../store/store';

const ANNOTATION = 'kubernetes.io/limit-ranger';
type Resources = Record<string, string>;

/** The namespace's LimitRanges in list order (by name, as the API lists them). */
function limitRangesOf(store: ObjectStore, namespace: string): LimitRange[] {
  if (store.count('limitranges') === 0) return [];
  return store
    .valuesIn<LimitRange>('limitranges', namespace)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

function items(lr: LimitRange): LimitRangeItem[] {
  return Array.isArray(lr.spec?.limits) ? lr.spec.limits : [];
}

/** mergeContainerResources: the annotation phrases for what was set on one container. */
function mergeContainer(c: Container, limits: Resources, requests: Resources, prefix: string): string[] {
  const res = (c.resources ??= {});
  const setLimits = Object.keys(limits).filter((k) => res.limits?.[k] === undefined);
  const setRequests = Object.keys(requests).filter((k) => res.requests?.[k] === undefined);
  if (setLimits.length)
    res.limits = { ...res.limits, ...Object.fromEntries(setLimits.map((k) => [k, limits[k]])) };
  if (setRequests.length)
    res.requests = { ...res.requests, ...Object.fromEntries(setRequests.map((k) => [k, requests[k]])) };
  const phrases: string[] = [];
  if (setRequests.length) phrases.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length) phrases.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`);
  return phrases;
}

/** The mutating half: defaults from every Container item of every LimitRange, one LimitRange at a time. */
export function applyLimitRangeDefaults(store: ObjectStore, pod: Pod): void {
  for (const lr of limitRangesOf(store, pod.metadata.namespace ?? 'default')) {
    const limits: Resources = {};
    const requests: Resources = {};
    for (const item of items(lr)) {
      if (item.type !== 'Container') continue;
      Object.assign(requests, item.defaultRequest ?? {});
      Object.assign(limits, item.default ?? {});
    }
    const phrases: string[] = [];
    for (const c of pod.spec?.containers ?? [])
      phrases.push(...mergeContainer(c, limits, requests, 'container'));
    for (const c of pod.spec?.initContainers ?? [])
      phrases.push(...mergeContainer(c, limits, requests, 'init container'));
    if (!phrases.length) continue;
    pod.metadata.annotations = {
      ...pod.metadata.annotations,
      [ANNOTATION]: `LimitRanger plugin set: ${phrases.join('; ')}`,
    };
    // The registry derives the QoS class after admission, so it reflects the defaults set here.
    if (pod.status) pod.status.qosClass = qosClass(pod);
  }
}

function quantity(text: string | undefined): Quantity | undefined {
  return text === undefined ? undefined : parseQuantity(String(text));
}

/** minConstraint, maxConstraint and limitRequestRatioConstraint, in that order per resource. */
function constraintErrors(
  item: LimitRangeItem,
  type: string,
  requests: Resources,
  limits: Resources,
): string[] {
  const errs: string[] = [];
  for (const [k, v] of Object.entries(item.min ?? {})) {
    const enforced = quantity(v);
    const req = quantity(requests[k]);
    const lim = quantity(limits[k]);
    if (!enforced) continue;
    if (!req) errs.push(`minimum ${k} usage per ${type} is ${v}.  No request is specified`);
    else if (req.milli < enforced.milli)
      errs.push(`minimum ${k} usage per ${type} is ${v}, but request is ${formatQuantity(req)}`);
    else if (lim && lim.milli < enforced.milli)
      errs.push(`minimum ${k} usage per ${type} is ${v}, but limit is ${formatQuantity(lim)}`);
  }
  for (const [k, v] of Object.entries(item.max ?? {})) {
    const enforced = quantity(v);
    const req = quantity(requests[k]);
    const lim = quantity(limits[k]);
    if (!enforced) continue;
    if (!lim) errs.push(`maximum ${k} usage per ${type} is ${v}.  No limit is specified`);
    else if (lim.milli > enforced.milli)
      errs.push(`maximum ${k} usage per ${type} is ${v}, but limit is ${formatQuantity(lim)}`);
    else if (req && req.milli > enforced.milli)
      errs.push(`maximum ${k} usage per ${type} is ${v}, but request is ${formatQuantity(req)}`);
  }
  for (const [k, v] of Object.entries(item.maxLimitRequestRatio ?? {})) {
    const enforced = quantity(v);
    const req = quantity(requests[k]);
    const lim = quantity(limits[k]);
    if (!enforced) continue;
    const head = `${k} max limit to request ratio per ${type} is ${v}`;
    if (!req || req.milli === 0n) errs.push(`${head}, but no request is specified or request is 0`);
    else if (!lim || lim.milli === 0n) errs.push(`${head}, but no limit is specified or limit is 0`);
    else {
      const ratio = Number(lim.milli) / Number(req.milli);
      if (ratio * 1000 > Number(enforced.milli))
        errs.push(`${head}, but provided ratio is ${ratio.toFixed(6)}`);
    }
  }
  return errs;
}

/**
 * Pod-level totals: the containers' sum (Quantity.Add, keeping the first one's format), raised to any single init
 * container's value (PodRequests/PodLimits).
 */
function podTotals(pod: Pod, pick: (c: Container) => Resources | undefined): Resources {
  const total = new Map<string, Quantity>();
  for (const c of pod.spec?.containers ?? [])
    for (const [k, v] of Object.entries(pick(c) ?? {})) {
      const q = quantity(v);
      if (q) total.set(k, addQuantity(total.get(k) ?? zeroQuantity(q.format), q));
    }
  for (const c of pod.spec?.initContainers ?? [])
    for (const [k, v] of Object.entries(pick(c) ?? {})) {
      const q = quantity(v);
      if (q && q.milli > (total.get(k)?.milli ?? 0n)) total.set(k, q);
    }
  return Object.fromEntries([...total].map(([k, q]) => [k, formatQuantity(q)]));
}

/**
 * The validating half: the refusal text (`maximum cpu usage per Container is 500m, but limit is 1`; several
 * joined as Go's error aggregate `[a, b]`), or undefined when the pod fits every LimitRange.
 */
export function limitRangeRefusal(store: ObjectStore, pod: Pod): string | undefined {
  const errs: string[] = [];
  for (const lr of limitRangesOf(store, pod.metadata.namespace ?? 'default')) {
    for (const item of items(lr)) {
      if (item.type === 'Container') {
        for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])])
          errs.push(
            ...constraintErrors(item, 'Container', c.resources?.requests ?? {}, c.resources?.limits ?? {}),
          );
      } else if (item.type === 'Pod') {
        const requests = podTotals(pod, (c) => c.resources?.requests);
        const limits = podTotals(pod, (c) => c.resources?.limits);
        errs.push(...constraintErrors(item, 'Pod', requests, limits));
      }
    }
  }
  const unique = [...new Set(errs)];
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}
