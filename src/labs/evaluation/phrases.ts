/** The words of verdicts: how selections, counts and conditions read in every language. */
import { Condition, CountRule, Localized } from '../format/types';
import { ObjectQuery } from './context';

export function localized(en: string, zh: string): Localized {
  return { en, 'zh-CN': zh };
}

/** `Pods with labels app=x in namespace default`, `Deployment yanwei.app in namespace default`. */
export function describeSelection(query: ObjectQuery): Localized {
  const plural = pluralKind(query.kind);
  let en = query.name ? `${query.kind} ${query.name}` : plural;
  if (query.labelSelector) en += ` with labels ${query.labelSelector}`;
  if (query.namespace) en += ` in namespace ${query.namespace}`;

  const where = query.namespace ? `命名空间 ${query.namespace} 中` : '';
  const qualifiers = [
    query.labelSelector ? `标签为 ${query.labelSelector}` : '',
    query.name ? `名为 ${query.name}` : '',
  ].filter(Boolean);
  const zh =
    qualifiers.length > 0
      ? `${where}${qualifiers.join('、')} 的 ${query.kind}`
      : where
        ? `${where}的 ${query.kind}`
        : query.kind;
  return localized(en, zh);
}

/** English plural of a kind: Pods, Ingresses, NetworkPolicies, Endpoints. */
export function pluralKind(kind: string): string {
  if (kind.endsWith('ss')) return `${kind}es`;
  if (kind.endsWith('s')) return kind;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

export function describeCount(rule: CountRule): Localized {
  if (rule === 'all') return localized('all of them', '全部');
  if ('equals' in rule) return localized(`exactly ${rule.equals}`, `恰好 ${rule.equals} 个`);
  return localized(`at least ${rule.atLeast}`, `至少 ${rule.atLeast} 个`);
}

export function describeConditions(conditions: Condition[]): Localized {
  const parts = conditions.map(describeCondition);
  // Chinese text keeps a space before Latin text (`且 .status.readyReplicas`), none before Chinese.
  const zh = parts
    .map((part) => part['zh-CN'])
    .reduce((joined, part) => `${joined}，且${/^[\x00-\x7f]/.test(part) ? ' ' : ''}${part}`);
  return localized(parts.map((part) => part.en).join(' and '), zh);
}

export function describeCondition(condition: Condition): Localized {
  switch (condition.type) {
    case 'phase':
      return localized(`phase ${condition.phase}`, `阶段为 ${condition.phase}`);
    case 'ready':
      return condition.ready ? localized('ready', '已就绪') : localized('not ready', '未就绪');
    case 'waitingReason': {
      const reasons = condition.reasons.join(' or ');
      return localized(`a container waiting with reason ${reasons}`, `有容器处于等待状态，原因为 ${reasons}`);
    }
    case 'image': {
      const container = condition.container ? ` in container ${condition.container}` : '';
      const zhContainer = condition.container ? `容器 ${condition.container} 的` : '';
      return localized(`image ${condition.image}${container}`, `${zhContainer}镜像为 ${condition.image}`);
    }
    case 'serviceType':
      return localized(`type ${condition.serviceType}`, `类型为 ${condition.serviceType}`);
    case 'port': {
      const extras = [
        condition.targetPort !== undefined ? `targetPort ${condition.targetPort}` : '',
        condition.nodePort !== undefined ? `nodePort ${condition.nodePort}` : '',
        condition.protocol ?? '',
      ].filter(Boolean);
      const suffix = extras.length > 0 ? ` (${extras.join(', ')})` : '';
      return localized(`port ${condition.port}${suffix}`, `端口 ${condition.port}${suffix}`);
    }
    case 'rolloutComplete':
      return condition.complete
        ? localized('its rollout complete', '滚动更新已完成')
        : localized('its rollout unfinished', '滚动更新尚未完成');
    case 'selectsPods':
      return condition.selects
        ? localized('a selector that matches at least one pod', '选择器至少匹配一个 Pod')
        : localized('a selector that matches no pod', '选择器匹配不到任何 Pod');
    case 'length': {
      const { path, expected } = condition;
      if (condition.op === 'equals')
        return localized(`${path} of length ${expected}`, `${path} 的长度为 ${expected}`);
      if (condition.op === 'atLeast') {
        return localized(`${path} of length at least ${expected}`, `${path} 的长度至少为 ${expected}`);
      }
      return localized(`${path} of length at most ${expected}`, `${path} 的长度至多为 ${expected}`);
    }
    case 'field':
      switch (condition.op) {
        case 'equals':
          return localized(
            `${condition.path} equal to ${show(condition.expected)}`,
            `${condition.path} 等于 ${show(condition.expected)}`,
          );
        case 'matches':
          return localized(
            `${condition.path} matching /${condition.expected}/`,
            `${condition.path} 匹配 /${condition.expected}/`,
          );
        case 'atLeast':
          return localized(
            `${condition.path} at least ${condition.expected}`,
            `${condition.path} 至少为 ${condition.expected}`,
          );
        case 'atMost':
          return localized(
            `${condition.path} at most ${condition.expected}`,
            `${condition.path} 至多为 ${condition.expected}`,
          );
        case 'exists':
          return condition.expected
            ? localized(`${condition.path} set`, `${condition.path} 已设置`)
            : localized(`${condition.path} unset`, `${condition.path} 未设置`);
      }
  }
}

/** A JSON value as it appears in a message: strings bare, everything else as JSON, long values cut. */
export function show(value: unknown): string {
  const rendered = typeof value === 'string' ? value : JSON.stringify(value);
  return rendered.length > 80 ? `${rendered.slice(0, 77)}...` : rendered;
}

/** `a, b, c and 2 more` / `a、b、c 等 5 个`. */
export function listNames(names: string[], limit = 5): Localized {
  const shown = names.slice(0, limit);
  const more = names.length - shown.length;
  return localized(
    shown.join(', ') + (more > 0 ? ` and ${more} more` : ''),
    shown.join('、') + (more > 0 ? ` 等 ${names.length} 个` : ''),
  );
}
