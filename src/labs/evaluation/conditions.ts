/**
 * Conditions on one selected object. Each answers whether it holds and, in words, what the object actually
 * looks like, so a failing verdict can say "phase is Pending" rather than just "no". Conditions arrive with
 * their {{vars}} already filled (fill-condition.ts).
 */
import { evaluateJsonPath, JsonPath, JsonPathError, parseJsonPath, selectsMany } from '../../engine/jsonpath';
import { Condition, FieldCondition, LengthCondition, Localized } from '../format/types';
import { EvaluationContext, KubeObjectJson } from './context';
import {
  containersOf,
  containerStates,
  normalizeImage,
  podIsReady,
  readyCounts,
  record,
  records,
  text,
} from './kube';
import { localized, show } from './phrases';
import { rolloutProgress } from './rollout';
import { formatLabelSelector } from '../../engine/server/selectors';
import { VarResolver } from './vars';
import { safeRegex } from './regex-runner';

export interface ConditionResult {
  ok: boolean;
  /** What the object shows for this condition (used when it does not hold). */
  actual: Localized;
}

export interface ConditionEnv {
  context: EvaluationContext;
  vars: VarResolver;
}

export async function evaluateCondition(
  condition: Condition,
  object: KubeObjectJson,
  env: ConditionEnv,
): Promise<ConditionResult> {
  switch (condition.type) {
    case 'phase': {
      const phase = text(record(object.status).phase) ?? 'unknown';
      return { ok: phase === condition.phase, actual: localized(`phase is ${phase}`, `阶段为 ${phase}`) };
    }
    case 'ready': {
      const ready = podIsReady(object);
      const { ready: readyCount, total } = readyCounts(object);
      const counts = `${readyCount}/${total}`;
      return {
        ok: ready === condition.ready,
        actual: ready
          ? localized(`ready (${counts} containers)`, `已就绪（${counts} 个容器就绪）`)
          : localized(`not ready (${counts} containers)`, `未就绪（${counts} 个容器就绪）`),
      };
    }
    case 'waitingReason': {
      const states = containerStates(object);
      const ok = states.some(
        (state) => state.state === 'waiting' && condition.reasons.includes(state.reason ?? ''),
      );
      const shown = states.map((state) => (state.reason ? `${state.state} (${state.reason})` : state.state));
      const summary = shown.length > 0 ? shown.join(', ') : 'none yet';
      return {
        ok,
        actual: localized(
          `container states: ${summary}`,
          `容器状态：${summary === 'none yet' ? '暂无' : summary}`,
        ),
      };
    }
    case 'image':
      return evaluateImage(condition, object);
    case 'serviceType': {
      const type = text(record(object.spec).type) ?? 'ClusterIP';
      return { ok: type === condition.serviceType, actual: localized(`type is ${type}`, `类型为 ${type}`) };
    }
    case 'port':
      return evaluatePort(condition, object);
    case 'rolloutComplete': {
      const progress = await rolloutProgress(object, env.context);
      return { ok: progress.complete === condition.complete, actual: progress.state };
    }
    case 'selectsPods':
      return evaluateSelectsPods(condition.selects, object, env.context);
    case 'field':
      return evaluateField(condition, object);
    case 'length':
      return evaluateLength(condition, object);
  }
}

async function evaluateImage(
  condition: Extract<Condition, { type: 'image' }>,
  object: KubeObjectJson,
): Promise<ConditionResult> {
  const containers = containersOf(object).filter(
    (container) => condition.container === undefined || container.name === condition.container,
  );
  if (containers.length === 0) {
    const what = condition.container ?? '';
    return { ok: false, actual: localized(`has no container ${what}`.trim(), `没有容器 ${what}`.trim()) };
  }
  const images = containers.map((container) => text(container.image) ?? '');
  const wanted = normalizeImage(condition.image);
  const ok = images.some((image) => normalizeImage(image) === wanted);
  return { ok, actual: localized(`image is ${images.join(', ')}`, `镜像为 ${images.join('、')}`) };
}

function evaluatePort(
  condition: Extract<Condition, { type: 'port' }>,
  object: KubeObjectJson,
): ConditionResult {
  const ports = records(record(object.spec).ports);
  const ok = ports.some(
    (port) =>
      port.port === condition.port &&
      (condition.targetPort === undefined || Number(port.targetPort ?? port.port) === condition.targetPort) &&
      (condition.nodePort === undefined || port.nodePort === condition.nodePort) &&
      (condition.protocol === undefined || (port.protocol ?? 'TCP') === condition.protocol),
  );
  const shown = ports.map((port) => {
    const nodePort = port.nodePort !== undefined ? `:${String(port.nodePort)}` : '';
    const target = port.targetPort !== undefined ? ` -> ${String(port.targetPort)}` : '';
    return `${String(port.port)}${nodePort}/${String(port.protocol ?? 'TCP')}${target}`;
  });
  const summary = shown.length > 0 ? shown.join(', ') : 'none';
  return { ok, actual: localized(`ports are ${summary}`, `端口为 ${summary === 'none' ? '无' : summary}`) };
}

