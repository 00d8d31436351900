import { ManualClock } from './clock/clock';
import { createCluster } from './cluster';
import { LabTerminal } from './terminal/terminal';

/**
 * A student's first lines that reach code with a one-time cost. Building the API schema that field validation
 * and `kubectl explain` read (from kubernetes-types' declarations) takes about 0.7 s of a core; the first
 * `apply -f` of a written file pays it, and compiles the paths a manifest takes through the API server and the
 * controllers.
 */
const WARM_UP_LINES = [
  'kubectl create deployment warm-up --image=nginx --dry-run=client -o yaml > warm-up.yaml',
  'kubectl apply -f warm-up.yaml',
  'kubectl get all',
];

/**
 * Pays the engine's one-time costs on a throwaway cluster, so a process pays them before it serves students.
 * A worker that paid them on a student's first `apply -f` held every command in flight for as long (bench:commands,
 * files workload: the slow exits all fell in the second when the class first applied a file). Returns what the
 * lines printed on stderr, which is empty when all went well.
 */
export async function warmUpEngine(): Promise<string> {
  const cluster = createCluster({ seed: 1, clock: new ManualClock(Date.UTC(2024, 5, 3)) });
  const terminal = new LabTerminal(cluster);
  let errors = '';
  for (const line of WARM_UP_LINES)
    await terminal.run(line, { stdout: () => undefined, stderr: (chunk) => (errors += chunk) });
  return errors;
}
