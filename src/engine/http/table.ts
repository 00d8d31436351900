/**
 * `as=Table` answers (meta.k8s.io/v1 Table), built from the same column definitions the terminal's kubectl prints
 * with: non-wide columns have priority 0, `-o wide` ones priority 1. Cells are the rendered strings.
 */
import type { ResourceInfo } from '../api/resources';
import type { KubeObject } from '../api/types';
import { defaultTableColumns } from '../kubectl/printers/policy-columns';
import { inTableOrder, tableColumns, type Column } from '../kubectl/printers/columns';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: { cells: (string | number)[]; object?: unknown }[];
}

/** includeObject: None, Metadata (the default: PartialObjectMetadata) or Object. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

function columnsOf(info: ResourceInfo): readonly Column<KubeObject>[] {
  return tableColumns(info.resource) ?? defaultTableColumns;
}

export function columnDefinitions(info: ResourceInfo): TableColumnDefinition[] {
  return columnsOf(info).map((column) => ({
    name: column.header,
    type: 'string',
    format: column.header === 'NAME' ? 'name' : '',
    description: '',
    priority: column.wide ? 1 : 0,
  }));
}

function rowObject(info: ResourceInfo, obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(
  info: ResourceInfo,
  objects: KubeObject[],
  now: number,
  options: { resourceVersion?: string; continue?: string; include: IncludeObject; headers?: boolean },
): Table {
  const columns = columnsOf(info);
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.headers === false ? [] : columnDefinitions(info),
    rows: inTableOrder(info.resource, objects).map((obj) => {
      const row: Table['rows'][number] = { cells: columns.map((c) => c.cell(obj, now)) };
      const object = rowObject(info, obj, options.include);
      if (object !== undefined) row.object = object;
      return row;
    }),
  };
}

/** Whether the Accept header asks for a Table (kubectl: `application/json;as=Table;v=v1;g=meta.k8s.io,...`). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept
    .split(',')
    .some(
      (part) =>
        /;\s*as=Table/.test(part) && /;\s*g=meta\.k8s\.io/.test(part) && /;\s*v=v1(beta1)?\b/.test(part),
    );
}
