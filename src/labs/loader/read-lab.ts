/**
 * Turns the parsed YAML of one lab.yaml into a validated Lab, reporting every problem through the cursor's
 * session. Top-level keys: id, title, description, estimatedMinutes, vars, steps, diagnostics, starterFiles
 * (labs/README.md).
 */
import { HomeDirectory } from '../../engine';
import { placeholdersIn } from '../format/template';
import { parseSolutionLine } from '../format/solution';
import { Diagnostic, Lab, Step, VarDefinition } from '../format/types';
import { readCheck, readSelector } from './read-check';
import { allDefined, checkPlaceholders, CheckScope, readJsonPath } from './read-values';
import { readProse } from './prose';
import { readClusterShape, readFilesFolder } from './read-cluster';
import { Cursor, isMapping } from './reader';

const ID = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const VAR_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Hints may show which objects made their condition true. */
export const MATCHED_PLACEHOLDER = 'matched';

export function readLab(root: Cursor, labDir: string, file: string): Lab | undefined {
  const required = ['id', 'title', 'description', 'estimatedMinutes', 'steps'];
  if (!root.mapping([...required, 'position', 'vars', 'diagnostics', 'starterFiles', 'cluster'], required))
    return undefined;
  const id = readId(root.child('id'));
  const title = root.child('title').localized();
  const description = readProse(root.child('description'), labDir);
  const estimatedMinutes = root.child('estimatedMinutes').integer(1);
  const position = root.child('position').integer(1, { optional: true });
  const vars = readVars(root.child('vars'));
  const fixedValues = new Map(
    Object.entries(vars ?? {}).flatMap(([name, definition]) =>
      'value' in definition ? [[name, definition.value]] : [],
    ),
  );
  const scope: CheckScope = { varNames: new Set(Object.keys(vars ?? {})), fixedValues };

  const steps = root
    .child('steps')
    .list(1)
    .map((item, index) => readStep(item, index, scope, labDir, vars ?? {}));
  reportDuplicates(root.child('steps'), 'step');
  // From the raw items: a step with other problems still exists for the diagnostics that name it.
  const rawSteps = Array.isArray(root.child('steps').value) ? (root.child('steps').value as unknown[]) : [];
  const stepIds = new Set(rawSteps.map((step) => (isMapping(step) ? step.id : undefined)).filter(isString));

  const diagnostics = root
    .child('diagnostics')
    .list(0, { optional: true })
    .map((item, index) => readDiagnostic(item, index, scope, stepIds));
  reportDuplicates(root.child('diagnostics'), 'diagnostic');

  const starterFiles = readStarterFiles(root.child('starterFiles'), readFilesFolder(labDir));
  const cluster = readClusterShape(root.child('cluster'), labDir);

  if (!id || !title || !description || !estimatedMinutes || !vars || starterFiles === null) return undefined;
  if (!allDefined(steps) || !allDefined(diagnostics) || cluster === null) return undefined;
  const lab: Lab = { id, file, title, description, estimatedMinutes, vars, steps, diagnostics };
  return {
    ...lab,
    ...(position !== undefined ? { position } : {}),
    ...(starterFiles ? { starterFiles } : {}),
    ...(cluster ? { cluster } : {}),
  };
}

/**
 * `starterFiles`: paths under the student's home (relative, no `..`) to the text each file starts
 * with; a new lab session's home holds them. Null when one is invalid or together they break the
 * home's limits (both reported); undefined when the lab lists none.
 */