async function evaluateSelectsPods(
  selects: boolean,
  service: KubeObjectJson,
  context: EvaluationContext,
): Promise<ConditionResult> {
  const selector = record(record(service.spec).selector) as Record<string, string>;
  if (Object.keys(selector).length === 0) {
    return { ok: false, actual: localized('has no selector', '没有选择器') };
  }
  const labelSelector = formatLabelSelector({ matchLabels: selector });
  const pods = await context.readObjects({
    kind: 'Pod',
    namespace: service.metadata.namespace,
    labelSelector,
  });
  return {
    ok: pods.length > 0 === selects,
    actual: localized(
      `selector ${labelSelector} matches ${pods.length} pod${pods.length === 1 ? '' : 's'}`,
      `选择器 ${labelSelector} 匹配 ${pods.length} 个 Pod`,
    ),
  };
}

/**
 * Paths are parsed once each: after {{vars}} are filled a path is only known while grading, and one lab's
 * checks use a few dozen at most. A filled value can make a path invalid (a quote in a filter): that is
 * the check's failure, not a crash.
 */
const parsedPaths = new Map<string, JsonPath | JsonPathError>();
const PARSED_PATHS_LIMIT = 10_000;

function pathOf(source: string): JsonPath | ConditionResult {
  let parsed = parsedPaths.get(source);
  if (!parsed) {
    try {
      parsed = parseJsonPath(source);
    } catch (error) {
      if (!(error instanceof JsonPathError)) throw error;
      parsed = error;
    }
    if (parsedPaths.size >= PARSED_PATHS_LIMIT) parsedPaths.clear();
    parsedPaths.set(source, parsed);
  }
  if (parsed instanceof JsonPathError) {
    return {
      ok: false,
      actual: localized(`cannot read it: ${parsed.message}`, `无法读取：${parsed.message}`),
    };
  }
  return parsed;
}

function evaluateLength(condition: LengthCondition, object: KubeObjectJson): ConditionResult {
  const path = pathOf(condition.path);
  if ('ok' in path) return path;
  const values = evaluateJsonPath(path, object);
  const size = selectsMany(path) ? values.length : measure(values[0]);
  if (size === undefined) {
    const what = show(values[0]);
    return {
      ok: false,
      actual: localized(
        `${condition.path} is ${what}, which has no length`,
        `${condition.path} 为 ${what}，没有长度`,
      ),
    };
  }
  const ok =
    condition.op === 'equals'
      ? size === condition.expected
      : condition.op === 'atLeast'
        ? size >= condition.expected
        : size <= condition.expected;
  return {
    ok,
    actual: localized(`${condition.path} has length ${size}`, `${condition.path} 的长度为 ${size}`),
  };
}

/** List items, map keys, string characters; an unset value has length 0; numbers and booleans have none. */
function measure(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'string') return [...value].length;
  if (typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

async function evaluateField(condition: FieldCondition, object: KubeObjectJson) {
  const path = pathOf(condition.path);
  if ('ok' in path) return path;
  const values = evaluateJsonPath(path, object);
  const present = values.filter((value) => value !== undefined && value !== null);
  const actual =
    present.length === 0
      ? localized(`${condition.path} is not set`, `${condition.path} 未设置`)
      : localized(
          `${condition.path} is ${present.map(show).join(', ')}`,
          `${condition.path} 为 ${present.map(show).join('、')}`,
        );
  switch (condition.op) {
    case 'exists':
      return { ok: present.length > 0 === condition.expected, actual };
    case 'atLeast':
    case 'atMost': {
      const { op, expected } = condition;
      const inRange = (value: number) => (op === 'atLeast' ? value >= expected : value <= expected);
      return {
        ok: present.length > 0 && present.every((value) => typeof value === 'number' && inRange(value)),
        actual,
      };
    }
    case 'matches': {
      const regex = safeRegex(condition.expected);
      regex.prime(present.map(scalarText));
      return { ok: present.length > 0 && present.every((value) => regex.test(scalarText(value))), actual };
    }
    case 'equals': {
      if (typeof condition.expected !== 'string') {
        return { ok: values.length > 0 && values.every((value) => value === condition.expected), actual };
      }
      const expected = condition.expected;
      return {
        ok: present.length > 0 && present.every((value) => scalarText(value) === expected),
        actual,
      };
    }
  }
}

/** Strings are compared with scalars by their text, so `equals: "{{nodePort}}"` matches the number 31000. */
function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
