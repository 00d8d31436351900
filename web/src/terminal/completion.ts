import {
  DEFAULT_NAMESPACES,
  EXAMPLE_FILES,
  FILTERS,
  KUBECTL_SUBCOMMANDS,
  KUBECTL_VERBS,
  kindFor,
  MINIKUBE_COMMANDS,
  OUTPUT_FORMATS,
  parseKubectlArgs,
  POD_VERBS,
  PROGRAMS,
  RESOURCE_KINDS,
  SHELLS,
  TYPED_VERBS,
} from './kubectl-vocabulary';
import type { ObjectNameBook } from './object-names';
import { lastStage, splitWords } from './shell-words';

export interface Completion {
  /** Offset in the line where the word being completed starts. */
  start: number;
  /** The word as typed so far. */
  typed: string;
  /** Every possible word, sorted. */
  candidates: string[];
  /** What Tab inserts in place of `typed`: the single candidate plus a space, or the candidates' common prefix. */
  insert: string;
}

/** Completes the word that ends at the end of `beforeCursor`. */
export function complete(beforeCursor: string, names: ObjectNameBook): Completion {
  const stage = lastStage(beforeCursor);
  const split = splitWords(stage.text);
  const empty: Completion = { start: beforeCursor.length, typed: '', candidates: [], insert: '' };
  if (split.openQuote) return empty;
  const words = [...split.words];
  const typed = split.endsWithBlank ? '' : (words.pop() ?? '');
  const start = split.endsWithBlank
    ? beforeCursor.length
    : stage.offset + split.starts[split.starts.length - 1];
  const isPipeStage = stage.offset > 0;
  const pool = candidatesFor(words, typed, names, isPipeStage);
  const candidates = [...new Set(pool)].filter((candidate) => candidate.startsWith(typed)).sort();
  return { start, typed, candidates, insert: insertionFor(candidates, typed) };
}

function insertionFor(candidates: string[], typed: string): string {
  if (candidates.length === 0) return typed;
  if (candidates.length === 1) {
    const [only] = candidates;
    return /[/=]$/.test(only) ? only : `${only} `;
  }
  return commonPrefix(candidates);
}

export function commonPrefix(words: string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0];
  for (const word of words.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < word.length && prefix[i] === word[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

function candidatesFor(
  words: string[],
  typed: string,
  names: ObjectNameBook,
  isPipeStage: boolean,
): string[] {
  if (words.length === 0) return isPipeStage ? FILTERS : PROGRAMS;
  const [program, ...args] = words;
  if (program === 'minikube') return args.length === 0 ? MINIKUBE_COMMANDS : [];
  if (program === 'cat' || program === 'ls') return EXAMPLE_FILES;
  if (program !== 'kubectl') return [];
  return kubectlCandidates(args, typed, names);
}

function kubectlCandidates(args: string[], typed: string, names: ObjectNameBook): string[] {
  const parsed = parseKubectlArgs(args);
  const namespace = parsed.namespace ?? 'default';
  switch (parsed.pendingFlag) {
    case '-n':
    case '--namespace':
      return [...DEFAULT_NAMESPACES, ...names.namesOf('namespaces', '')];
    case '-f':
    case '--filename':
      return EXAMPLE_FILES;
    case '-o':
    case '--output':
      return OUTPUT_FORMATS;
    case undefined:
      break;
    default:
      return [];
  }
  if (typed.startsWith('-')) return [];
  const [verb, ...rest] = parsed.positional;
  if (!verb) return args.includes('--') ? [] : KUBECTL_VERBS;
  if (args.includes('--')) return verb === 'exec' && parsed.afterDash.length === 0 ? SHELLS : [];

  let operands = rest;
  const subcommands = KUBECTL_SUBCOMMANDS[verb];
  if (subcommands) {
    if (rest.length === 0) return subcommands;
    if (verb === 'create') return [];
    operands = rest.slice(1);
  }
  if (verb === 'apply') return [];
  if (POD_VERBS.has(verb)) return operands.length === 0 ? names.namesOf('pods', namespace) : [];
  if (!TYPED_VERBS.has(verb)) return [];

  // `kind/name` as one word: complete the name after the slash.
  const slash = typed.indexOf('/');
  if (slash > 0) {
    const kind = kindFor(typed.slice(0, slash));
    if (!kind) return [];
    const prefix = typed.slice(0, slash + 1);
    return names.namesOf(kind.plural, kind.namespaced ? namespace : '').map((name) => prefix + name);
  }
  if (operands.length === 0) return [...RESOURCE_KINDS.map((kind) => kind.plural), 'all'];
  const kind = kindFor(operands[0]);
  if (!kind || operands[0].includes('/')) return [];
  // `label` and `set image` take key=value words after the object; only the first operand is a name.
  if ((verb === 'label' || verb === 'scale' || verb === 'expose') && operands.length > 1) return [];
  return names.namesOf(kind.plural, kind.namespaced ? namespace : '');
}
