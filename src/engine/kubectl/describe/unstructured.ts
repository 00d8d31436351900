/**
 * kubectl's generic describer (describe.go genericDescriber), used for kinds without a describer of their own
 * (Leases, ControllerRevisions): name, namespace, labels, annotations, then every other field of the object, sorted,
 * under "smart labels" (`holderIdentity` → `Holder Identity`, `apiVersion` → `API Version`), then the events.
 */
import type { KubeEvent, KubeObject } from '../../api/types';
import { DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './common';

const SKIPPED = ['.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations'];
const ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];

/** fatih/camelcase Split: runs of lower case, upper case (an upper-case run keeps its last letter for the next
 *  word), digits and other characters. */
function camelSplit(text: string): string[] {
  const kindOf = (c: string) => (/\p{Ll}/u.test(c) ? 1 : /\p{Lu}/u.test(c) ? 2 : /\p{Nd}/u.test(c) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const c of text) {
    const kind = kindOf(c);
    if (kind === last) runs[runs.length - 1].push(c);
    else runs.push([c]);
    last = kind;
  }
  for (let i = 0; i < runs.length - 1; i++)
    if (kindOf(runs[i][0]) === 2 && kindOf(runs[i + 1][0]) === 1) {
      runs[i + 1].unshift(runs[i].pop()!);
      if (runs[i].length === 0) runs.splice(i--, 1);
    }
  return runs.map((r) => r.join('')).filter((r) => r !== '');
}

/** smartLabelFor: fields with characters other than letters and '-' stay as they are. */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelSplit(field)
    .filter((part) => part !== '_')
    .map((part) =>
      ACRONYMS.includes(part.toUpperCase())
        ? part.toUpperCase()
        : part.charAt(0).toUpperCase() + part.slice(1),
    )
    .join(' ');
}

/** Go's %v of a decoded JSON scalar: whole numbers decode as int64, others as float64 (shortest, exponent form
 *  outside [1e-4, 1e21)). */
function goValue(value: unknown): string {
  if (value === null) return '<nil>';
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return String(value);
  const exponent = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 21) {
    const [mantissa, exp] = value.toExponential().split('e');
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return String(value);
}

function printContent(
  w: DescribeWriter,
  level: number,
  content: Record<string, unknown>,
  prefix: string,
): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (SKIPPED.includes(path) || value === undefined) continue;
    if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value)
        if (child !== null && typeof child === 'object' && !Array.isArray(child))
          printContent(w, level + 1, child as Record<string, unknown>, path);
        else w.write(level + 1, `${goValue(child)}\n`);
    } else if (value !== null && typeof value === 'object') {
      w.write(level, `${smartLabel(field)}:\n`);
      printContent(w, level + 1, value as Record<string, unknown>, path);
    } else w.write(level, `${smartLabel(field)}:\t${goValue(value)}\n`);
  }
}

export function describeUnstructured(
  obj: KubeObject,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  w.write(0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', obj.metadata.labels);
  writeAnnotations(w, 'Annotations', obj.metadata.annotations);
  printContent(w, 0, obj as unknown as Record<string, unknown>, '');
  if (events) writeEvents(w, events, now);
  return w;
}
