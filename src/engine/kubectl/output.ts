import type { ResourceInfo } from '../api/resources';
import type { KubeObject } from '../api/types';
import { CommandError } from './context';
import { CustomColumn, parseCustomColumnsFile, parseCustomColumnsSpec } from './printers/custom-columns';
import { renderGoTemplate } from './printers/go-template';
import { renderJsonPath } from './printers/jsonpath';
import { asList, toGoJson } from './printers/json';
import { inStructOrder } from './printers/struct-order';
import { toGoYaml } from './printers/yaml';
import { kindWithGroup } from './resource-args';
import type { VirtualFiles } from './virtual-files';

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'name' }
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'jsonpath'; template: string }
  | { kind: 'go-template'; template: string }
  /** `-o custom-columns=SPEC` or `-o custom-columns-file=FILE`: read when printing, as kubectl does (after fetching). */
  | { kind: 'custom-columns'; spec: string; file: boolean };

const ALLOWED =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/** The formats of commands that print no tables (`create`, `run`, `expose`...). */
const ALLOWED_WITHOUT_TABLES =
  'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';

/** Parses `-o` for get-like commands; `humanAllowed` = table formats (`wide`, default) are allowed. */
export function parseOutputFormat(value: string, humanAllowed = true, templateFlag = ''): OutputFormat {
  if (value === '' && humanAllowed) return { kind: 'table', wide: false };
  if (value === 'wide' && humanAllowed) return { kind: 'table', wide: true };
  if (value === 'name') return { kind: 'name' };
  if (value === 'json') return { kind: 'json' };
  if (value === 'yaml') return { kind: 'yaml' };
  const templated = /^(jsonpath|go-template|template)(?:=(.*))?$/s.exec(value);
  if (templated) {
    const template = templated[2] ?? templateFlag;
    if (template === '') throw new CommandError('template format specified but no template given');
    return templated[1] === 'jsonpath' ? { kind: 'jsonpath', template } : { kind: 'go-template', template };
  }
  const columns = /^(custom-columns|custom-columns-file)(?:=(.*))?$/s.exec(value);
  if (columns && humanAllowed)
    return {
      kind: 'custom-columns',
      spec: columns[2] ?? templateFlag,
      file: columns[1] === 'custom-columns-file',
    };
  if (
    (humanAllowed || !value.startsWith('custom-columns')) &&
    /^(jsonpath-as-json|jsonpath-file|go-template-file|templatefile)(=|$)/.test(value)
  )
    throw new CommandError(
      `output format "${value.split('=')[0]}" is not available in this lab terminal; use -o jsonpath=..., -o go-template=..., -o name, -o json or -o yaml`,
    );
  throw new CommandError(
    `unable to match a printer suitable for the output format "${value}", allowed formats are: ${humanAllowed ? ALLOWED : ALLOWED_WITHOUT_TABLES}`,
  );
}

/**
 * Prints objects in a non-table format: one object alone when a single named object was asked for, else a List.
 * `typed`: the object is one kubectl decoded into its Go type (what `create` prints), so `-o json` keeps the struct's
 * field order.
 */
export function printObjects(
  objects: KubeObject[],
  format: OutputFormat,
  single: boolean,
  infoOf: (o: KubeObject) => ResourceInfo,
  typed = false,
): string {
  switch (format.kind) {
    case 'name':
      // kubectl's NamePrinter names an object without a name `<unknown>` (a SelfSubjectReview).
      return objects.map((o) => `${kindWithGroup(infoOf(o))}/${o.metadata?.name || '<unknown>'}\n`).join('');
    case 'json':
      if (typed && single && objects.length === 1) return toGoJson(objects[0], inStructOrder);
      return toGoJson(single && objects.length === 1 ? objects[0] : asList(objects));
    case 'yaml':
      return toGoYaml(single && objects.length === 1 ? objects[0] : asList(objects));
    case 'go-template':
      return renderGoTemplate(
        format.template,
        JSON.parse(JSON.stringify(single && objects.length === 1 ? objects[0] : asList(objects))),
      );
    case 'jsonpath':
      return renderJsonPath(
        format.template,
        JSON.parse(JSON.stringify(single && objects.length === 1 ? objects[0] : asList(objects))),
        typed ? 'float64' : 'int64',
      );
    default:
      throw new Error('table output is printed by the table printer');
  }
}

/** The columns of a custom-columns format; a file is read from the terminal's virtual files. */
export function customColumnsOf(
  format: { spec: string; file: boolean },
  files: VirtualFiles,
): CustomColumn[] {
  if (format.spec === '')
    throw new CommandError('custom-columns format specified but no custom columns given');
  if (!format.file) return parseCustomColumnsSpec(format.spec);
  const text = files.read(format.spec);
  if (text === undefined)
    throw new CommandError(
      `error reading template ${format.spec}, open ${format.spec}: no such file or directory\n`,
    );
  return parseCustomColumnsFile(text);
}

/** The name printer's success line: `deployment.apps/x created`. */
export function successLine(info: ResourceInfo, name: string | undefined, operation: string): string {
  // The name printer's placeholder for an object without a name (a created review).
  return `${kindWithGroup(info)}/${name || '<unknown>'} ${operation}\n`;
}
