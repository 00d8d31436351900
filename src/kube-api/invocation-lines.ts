/**
 * The kubectl line a sequence of API requests was, as far as the server can see it: the verb from Kubectl-Command,
 * kinds, names and namespace from the paths, key flags from query strings and write bodies (their summaries). What
 * only the client knows (file names, output formats, local ports, `--overwrite`) is not in the line; labs/README.md
 * ("Lines from the student's own kubectl") lists what is.
 */
import { EffectsRecorder, type CommandEffects } from '../engine/kubectl/effects';
import type { ApiRequestRecord } from './invocations';
import {
  isAllNamespaces,
  isDiscoveryPath,
  kindOf,
  parseResourcePath,
  singularOf,
  type ResourceTarget,
} from './invocation-paths';
import { readSummary, type RequestSummary } from './invocation-summary';

/** A record with what its path names (undefined for discovery and other non-resource paths). */
interface Step {
  record: ApiRequestRecord;
  target?: ResourceTarget;
  query: URLSearchParams;
  summary: RequestSummary;
  ok: boolean;
}

export interface BuiltLine {
  line: string;
  exitCode: number;
  effects: CommandEffects;
}

const STREAMS = new Set(['exec', 'attach', 'portforward']);
/** Commands whose line names no objects, whatever they read (`cluster-info` lists kube-system's services). */
const WITHOUT_TARGETS = new Set([
  'version',
  'api-resources',
  'api-versions',
  'cluster-info',
  'explain',
  'auth',
]);

/** A word as a POSIX shell reads it back: quoted when it holds anything but plain characters. */
export function shellWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function stepsOf(records: readonly ApiRequestRecord[]): Step[] {
  return records.map((record) => ({
    record,
    target: parseResourcePath(record.path),
    query: new URLSearchParams(record.query),
    summary: readSummary(record.summary),
    ok: record.status > 0 && record.status < 400,
  }));
}

const isWrite = (step: Step) => step.record.mutating;
const isRead = (step: Step) => step.record.method === 'GET' && step.target !== undefined && !isStream(step);
const isStream = (step: Step) =>
  step.target?.subresource !== undefined && STREAMS.has(step.target.subresource);

/** `GET namespaces/NS` right after a 404 in NS: kubectl checking why (get, apply), not an object of the line. */
function isNamespaceCheck(step: Step, previous: Step | undefined): boolean {
  return (
    step.target?.resource === 'namespaces' &&
    step.target.name !== undefined &&
    previous?.record.status === 404 &&
    previous.target?.namespace === step.target.name
  );
}

/** The objects a line is about, without kubectl's checks of the namespace. */
function objectSteps(steps: Step[]): Step[] {
  return steps.filter((step, index) => step.target && !isNamespaceCheck(step, steps[index - 1]));
}

/** Where the line ran: the first namespaced request's namespace, `*` for a list across all namespaces. */
function namespaceOf(steps: Step[]): string | undefined {
  const targets = objectSteps(steps).map((step) => step.target as ResourceTarget);
  const namespaced = targets.find((target) => target.namespace !== undefined);
  if (namespaced) return namespaced.namespace;
  return targets.some(isAllNamespaces) ? '*' : undefined;
}

function namespaceFlag(namespace: string | undefined): string[] {
  if (namespace === '*') return ['-A'];
  return namespace !== undefined && namespace !== 'default' ? ['-n', namespace] : [];
}

/** `deployment web`, `pod a b`, or `deployment/web service/web` for objects of several types. */
function objectWords(targets: ResourceTarget[]): string[] {
  const named = unique(targets.filter((target) => target.name !== undefined));
  if (named.length === 0) return [];
  const types = new Set(named.map(singularOf));
  if (types.size === 1) return [singularOf(named[0]), ...named.map((target) => target.name as string)];
  return named.map((target) => `${singularOf(target)}/${target.name as string}`);
}

