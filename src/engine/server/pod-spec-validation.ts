/**
 * Parts of the v1.30 pod spec validation (pkg/apis/core/validation): volumes and their sources, a container's
 * volume mounts and its resource requirements. The causes come in the order the real checks append them.
 */
import type { StatusCause } from '../api/status-error';
import { compareQuantity, formatQuantity, parseQuantity } from '../api/quantity';
import type { Container, PodSpec, Volume } from '../api/types';
import { validateContainerProbes, validateInitContainerProbes } from './probe-validation';
import { invalidValue, isDns1123Label, quote, required, validateName } from './validation';

/** Each volume source with the field naming what it mounts (Required when empty, as its validator says). */
const SOURCE_NAME_FIELDS: Record<string, string> = {
  persistentVolumeClaim: 'claimName',
  configMap: 'name',
  secret: 'secretName',
  hostPath: 'path',
};

/** ValidateVolumes: a volume's source errors first, then its name's; the names of valid volumes are returned. */
export function validateVolumes(path: string, volumes: Volume[] | undefined): [Set<string>, StatusCause[]] {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((volume, i) => {
    const at = `${path}[${i}]`;
    const own: StatusCause[] = validateVolumeSource(at, volume);
    if (!volume.name) own.push(required(`${at}.name`));
    else own.push(...validateName(`${at}.name`, volume.name, isDns1123Label));
    if (names.has(volume.name))
      own.push({ field: `${at}.name`, message: `Duplicate value: ${quote(volume.name)}` });
    if (own.length === 0) names.add(volume.name);
    causes.push(...own);
  });
  return [names, causes];
}

function validateVolumeSource(at: string, volume: Volume): StatusCause[] {
  const sources = Object.keys(volume).filter((k) => k !== 'name');
  if (sources.length === 0) return [required(at, 'must specify a volume type')];
  const causes: StatusCause[] = [];
  for (const source of sources) {
    const field = SOURCE_NAME_FIELDS[source];
    const value = (volume as unknown as Record<string, Record<string, unknown> | undefined>)[source];
    if (field && !value?.[field]) causes.push(required(`${at}.${source}.${field}`));
  }
  return causes;
}

/** ValidateVolumeMounts: each mount names a valid volume of the pod and a path. */
export function validateVolumeMounts(at: string, container: Container, volumes: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  (container.volumeMounts ?? []).forEach((mount, i) => {
    const path = `${at}.volumeMounts[${i}]`;
    if (!mount.name) causes.push(required(`${path}.name`));
    if (!volumes.has(mount.name))
      causes.push({ field: `${path}.name`, message: `Not found: ${quote(mount.name ?? '')}` });
    if (!mount.mountPath) causes.push(required(`${path}.mountPath`));
  });
  return causes;
}

/**
 * helper.IsOvercommitAllowed: native resources (no domain, or a kubernetes.io one) other than huge pages may request
 * less than their limit; extended resources (`nvidia.com/gpu`) must request exactly their limit.
 */
function overcommitAllowed(name: string): boolean {
  const native = !name.includes('/') || name.includes('kubernetes.io/');
  return native && !name.startsWith('hugepages-');
}

/**
 * ValidateResourceRequirements: no negative quantity, and a request never above its limit (equal to it for a
 * resource that cannot be overcommitted). The value shown is the request's canonical text, the field the whole
 * `requests` map: `spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu
 * limit of 1`. Texts that are not quantities are left to the decoder.
 */
export function validateResources(at: string, container: Container): StatusCause[] {
  const causes: StatusCause[] = [];
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const limitsPath = `${at}.resources.limits`;
  const requestsPath = `${at}.resources.requests`;
  for (const [name, text] of Object.entries(limits))
    causes.push(...nonNegative(`${limitsPath}[${name}]`, text));
  for (const [name, text] of Object.entries(requests)) {
    causes.push(...nonNegative(`${requestsPath}[${name}]`, text));
    const request = parseQuantity(String(text));
    if (!request) continue;
    const limitText = limits[name];
    if (limitText === undefined) {
      if (!overcommitAllowed(name))
        causes.push(required(limitsPath, 'Limit must be set for non overcommitable resources'));
      continue;
    }
    const limit = parseQuantity(String(limitText));
    if (!limit) continue;
    const order = compareQuantity(request, limit);
    const shown = formatQuantity(request);
    if (order !== 0 && !overcommitAllowed(name))
      causes.push(
        invalidValue(requestsPath, shown, `must be equal to ${name} limit of ${formatQuantity(limit)}`),
      );
    else if (order > 0)
      causes.push(
        invalidValue(
          requestsPath,
          shown,
          `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`,
        ),
      );
  }
  return causes;
}

function nonNegative(field: string, text: string): StatusCause[] {
  const q = parseQuantity(String(text));
  return q && q.milli < 0n
    ? [invalidValue(field, formatQuantity(q), 'must be greater than or equal to 0')]
    : [];
}

function validateContainers(
  path: string,
  containers: Container[] | undefined,
  volumes: Set<string> | undefined,
): StatusCause[] {
  if (!containers || containers.length === 0) return [required(path)];
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (!c.name) causes.push(required(`${at}.name`));
    else {
      causes.push(...validateName(`${at}.name`, c.name, isDns1123Label));
      if (seen.has(c.name))
        causes.push({ field: `${at}.name`, message: `Duplicate value: ${JSON.stringify(c.name)}` });
      seen.add(c.name);
    }
    if (!c.image || c.image.trim() === '') causes.push(required(`${at}.image`));
    (c.ports ?? []).forEach((p, j) => {
      if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535)
        causes.push(
          invalidValue(
            `${at}.ports[${j}].containerPort`,
            p.containerPort,
            'must be between 1 and 65535, inclusive',
          ),
        );
    });
    if (volumes) causes.push(...validateVolumeMounts(at, c, volumes), ...validateResources(at, c));
    causes.push(...validateContainerProbes(c, at));
  });
  return causes;
}

/** What validateInitContainers checks of an init container here besides its probes: mounts and resources. */
function validateInitContainers(
  path: string,
  containers: Container[] | undefined,
  volumes: Set<string> | undefined,
) {
  const causes: StatusCause[] = [];
  if (volumes)
    (containers ?? []).forEach((c, i) => {
      causes.push(...validateVolumeMounts(`${path}[${i}]`, c, volumes));
      causes.push(...validateResources(`${path}[${i}]`, c));
    });
  return [...causes, ...validateInitContainerProbes(path, containers)];
}

/**
 * ValidatePodSpec's volumes, containers and init containers, in that order. A StatefulSet's template is not put
 * through it in v1.30 (ValidatePodTemplateSpecForStatefulSet leaves the pod spec to the pods: its mounts may name
 * volumeClaimTemplates), so `statefulSet` keeps only the container checks the engine always made there.
 */
export function validatePodSpec(
  path: string,
  spec: PodSpec | undefined,
  opts: { statefulSet?: boolean } = {},
): StatusCause[] {
  if (opts.statefulSet)
    return [
      ...validateContainers(`${path}.containers`, spec?.containers, undefined),
      ...validateInitContainers(`${path}.initContainers`, spec?.initContainers, undefined),
    ];
  const [volumes, causes] = validateVolumes(`${path}.volumes`, spec?.volumes);
  causes.push(...validateContainers(`${path}.containers`, spec?.containers, volumes));
  causes.push(...validateInitContainers(`${path}.initContainers`, spec?.initContainers, volumes));
  return causes;
}
