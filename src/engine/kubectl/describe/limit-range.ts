/**
 * `describe limitrange` and the "Resource Limits" section of `describe namespace` (describe.go
 * describeLimitRange, DescribeLimitRanges and describeLimitRangeSpec of kubectl v1.30).
 */
import type { LimitRange } from '../../api/policy-types';
import { DescribeWriter } from './common';

const HEADER = 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n';
const RULE = '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n';

/**
 * One row per (item, resource), `-` where unset. kubectl walks a Go map here, so its row order across resources
 * is random; resources are listed sorted.
 */
function writeSpec(w: DescribeWriter, lr: LimitRange, prefix: string): void {
  for (const item of Array.isArray(lr.spec?.limits) ? lr.spec.limits : []) {
    const maps = [item.min, item.max, item.defaultRequest, item.default, item.maxLimitRequestRatio];
    const names = new Set(maps.flatMap((m) => Object.keys(m ?? {})));
    for (const name of [...names].sort()) {
      const cells = maps.map((m) => m?.[name] ?? '-');
      w.write(0, `${prefix}${item.type}\t${name}\t${cells.join('\t')}\n`);
    }
  }
}

export function describeLimitRange(lr: LimitRange): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${lr.metadata.name}\n`);
  w.write(0, `Namespace:\t${lr.metadata.namespace ?? ''}\n`);
  w.write(0, HEADER);
  w.write(0, RULE);
  writeSpec(w, lr, '');
  return w;
}

/** The namespace's LimitRanges merged into one table, each line indented by one space. */
export function writeLimitRanges(w: DescribeWriter, limitRanges: LimitRange[]): void {
  if (limitRanges.length === 0) {
    w.write(0, 'No LimitRange resource.\n');
    return;
  }
  w.write(0, `Resource Limits\n ${HEADER}`);
  w.write(0, ` ${RULE}`);
  for (const lr of limitRanges) writeSpec(w, lr, ' ');
}