function unique(targets: ResourceTarget[]): ResourceTarget[] {
  const seen = new Set<string>();
  return targets.filter((target) => {
    const key = `${target.group}/${target.resource}/${target.name ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The objects of the first resource type the line read or wrote (describe, edit, rollout, wait…). */
function firstTypeObjects(steps: Step[]): ResourceTarget[] {
  const objects = objectSteps(steps).filter((step) => !isStream(step));
  const first = objects[0]?.target;
  if (!first) return [];
  return objects
    .map((step) => step.target as ResourceTarget)
    .filter((target) => target.resource === first.resource && target.group === first.group);
}

/**
 * The objects a line read, for lines whose writes failed or found nothing: the named objects of its first type, or
 * that type's list with its selector (`label pods -l app=web` when no pod matched).
 */
function readWords(steps: Step[]): string[] {
  const objects = firstTypeObjects(steps);
  const named = objectWords(objects);
  if (named.length > 0 || objects.length === 0) return named;
  return [objects[0].resource, ...(selectorWords(steps, objects[0].resource) ?? [])];
}

/** `-l SELECTOR` (or `--all`) when the line listed the type before acting on its objects one by one. */
function selectorWords(steps: Step[], resource: string): string[] | undefined {
  const list = steps.find(
    (step) => isRead(step) && step.target?.resource === resource && step.target.name === undefined,
  );
  if (!list) return undefined;
  const selector = list.query.get('labelSelector');
  return selector ? ['-l', selector] : ['--all'];
}

function labelWords(labels: Record<string, string | null> | undefined): string[] {
  return Object.entries(labels ?? {}).map(([key, value]) => (value === null ? `${key}-` : `${key}=${value}`));
}

function getWords(steps: Step[]): string[] {
  const reads = objectSteps(steps).filter((step) => isRead(step) && step.query.get('watch') !== 'true');
  const lists = unique(reads.filter((step) => step.target?.name === undefined).map((step) => step.target!));
  const named = reads.filter((step) => step.target?.name !== undefined).map((step) => step.target!);
  const words: string[] = [];
  if (lists.length >= 5 && lists.every((target) => target.info?.categories.includes('all')))
    words.push('all');
  else if (lists.length > 0) words.push(lists.map((target) => target.resource).join(','));
  words.push(...objectWords(named));
  const first = reads[0] ?? steps.find(isRead);
  const selector = first?.query.get('labelSelector');
  if (selector) words.push('-l', selector);
  const fields = first?.query.get('fieldSelector');
  if (fields) words.push(`--field-selector=${fields}`);
  if (steps.some((step) => isRead(step) && step.query.get('watch') === 'true')) words.push('-w');
  return words;
}

/** `kubectl create deployment|service|configmap|job|… NAME` and the flags its object shows. */
function generatorWords(generator: string, steps: Step[]): string[] {
  const post = steps.find((step) => isWrite(step) && step.record.method === 'POST');
  const summary = post?.summary ?? {};
  const words = [summary.name ?? post?.target?.name ?? ''].filter((word) => word !== '');
  const images = summary.images ?? [];
  if (generator === 'deployment' || generator === 'job' || generator === 'cronjob')
    words.push(...images.map(([, image]) => `--image=${image}`));
  if (generator === 'deployment' && summary.replicas !== undefined && summary.replicas !== 1)
    words.push(`--replicas=${summary.replicas}`);
  if (generator === 'configmap')
    words.push(...(summary.literals ?? []).map(([key, value]) => `--from-literal=${key}=${value}`));
  if (generator === 'service')
    words.push(
      ...(summary.ports ?? []).map(
        (port) => `--tcp=${port.port ?? ''}:${port.targetPort ?? port.port ?? ''}`,
      ),
    );
  return words;
}

/** `apply|create|replace -f -  # deployment/api created, service/api unchanged`: what happened to each object. */
function fileWords(verb: string, steps: Step[]): { words: string[]; comment: string } {
  const results = new Map<string, string>();
  const objects = objectSteps(steps).filter((step) => step.target && !isStream(step));
  for (const step of objects) {
    const target = step.target as ResourceTarget;
    const name = target.name ?? step.summary.name;
    if (name === undefined) continue;
    const key = `${singularOf(target)}/${name}`;
    if (!step.record.mutating) {
      if (!results.has(key)) results.set(key, 'unchanged');
      continue;
    }
    if (!step.ok) results.set(key, 'failed');
    else if (step.record.method === 'POST') results.set(key, 'created');
    else if (step.record.method === 'DELETE') results.set(key, 'deleted');
    else results.set(key, verb === 'replace' ? 'replaced' : 'configured');
  }
  // A GET that found nothing and was not followed by a write (a failed validation) says nothing about the object.
  for (const step of objects)
    if (!step.record.mutating && step.record.status === 404) {
      const key = `${singularOf(step.target!)}/${step.target!.name ?? ''}`;
      if (results.get(key) === 'unchanged') results.delete(key);
    }
  const serverSide = steps.some((step) => step.summary.patchType === 'apply');
  const words = [...(serverSide ? ['--server-side'] : []), '-f', '-'];
  const comment = [...results].map(([key, result]) => `${key} ${result}`).join(', ');
  return { words, comment };
}

function execWords(steps: Step[]): string[] {
  const stream = steps.find(isStream);
  if (!stream) return objectWords(firstTypeObjects(steps));
  const stdin = stream.query.get('stdin') === 'true';
  const tty = stream.query.get('tty') === 'true';
  const flags = stdin && tty ? ['-it'] : stdin ? ['-i'] : tty ? ['-t'] : [];
  const pod = stream.target?.name ?? '';
  const command = stream.query.getAll('command');
  return [...flags, pod, ...(command.length > 0 ? ['--', ...command] : [])];
}

function logsWords(steps: Step[]): string[] {
  const log = steps.find((step) => step.target?.subresource === 'log');
  const first = objectSteps(steps).find((step) => step.target?.name !== undefined)?.target;
  const selector = steps.find(
    (step) => isRead(step) && step.target?.name === undefined && step.query.get('labelSelector'),
  );
  const words: string[] = [];
  if (selector && (!first || first.resource === 'pods'))
    words.push('-l', selector.query.get('labelSelector') as string);
  else if (first)
    words.push(first.resource === 'pods' ? (first.name as string) : `${singularOf(first)}/${first.name}`);
  const query = log?.query;
  if (query?.get('follow') === 'true') words.push('-f');
  if (query?.get('previous') === 'true') words.push('-p');
  if (query?.has('tailLines')) words.push(`--tail=${query.get('tailLines')}`);
  if (query?.get('timestamps') === 'true') words.push('--timestamps');
  if (query?.has('sinceSeconds')) words.push(`--since=${query.get('sinceSeconds')}s`);
  if (query?.has('limitBytes')) words.push(`--limit-bytes=${query.get('limitBytes')}`);
  return words;
}

function runWords(steps: Step[]): string[] {
  const post = steps.find((step) => isWrite(step) && step.record.method === 'POST');
  const summary = post?.summary ?? {};
  const words = [summary.name ?? ''].filter((word) => word !== '');
  const image = summary.images?.[0]?.[1];
  if (image) words.push(`--image=${image}`);
  if (summary.restartPolicy && summary.restartPolicy !== 'Always')
    words.push(`--restart=${summary.restartPolicy}`);
  const attach = steps.find((step) => step.target?.subresource === 'attach');
  if (attach) {
    const stdin = attach.query.get('stdin') === 'true';
    const tty = attach.query.get('tty') === 'true';
    words.push(stdin && tty ? '-it' : stdin ? '-i' : tty ? '-t' : '--attach');
  }
  if (steps.some((step) => step.record.method === 'DELETE' && step.target?.name === summary.name))
    words.push('--rm');
  if (summary.command) words.push('--command', '--', ...summary.command, ...(summary.args ?? []));
  else if (summary.args) words.push('--', ...summary.args);
  return words;
}

function exposeWords(steps: Step[]): string[] {
  const target = objectSteps(steps).find((step) => isRead(step) && step.target?.name !== undefined)?.target;
  const post = steps.find((step) => isWrite(step) && step.record.method === 'POST');
  const summary = post?.summary ?? {};
  const words = target ? [singularOf(target), target.name as string] : [];
  const port = summary.ports?.[0];
  if (port?.port !== undefined) words.push(`--port=${port.port}`);
  if (port?.targetPort !== undefined && port.targetPort !== port.port)
    words.push(`--target-port=${port.targetPort}`);
  if (summary.serviceType && summary.serviceType !== 'ClusterIP') words.push(`--type=${summary.serviceType}`);
  if (summary.name && target && summary.name !== target.name) words.push(`--name=${summary.name}`);
  return words;
}

function autoscaleWords(steps: Step[]): string[] {
  const post = steps.find((step) => isWrite(step) && step.record.method === 'POST');
  const summary = post?.summary ?? {};
  const words = objectWords(firstTypeObjects(steps).slice(0, 1));
  if (summary.minReplicas !== undefined) words.push(`--min=${summary.minReplicas}`);
  if (summary.maxReplicas !== undefined) words.push(`--max=${summary.maxReplicas}`);
  if (summary.cpuPercent !== undefined) words.push(`--cpu-percent=${summary.cpuPercent}`);
  return words;
}

/** What the objects written (not the ones read) are: scale, label, annotate, set, patch, delete. */
function writtenTargets(steps: Step[]): ResourceTarget[] {
  return steps
    .filter(isWrite)
    .map((step) => step.target as ResourceTarget)
    .filter(Boolean);
}

function verbWords(verb: string[], steps: Step[]): { words: string[]; comment?: string } {
  const [command, sub] = verb;
  const writes = steps.filter(isWrite);
  const written = writtenTargets(steps);
  const firstWrite = writes[0];
  switch (command) {
    case 'get':
      return { words: ['get', ...getWords(steps)] };
    case 'create':
      if (sub) return { words: ['create', sub, ...generatorWords(sub, steps)] };
      return fromFile('create', steps);
    case 'apply':
    case 'replace':
      return fromFile(command, steps);
    case 'delete': {
      const resource = written[0]?.resource;
      const selector = resource && written.length > 0 ? selectorWords(steps, resource) : undefined;
      if (selector && written[0]) return { words: ['delete', written[0].resource, ...selector] };
      return { words: ['delete', ...(written.length > 0 ? objectWords(written) : readWords(steps))] };
    }
    case 'scale': {
      const objects = written.length > 0 ? written : firstTypeObjects(steps);
      const replicas = firstWrite?.summary.replicas;
      return {
        words: [
          'scale',
          ...objectWords(objects),
          ...(replicas !== undefined ? [`--replicas=${replicas}`] : []),
        ],
      };
    }
    case 'label':
    case 'annotate': {
      const selector = written[0] ? selectorWords(steps, written[0].resource) : undefined;
      const pairs = labelWords(
        command === 'label' ? firstWrite?.summary.labels : firstWrite?.summary.annotations,
      );
      const what =
        selector && written[0]
          ? [written[0].resource, ...selector]
          : written.length > 0
            ? objectWords(written)
            : readWords(steps);
      return { words: [command, ...what, ...pairs] };
    }
    case 'set': {
      const objects = written.length > 0 ? written : firstTypeObjects(steps);
      const images =
        sub === 'image' ? (firstWrite?.summary.images ?? []).map(([name, image]) => `${name}=${image}`) : [];
      return { words: ['set', ...(sub ? [sub] : []), ...objectWords(objects), ...images] };
    }
    case 'rollout':
      return {
        words: ['rollout', ...(sub ? [sub] : []), ...objectWords(firstTypeObjects(steps).slice(0, 1))],
      };
    case 'patch': {
      const objects = written.length > 0 ? written : firstTypeObjects(steps);
      const summary = firstWrite?.summary;
      const type =
        summary?.patchType && summary.patchType !== 'strategic' ? [`--type=${summary.patchType}`] : [];
      const patch = summary?.patch !== undefined ? ['-p', summary.patch] : [];
      return { words: ['patch', ...objectWords(objects), ...type, ...patch] };
    }
    case 'exec':
      return { words: ['exec', ...execWords(steps)] };
    case 'attach':
      return { words: ['attach', ...execWords(steps).filter((word) => word !== '--')] };
    case 'logs':
      return { words: ['logs', ...logsWords(steps)] };
    case 'run':
      return { words: ['run', ...runWords(steps)] };
    case 'expose':
      return { words: ['expose', ...exposeWords(steps)] };
    case 'autoscale':
      return { words: ['autoscale', ...autoscaleWords(steps)] };
    case 'port-forward': {
      const target = firstTypeObjects(steps)[0];
      const stream = steps.find(isStream);
      const ports = stream?.query.getAll('ports').map((port) => `:${port}`) ?? [];
      return {
        words: ['port-forward', ...(target ? [`${singularOf(target)}/${target.name}`] : []), ...ports],
      };
    }
    default: {
      if (WITHOUT_TARGETS.has(command)) return { words: verb };
      return { words: [...verb, ...objectWords(written.length > 0 ? written : firstTypeObjects(steps))] };
    }
  }
}

function fromFile(verb: string, steps: Step[]): { words: string[]; comment: string } {
  const { words, comment } = fileWords(verb, steps);
  return { words: [verb, ...words], comment };
}

/**
 * Whether the invocation failed as kubectl would report it: a request answered with an error that kubectl does not
 * expect. Expected are: the 404 of an object `apply` then creates or `delete` waits to disappear, OpenAPI v2's 404,
 * an answer kubectl retried with success (429 and Retry-After), and a stream upgrade refused before a fallback worked.
 */
function failed(steps: Step[]): boolean {
  return steps.some((step, index) => {
    if (step.ok || step.record.status === 0) return false;
    const { record, target } = step;
    if (isDiscoveryPath(record.path)) return false;
    const later = steps.slice(index + 1);
    const earlier = steps.slice(0, index);
    if (
      later.some(
        (other) => other.ok && other.record.method === record.method && other.record.path === record.path,
      )
    )
      return false;
    if (isStream(step)) return !later.some((other) => isStream(other) && other.ok);
    if (record.method === 'GET' && record.status === 404 && target?.name !== undefined) {
      const collection = record.path.slice(0, record.path.lastIndexOf('/'));
      const created = later.some(
        (other) => other.record.method === 'POST' && other.record.path === collection,
      );
      const deleted = earlier.some(
        (other) => other.record.method === 'DELETE' && other.record.path === record.path,
      );
      if (created || deleted) return false;
    }
    return true;
  });
}

/** What the line wrote, as the terminal's effects record them (created/updated/deleted objects and its namespace). */
function effectsOf(steps: Step[], namespace: string | undefined): CommandEffects {
  const recorder = new EffectsRecorder();
  if (namespace !== undefined) recorder.ranIn(namespace);
  for (const step of steps) {
    const target = step.target;
    if (!step.record.mutating || !step.ok || !target) continue;
    const clusterScoped = target.info?.namespaced === false;
    const objectNamespace = clusterScoped ? undefined : (target.namespace ?? step.summary.namespace);
    if (step.record.method === 'POST' && target.name === undefined) {
      const name = step.summary.name;
      if (name) recorder.wrote(step.summary.kind ?? kindOf(target), objectNamespace, name, 'created');
    } else if (target.name !== undefined) {
      const change = step.record.method === 'DELETE' ? 'deleted' : 'updated';
      recorder.wrote(kindOf(target), objectNamespace, target.name, change);
    }
  }
  return recorder.effects();
}

/** The kubectl line (with its exit code and effects) of one invocation's requests, all carrying its Kubectl-Session. */
export function kubectlLine(records: readonly ApiRequestRecord[]): BuiltLine {
  const steps = stepsOf(records);
  const command = records.find((record) => record.kubectlCommand)?.kubectlCommand ?? 'kubectl';
  const verb = command.trim().split(/\s+/).slice(1);
  const namespace = namespaceOf(steps);
  const { words, comment } = verb.length === 0 ? { words: [], comment: undefined } : verbWords(verb, steps);
  // The namespace goes before `--`: what follows it is the command run in the container.
  const flag = WITHOUT_TARGETS.has(verb[0] ?? '') ? [] : namespaceFlag(namespace);
  const dashes = words.indexOf('--');
  const all =
    dashes < 0
      ? ['kubectl', ...words, ...flag]
      : ['kubectl', ...words.slice(0, dashes), ...flag, ...words.slice(dashes)];
  const line = all.map((word, index) => (index === 0 ? word : shellWord(word))).join(' ');
  return {
    line: comment ? `${line}  # ${comment}` : line,
    exitCode: failed(steps) ? 1 : 0,
    effects: effectsOf(steps, namespace),
  };
}

/** The product of a User-Agent (`curl/8.5.0`, `k9s/v0.32`); `unknown-client` when there is none. */
export function clientProduct(userAgent: string | undefined): string {
  const product = userAgent?.trim().split(/\s+/)[0];
  return product ? product.slice(0, 60) : 'unknown-client';
}

const MAX_CLIENT_ITEMS = 10;

/**
 * A client without Kubectl-* headers (client-node, k9s, curl): `<product> GET pods, POST configmaps -n shop`, its
 * requests in order (repeats counted, `×3`), discovery left out. The product keeps its version so the line never
 * reads as a shell command a lab checks for (`curl/8.5.0 GET pods` is not `curl …`).
 */
export function clientLine(records: readonly ApiRequestRecord[]): BuiltLine {
  const steps = stepsOf(records).filter((step) => !isDiscoveryPath(step.record.path));
  const items: { text: string; times: number }[] = [];
  for (const step of steps) {
    const target = step.target;
    const what = target
      ? [target.resource, target.name, target.subresource].filter((part) => part !== undefined).join('/')
      : step.record.path;
    const text = `${step.record.method} ${what}`;
    const last = items[items.length - 1];
    if (last?.text === text) last.times++;
    else items.push({ text, times: 1 });
  }
  const shown = items
    .slice(0, MAX_CLIENT_ITEMS)
    .map((item) => (item.times > 1 ? `${item.text} ×${item.times}` : item.text));
  if (items.length > MAX_CLIENT_ITEMS) shown.push('…');
  const namespace = namespaceOf(steps);
  const flag = namespaceFlag(namespace).join(' ');
  const product = clientProduct(records[0]?.userAgent);
  return {
    line: [product, shown.join(', '), flag].filter((part) => part !== '').join(' '),
    exitCode: steps.some((step) => !step.ok && step.record.status !== 0) ? 1 : 0,
    effects: effectsOf(steps, namespace),
  };
}
