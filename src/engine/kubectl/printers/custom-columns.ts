import {
  findResults,
  goSprint,
  JsonPathExecutionError,
  JsonPathSyntaxError,
  ListNode,
  parseTemplate,
  relaxedJsonPath,
} from '../../jsonpath';
import { CommandError } from '../context';
import { GET_TABLE_OPTIONS, TabWriter } from './tabwriter';

/** One `HEADER:expression` of `-o custom-columns=...`; `template` is the relaxed form (`{.metadata.name}`). */
export interface CustomColumn {
  header: string;
  template: string;
}

const RELAXED_ERROR =
  "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'";

/** kubectl's NewCustomColumnsPrinterFromSpec: `NAME:.metadata.name,IMAGE:spec.containers[*].image`. */
export function parseCustomColumnsSpec(spec: string): CustomColumn[] {
  if (spec === '') throw new CommandError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0)
      throw new CommandError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), template: relaxed(part.slice(colon + 1)) };
  });
}

/**
 * kubectl's NewCustomColumnsPrinterFromTemplate (`-o custom-columns-file=FILE`): a line of headers and a line of
 * expressions, both split on white space.
 */
export function parseCustomColumnsFile(text: string): CustomColumn[] {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const hint =
    'Expected format is one line of space separated headers, one line of space separated column specs.';
  if (text === '') throw new CommandError(`invalid template, missing header line. ${hint}`);
  if (lines.length < 2 || (lines.length === 2 && lines[1] === ''))
    throw new CommandError(`invalid template, missing spec line. ${hint}`);
  const words = (line: string) => line.split(/\s+/).filter((w) => w !== '');
  const headers = words(lines[0]);
  const specs = words(lines[1]);
  if (headers.length !== specs.length)
    throw new CommandError(
      `number of headers (${headers.length}) and field specifications (${specs.length}) don't match`,
    );
  return headers.map((header, i) => ({ header, template: relaxed(specs[i]) }));
}

function relaxed(expression: string): string {
  const template = relaxedJsonPath(expression);
  if (template === undefined) throw new CommandError(RELAXED_ERROR);
  return template;
}

/**
 * Prints objects as kubectl's CustomColumnsPrinter does for `get` (unstructured objects, so whole numbers are
 * int64): the header (unless `noHeaders`), then one row per object, each cell the column's values joined by
 * commas or `<none>`. Like kubectl the header is written before the columns' templates are parsed, so a bad
 * template prints the header and then fails; `error` carries that failure after the text printed so far.
 */
export function printCustomColumns(
  columns: CustomColumn[],
  objects: unknown[],
  noHeaders: boolean,
  writer: TabWriter = new TabWriter(GET_TABLE_OPTIONS),
): { text: string; error?: CommandError } {
  if (!noHeaders) writer.write(columns.map((c) => c.header).join('\t') + '\n');
  try {
    const parsed = columns.map((c) => parseColumn(c.template));
    for (const obj of objects) writer.write(parsed.map((root) => cell(root, obj)).join('\t') + '\n');
  } catch (error) {
    if (error instanceof JsonPathSyntaxError || error instanceof JsonPathExecutionError)
      return { text: writer.flush(), error: new CommandError(error.message) };
    throw error;
  }
  return { text: writer.flush() };
}

function parseColumn(template: string): ListNode {
  return parseTemplate(template);
}

function cell(root: ListNode, obj: unknown): string {
  const results = findResults(root, obj, { numbers: 'int64' });
  const values: string[] = [];
  if (results.length === 0 || results[0].length === 0) values.push('<none>');
  for (const list of results) for (const value of list) values.push(escapeTerminal(goSprint(value, 'int64')));
  return values.join(',');
}

/** cli-runtime's printers.EscapeTerminal: terminal control characters are shown, not sent. */
function escapeTerminal(text: string): string {
  return text.replace(/[\x1b\r]/g, (c) => (c === '\x1b' ? '^[' : '\\r'));
}
