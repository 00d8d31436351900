/**
 * The lab terminal's vocabulary: what can start a line and what a pipe can feed. Kept free of
 * imports so the web client's completion reads the same lists the terminal enforces.
 */

/** Programs that can start a line. */
export const LINE_PROGRAMS = [
  'kubectl',
  'minikube',
  'curl',
  'echo',
  'ls',
  'cat',
  'pwd',
  'cd',
  'mkdir',
  'rm',
  'mv',
  'cp',
  'touch',
  'diff',
  'vim',
  'vi',
  'nano',
  'help',
  'clear',
  'export',
  'unset',
  'read',
  'jobs',
  'kill',
  'fg',
  'bg',
  'wait',
  'disown',
  'exit',
] as const;

/** Programs a pipe can feed (they can also start a line, reading files of the home directory). */
export const FILTER_NAMES = ['grep', 'wc', 'head', 'tail'];

/** The resource types `kubectl get` serves, by their plural names. */
export const KIND_PLURALS = [
  'deployments',
  'endpoints',
  'events',
  'namespaces',
  'nodes',
  'pods',
  'replicasets',
  'services',
];
