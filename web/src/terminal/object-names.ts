import { kindFor, parseKubectlArgs } from './kubectl-vocabulary';
import { splitWords } from './shell-words';

const ACTION_LINE =
  /^([a-z]+)(?:\.[a-z0-9.]+)?\/(\S+) (created|configured|unchanged|labeled|annotated|scaled|exposed|image updated|rolled back|restarted|deleted)\b/;
const QUOTED_DELETE_LINE = /^([a-z]+)(?:\.[a-z0-9.]+)? "([^"]+)" deleted\b/;
const NAME_LINE = /^([a-z]+)(?:\.[a-z0-9.]+)?\/(\S+)$/;

/**
 * Object names learnt from what the student's kubectl printed in this session (`kubectl get`,
 * `-o name`, "created"/"deleted" lines), so Tab can complete pod names with their random suffixes.
 * Names are kept per kind and namespace; a full `kubectl get KIND` listing replaces what was known.
 */
export class ObjectNameBook {
  private readonly names = new Map<string, Set<string>>();

  namesOf(kindPlural: string, namespace: string): string[] {
    return [...(this.names.get(key(kindPlural, namespace)) ?? [])].sort();
  }

  learn(command: string, output: string): void {
    const words = splitWords(command.trim()).words;
    if (words[0] !== 'kubectl' || command.includes('|') || command.includes('$(')) return;
    const args = parseKubectlArgs(words.slice(1));
    const namespace = args.namespace ?? 'default';
    const lines = output.split(/\r?\n/);
    for (const line of lines) this.learnActionLine(line, namespace);
    if (args.positional[0] === 'get') this.learnListing(args.positional.slice(1), args, namespace, lines);
  }

  clear(): void {
    this.names.clear();
  }

  private learnActionLine(line: string, namespace: string): void {
    const action = ACTION_LINE.exec(line);
    const deleted = QUOTED_DELETE_LINE.exec(line);
    const [, typed, name, verb] = action ?? deleted ?? [];
    const kind = typed ? kindFor(typed) : undefined;
    if (!kind || !name) return;
    const ns = kind.namespaced ? namespace : '';
    if (deleted || verb === 'deleted') this.names.get(key(kind.plural, ns))?.delete(name);
    else this.add(kind.plural, ns, name);
  }

  private learnListing(
    resourceArgs: string[],
    args: ReturnType<typeof parseKubectlArgs>,
    namespace: string,
    lines: string[],
  ): void {
    const [typeArg, ...namedObjects] = resourceArgs;
    if (!typeArg) return;
    const singleKind = !typeArg.includes(',') && !typeArg.includes('/') ? kindFor(typeArg) : undefined;
    const found: { kind: string; namespace: string; name: string }[] = [];
    let nameColumn = -1;
    let namespaceColumn = -1;
    for (const line of lines) {
      const cells = line.trim().split(/\s+/);
      if (line.trim() === '') {
        nameColumn = -1;
        continue;
      }
      if (args.output === 'name') {
        const match = NAME_LINE.exec(line.trim());
        const kind = match ? kindFor(match[1]) : undefined;
        if (match && kind)
          found.push({ kind: kind.plural, namespace: kind.namespaced ? namespace : '', name: match[2] });
        continue;
      }
      if (cells[0] === 'NAME' || (cells[0] === 'NAMESPACE' && cells[1] === 'NAME')) {
        nameColumn = cells.indexOf('NAME');
        namespaceColumn = cells.indexOf('NAMESPACE');
        continue;
      }
      if (nameColumn < 0 || cells.length <= nameColumn) continue;
      const cell = cells[nameColumn];
      const ns = namespaceColumn >= 0 ? cells[namespaceColumn] : namespace;
      const prefixed = NAME_LINE.exec(cell);
      const kind = prefixed ? kindFor(prefixed[1]) : singleKind;
      if (!kind) continue;
      found.push({
        kind: kind.plural,
        namespace: kind.namespaced ? ns : '',
        name: prefixed ? prefixed[2] : cell,
      });
    }
    // A complete listing of one kind in one namespace tells us exactly which objects exist now.
    const complete =
      singleKind !== undefined && namedObjects.length === 0 && !args.selector && !args.allNamespaces;
    const listed = found.length > 0 || lines.some((line) => line.startsWith('No resources found'));
    if (singleKind && complete && listed) {
      this.names.set(key(singleKind.plural, singleKind.namespaced ? namespace : ''), new Set());
    }
    for (const object of found) this.add(object.kind, object.namespace, object.name);
  }

  private add(kind: string, namespace: string, name: string): void {
    const k = key(kind, namespace);
    const set = this.names.get(k) ?? new Set<string>();
    set.add(name);
    this.names.set(k, set);
  }
}

function key(kind: string, namespace: string): string {
  return `${namespace}/${kind}`;
}
