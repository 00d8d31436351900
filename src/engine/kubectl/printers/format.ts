import type { LabelSelector } from '../../api/types';

/** labels.FormatLabels: sorted `k=v` joined by `,`; no labels → `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${(labels as Record<string, string>)[k]}`).join(',');
}

/** metav1.FormatLabelSelector: matchLabels as `k=v`, then expressions; empty → `<none>`. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  if (!selector) return '<none>';
  const parts: string[] = [];
  for (const key of Object.keys(selector.matchLabels ?? {}).sort())
    parts.push(`${key}=${selector.matchLabels?.[key]}`);
  for (const expr of selector.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort().join(',');
    if (expr.operator === 'In') parts.push(`${expr.key} in (${values})`);
    else if (expr.operator === 'NotIn') parts.push(`${expr.key} notin (${values})`);
    else if (expr.operator === 'Exists') parts.push(expr.key);
    else parts.push(`!${expr.key}`);
  }
  return parts.length === 0 ? '<none>' : parts.join(',');
}

/** A table cell: cut at the first line break with `...` appended, control characters escaped (WriteEscaped). */
export function tableCell(value: string): string {
  const cut = value.search(/[\n\r\f]/);
  const text = cut >= 0 ? value.slice(0, cut) + '...' : value;
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === '\t' ? '^I' : `^${String.fromCharCode(c.charCodeAt(0) + 64)}`,
  );
}

/** RFC 1123Z as `describe` prints times, e.g. `Mon, 03 Jun 2024 10:15:02 +0000` (the cluster runs in UTC). */
export function rfc1123z(timestamp: string | undefined): string {
  if (!timestamp) return '<unknown>';
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return '<unknown>';
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