function readStarterFiles(
  cursor: Cursor,
  folderFiles: Record<string, string>,
): Record<string, string> | undefined | null {
  if (cursor.value === undefined && Object.keys(folderFiles).length === 0) return undefined;
  const listed = cursor.value ?? {};
  if (!isMapping(listed)) return cursor.report('must map file paths to their text') ?? null;
  const files: Record<string, string> = { ...folderFiles };
  let valid = true;
  for (const path of Object.keys(listed)) {
    if (path in folderFiles) {
      cursor.child(path).report(`"${path}" is also in the lab's files/ folder; keep one`);
      valid = false;
    }
  }
  for (const path of Object.keys(listed)) {
    const text = cursor.child(path).string();
    if (
      path.startsWith('/') ||
      path.split('/').some((part) => part === '..' || part === '') ||
      path.includes('\0')
    ) {
      cursor
        .child(path)
        .report(`"${path}" must be a path inside the home: relative, without ".." or empty parts`);
      valid = false;
    } else if (text === undefined) valid = false;
    else files[path] = text;
  }
  if (!valid) return null;
  try {
    new HomeDirectory(() => 0, files);
  } catch (error) {
    cursor.report(error instanceof Error ? error.message : String(error));
    return null;
  }
  return files;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function readId(cursor: Cursor): string | undefined {
  const id = cursor.string();
  if (id !== undefined && !ID.test(id)) {
    return cursor.report(`"${id}" is not a valid id (lower-case letters, digits and "-")`);
  }
  return id;
}

function readStep(
  item: Cursor,
  index: number,
  scope: CheckScope,
  labDir: string,
  vars: Record<string, VarDefinition>,
): Step | undefined {
  const rawId = item.child('id').value;
  const cursor = item.scoped(typeof rawId === 'string' ? `step "${rawId}"` : `steps[${index}]`);
  const keys = ['id', 'title', 'instructions', 'points', 'hints', 'checks', 'solution'];
  if (
    !cursor.mapping(
      keys,
      keys.filter((key) => key !== 'hints'),
    )
  )
    return undefined;
  const id = readId(cursor.child('id'));
  const title = cursor.child('title').localized();
  const instructions = readProse(cursor.child('instructions'), labDir);
  const points = cursor.child('points').integer(1);
  const hints = cursor
    .child('hints')
    .list(0, { optional: true })
    .map((hint) => readHint(hint, scope));
  const checks = cursor
    .child('checks')
    .list(1)
    .map((check) => readCheck(check, scope));
  const solution = cursor
    .child('solution')
    .list(1)
    .map((line) => readSolutionLine(line, scope));
  if (!id || !title || !instructions || !points) return undefined;
  if (!allDefined(hints) || !allDefined(checks) || !allDefined(solution)) return undefined;
  return { id, title, instructions, points, hints, checks, solution, vars };
}

function readSolutionLine(cursor: Cursor, scope: CheckScope): string | undefined {
  const line = cursor.string();
  if (line === undefined) return undefined;
  const parsed = parseSolutionLine(line);
  if (parsed.kind === 'error') return cursor.report(parsed.message);
  checkPlaceholders(cursor, line, scope);
  return line;
}

function readHint(cursor: Cursor, scope: CheckScope, extraNames: string[] = []) {
  const hint = cursor.localized();
  if (!hint) return undefined;
  const names = new Set([...scope.varNames, ...extraNames]);
  for (const [language, text] of Object.entries(hint)) {
    checkPlaceholders(cursor.child(language), text, { ...scope, varNames: names });
  }
  return hint;
}

function readDiagnostic(
  item: Cursor,
  index: number,
  scope: CheckScope,
  stepIds: Set<string>,
): Diagnostic | undefined {
  const rawId = item.child('id').value;
  const cursor = item.scoped(typeof rawId === 'string' ? `diagnostic "${rawId}"` : `diagnostics[${index}]`);
  if (!cursor.mapping(['id', 'when', 'hint', 'steps'], ['id', 'when', 'hint'])) return undefined;
  const id = readId(cursor.child('id'));
  const when = readCheck(cursor.child('when'), scope);
  const hint = readHint(cursor.child('hint'), scope, [MATCHED_PLACEHOLDER]);
  const steps = cursor
    .child('steps')
    .list(1, { optional: true })
    .map((stepCursor) => {
      const stepId = stepCursor.string();
      if (stepId !== undefined && !stepIds.has(stepId))
        return stepCursor.report(`no step with id "${stepId}"`);
      return stepId;
    });
  if (!id || !when || !hint || !allDefined(steps)) return undefined;
  return { id, when, hint, steps };
}

function readVars(cursor: Cursor): Record<string, VarDefinition> | undefined {
  if (cursor.value === undefined) return {};
  if (!isMapping(cursor.value)) return cursor.report('expected a mapping of variable names to values');
  const names = Object.keys(cursor.value);
  const scope: CheckScope = { varNames: new Set(names) };
  const vars: Record<string, VarDefinition> = {};
  let ok = true;
  for (const name of names) {
    const varCursor = cursor.child(name);
    if (!VAR_NAME.test(name) || name === MATCHED_PLACEHOLDER) {
      varCursor.report(`"${name}" is not a valid variable name (a letter, then letters, digits or _)`);
      ok = false;
      continue;
    }
    const definition = readVar(varCursor, scope);
    if (definition) vars[name] = definition;
    else ok = false;
  }
  reportVarCycles(cursor, vars);
  return ok ? vars : undefined;
}

function readVar(cursor: Cursor, scope: CheckScope): VarDefinition | undefined {
  if (typeof cursor.value !== 'object' || cursor.value === null) {
    const value = cursor.scalarText();
    if (value !== undefined && placeholdersIn(value).length > 0) {
      return cursor.report('a fixed value cannot contain {{placeholders}}');
    }
    return value === undefined ? undefined : { value };
  }
  if (!cursor.mapping(['select', 'field'], ['select', 'field'])) return undefined;
  const select = readSelector(cursor.child('select'), scope);
  const field = readJsonPath(cursor.child('field'), scope);
  return select && field ? { select, field } : undefined;
}

/** A captured var may use other vars in its selector; a cycle could never be resolved. */
function reportVarCycles(cursor: Cursor, vars: Record<string, VarDefinition>): void {
  const uses = (name: string): string[] => {
    const definition = vars[name];
    if (!definition || 'value' in definition) return [];
    const { namespace = '', name: objectName = '', labelSelector = '' } = definition.select;
    return placeholdersIn(`${namespace} ${objectName} ${labelSelector} ${definition.field}`);
  };
  for (const start of Object.keys(vars)) {
    const seen = new Set<string>();
    const pending = [...uses(start)];
    while (pending.length > 0) {
      const next = pending.pop() as string;
      if (next === start) {
        cursor.child(start).report('refers to itself through {{placeholders}}');
        break;
      }
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(...uses(next));
      }
    }
  }
}

/** Duplicate ids are found on the raw items, so an item with other problems still counts. */
function reportDuplicates(list: Cursor, what: string): void {
  if (!Array.isArray(list.value)) return;
  const seen = new Set<unknown>();
  list.value.forEach((_item, index) => {
    const idCursor = list.child(index).child('id');
    if (typeof idCursor.value !== 'string') return;
    if (seen.has(idCursor.value)) idCursor.report(`duplicate ${what} id "${idCursor.value}"`);
    seen.add(idCursor.value);
  });
}
