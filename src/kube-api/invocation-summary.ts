/**
 * What a write's body says that a kubectl line shows: the object's kind and name, images, replicas, labels, ports…
 * The platform keeps this small summary with each request record (ApiRequestRecord.summary), never the body itself:
 * history lines are rebuilt from it, and a Secret's values never leave the request.
 */

export interface RequestSummary {
  /** merge, strategic, json (a JSON patch) or apply (server-side apply), from the Content-Type; absent: a whole object. */
  patchType?: 'merge' | 'strategic' | 'json' | 'apply';
  kind?: string;
  name?: string;
  generateName?: string;
  namespace?: string;
  replicas?: number;
  /** Container name → image, in order (a Pod's or a workload template's containers). */
  images?: [string, string][];
  /** The first container's command and args (kubectl run). */
  command?: string[];
  args?: string[];
  restartPolicy?: string;
  /** metadata.labels; null values are removals (a merge patch). */
  labels?: Record<string, string | null>;
  /** metadata.annotations without kubectl's own (last-applied-configuration, restartedAt). */
  annotations?: Record<string, string | null>;
  serviceType?: string;
  ports?: { port?: number; targetPort?: number | string; nodePort?: number; protocol?: string }[];
  /** A ConfigMap's short literal data (never a Secret's). */
  literals?: [string, string][];
  /** A Secret's or ConfigMap's keys. */
  keys?: string[];
  scaleTarget?: { kind: string; name: string };
  minReplicas?: number;
  maxReplicas?: number;
  cpuPercent?: number;
  /** A small patch body as compact JSON (kubectl patch -p). */
  patch?: string;
}

const MAX_ITEMS = 20;
const MAX_TEXT = 200;
const KUBECTL_ANNOTATIONS = /^kubectl\.kubernetes\.io\/(last-applied-configuration|restartedAt)$/;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.slice(0, MAX_TEXT) : undefined;
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) ? value : undefined;

function patchTypeOf(contentType: string | undefined): RequestSummary['patchType'] {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/merge-patch+json') return 'merge';
  if (type === 'application/strategic-merge-patch+json') return 'strategic';
  if (type === 'application/json-patch+json') return 'json';
  if (type === 'application/apply-patch+yaml') return 'apply';
  return undefined;
}

function stringMap(value: unknown, skip?: RegExp): Record<string, string | null> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string | null> = {};
  let kept = 0;
  for (const [key, item] of Object.entries(value)) {
    if (skip?.test(key) || kept >= MAX_ITEMS) continue;
    if (item === null || typeof item === 'string') {
      out[key.slice(0, MAX_TEXT)] = item === null ? null : item.slice(0, MAX_TEXT);
      kept++;
    }
  }
  return kept > 0 ? out : undefined;
}

function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out = value
    .slice(0, MAX_ITEMS)
    .flatMap((item) => (typeof item === 'string' ? [item.slice(0, MAX_TEXT)] : []));
  return out.length > 0 ? out : undefined;
}

/** The pod spec of a Pod, a workload's template, or a CronJob's job template. */
function podSpecOf(body: Json): Json | undefined {
  const spec = isObject(body.spec) ? body.spec : undefined;
  if (!spec) return undefined;
  if (Array.isArray(spec.containers)) return spec;
  const template = isObject(spec.template) ? spec.template : undefined;
  if (template && isObject(template.spec)) return template.spec;
  const jobTemplate = isObject(spec.jobTemplate) ? spec.jobTemplate : undefined;
  const jobSpec = jobTemplate && isObject(jobTemplate.spec) ? jobTemplate.spec : undefined;
  const jobPod = jobSpec && isObject(jobSpec.template) ? jobSpec.template : undefined;
  return jobPod && isObject(jobPod.spec) ? jobPod.spec : undefined;
}

function containerFacts(summary: RequestSummary, podSpec: Json): void {
  if (!Array.isArray(podSpec.containers)) return;
  const containers = podSpec.containers.filter(isObject).slice(0, MAX_ITEMS);
  const images = containers.flatMap((container): [string, string][] => {
    const image = text(container.image);
    return image === undefined ? [] : [[text(container.name) ?? '', image]];
  });
  if (images.length > 0) summary.images = images;
  const first = containers[0];
  const command = first && strings(first.command);
  const args = first && strings(first.args);
  if (command) summary.command = command;
  if (args) summary.args = args;
  const restartPolicy = text(podSpec.restartPolicy);
  if (restartPolicy) summary.restartPolicy = restartPolicy;
}

