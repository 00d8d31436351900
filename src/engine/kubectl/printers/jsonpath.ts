import {
  executeTemplate,
  goQuote,
  goSharpV,
  JsonPathExecutionError,
  JsonPathSyntaxError,
  NumberMode,
  parseTemplate,
  selectValues,
} from '../../jsonpath';
import { CommandError } from '../context';

/**
 * kubectl's JSONPathPrinter over the engine's JSONPath library (src/engine/jsonpath). `numbers`: `float64` for a
 * typed object kubectl converted through JSON (create, config view), `int64` for objects from the server (get).
 * Missing keys print nothing (kubectl's default --allow-missing-template-keys=true).
 */
export function renderJsonPath(template: string, data: unknown, numbers: NumberMode = 'int64'): string {
  let root;
  try {
    root = parseTemplate(template);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError)
      throw new CommandError(`error parsing jsonpath ${template}, ${error.message}`);
    throw error;
  }
  try {
    return executeTemplate(root, data, { numbers });
  } catch (error) {
    if (!(error instanceof JsonPathExecutionError)) throw error;
    throw new CommandError(
      `error executing jsonpath ${goQuote(template)}: Error executing template: ${error.message}. ` +
        'Printing more information for debugging the template:\n' +
        `\ttemplate was:\n\t\t${template}\n` +
        `\tobject given to jsonpath engine was:\n\t\t${goSharpV(data, numbers)}\n\n\n`,
    );
  }
}

/** The values one JSONPath expression selects (`.a.b`, `{.a.b}` or `a.b`), for `--sort-by`. */
export function selectJsonPath(expression: string, data: unknown): unknown[] {
  try {
    return selectValues(expression, data);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError || error instanceof JsonPathExecutionError)
      throw new CommandError(error.message);
    throw error;
  }
}