function serviceFacts(summary: RequestSummary, spec: Json): void {
  const type = text(spec.type);
  if (type) summary.serviceType = type;
  if (!Array.isArray(spec.ports)) return;
  summary.ports = spec.ports
    .filter(isObject)
    .slice(0, MAX_ITEMS)
    .map((port) => {
      const out: NonNullable<RequestSummary['ports']>[number] = {};
      if (count(port.port) !== undefined) out.port = count(port.port);
      const target = count(port.targetPort) ?? text(port.targetPort);
      if (target !== undefined) out.targetPort = target;
      if (count(port.nodePort) !== undefined) out.nodePort = count(port.nodePort);
      if (text(port.protocol)) out.protocol = text(port.protocol);
      return out;
    });
}

function autoscalerFacts(summary: RequestSummary, spec: Json): void {
  const ref = isObject(spec.scaleTargetRef) ? spec.scaleTargetRef : undefined;
  const kind = ref && text(ref.kind);
  const name = ref && text(ref.name);
  if (kind && name) summary.scaleTarget = { kind, name };
  if (count(spec.minReplicas) !== undefined) summary.minReplicas = count(spec.minReplicas);
  if (count(spec.maxReplicas) !== undefined) summary.maxReplicas = count(spec.maxReplicas);
  // autoscaling/v1 (kubectl 1.30) says targetCPUUtilizationPercentage; v2 (kubectl 1.33) a cpu Resource metric.
  const metric = Array.isArray(spec.metrics)
    ? spec.metrics.filter(isObject).find((item) => isObject(item.resource) && item.resource.name === 'cpu')
    : undefined;
  const resource = metric && isObject(metric.resource) ? metric.resource : undefined;
  const target = resource && isObject(resource.target) ? resource.target : undefined;
  const cpu = count(spec.targetCPUUtilizationPercentage) ?? (target && count(target.averageUtilization));
  if (cpu !== undefined) summary.cpuPercent = cpu;
}

/**
 * The summary of a write's decoded body (`contentType` as sent, for patches). Anything that is not an object gives
 * what can be said without it (the patch type; a JSON patch's own text when it is short).
 */
export function summarizeRequestBody(body: unknown, contentType?: string): RequestSummary {
  const summary: RequestSummary = {};
  const patchType = patchTypeOf(contentType);
  if (patchType) summary.patchType = patchType;
  if (patchType && patchType !== 'apply') {
    const compact = JSON.stringify(body);
    if (compact !== undefined && compact.length <= MAX_TEXT) summary.patch = compact;
  }
  if (!isObject(body)) return summary;
  const kind = text(body.kind);
  if (kind) summary.kind = kind;
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const name = text(metadata.name);
  if (name) summary.name = name;
  const generateName = text(metadata.generateName);
  if (generateName) summary.generateName = generateName;
  const namespace = text(metadata.namespace);
  if (namespace) summary.namespace = namespace;
  const labels = stringMap(metadata.labels);
  if (labels) summary.labels = labels;
  const annotations = stringMap(metadata.annotations, KUBECTL_ANNOTATIONS);
  if (annotations) summary.annotations = annotations;
  const spec = isObject(body.spec) ? body.spec : undefined;
  if (spec && count(spec.replicas) !== undefined) summary.replicas = count(spec.replicas);
  const podSpec = podSpecOf(body);
  if (podSpec) containerFacts(summary, podSpec);
  if (spec && (kind === 'Service' || Array.isArray(spec.ports))) serviceFacts(summary, spec);
  if (spec && (kind === 'HorizontalPodAutoscaler' || isObject(spec.scaleTargetRef)))
    autoscalerFacts(summary, spec);
  const data = isObject(body.data) ? body.data : undefined;
  if (data) {
    summary.keys = Object.keys(data).slice(0, MAX_ITEMS);
    if (kind === 'ConfigMap') {
      summary.literals = Object.entries(data)
        .slice(0, MAX_ITEMS)
        .flatMap(([key, value]): [string, string][] =>
          typeof value === 'string' && value.length <= 64 && !/[\n\r]/.test(value) ? [[key, value]] : [],
        );
    }
  }
  return summary;
}

/** A record's summary as it was stored: only the fields the line builder reads, each of the right type. */
export function readSummary(value: object | undefined): RequestSummary {
  return (value ?? {}) as RequestSummary;
}
