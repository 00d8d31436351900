/**
 * What `cluster:` of a lab asks for, as terminal lines run before the student starts: `minikube addons enable`
 * for each add-on, then `kubectl apply` of each object's manifests through a here-document. As plain lines they
 * run the same way on every driver whose terminal has here-documents (the embedded engine, the kubelab node
 * image), and they are exactly what a student could type. They do not enter the student's history.
 */
import { ClusterShape } from '../format/types';

const DELIMITER = 'KUBELAB_LAB_OBJECTS';

export function clusterSetupLines(shape: ClusterShape | undefined): string[] {
  if (!shape) return [];
  const addons = shape.addons.map((addon) => `minikube addons enable ${addon}`);
  const objects = shape.objects.map((manifests) => {
    const body = manifests.endsWith('\n') ? manifests : `${manifests}\n`;
    return `kubectl apply -f - <<'${DELIMITER}'\n${body}${DELIMITER}`;
  });
  return [...addons, ...objects];
}

/** Runs one set-up line on a cluster: exit code and output (a driver's exec, or the lab runner's terminal). */
export type SetupRunner = (line: string) => Promise<{ exitCode: number; output: string }>;

/**
 * Brings a fresh cluster to the lab's shape (add-ons, then objects, in order), the one way `lab test` and the
 * platform both do it. Every line is idempotent (`addons enable` of an enabled add-on, `apply` of an applied
 * manifest), so a set-up cut short (a worker that died) is finished by running it all again. Returns the lines
 * that failed, with their output; `onLine` hears of each line before it runs (progress).
 */
export async function applyClusterShape(
  shape: ClusterShape | undefined,
  run: SetupRunner,
  onLine?: (line: string, index: number, total: number) => void,
): Promise<string[]> {
  const failures: string[] = [];
  const lines = clusterSetupLines(shape);
  for (const [index, line] of lines.entries()) {
    onLine?.(setupLineTitle(line), index, lines.length);
    const { exitCode, output } = await run(line);
    if (exitCode !== 0) failures.push(`\`${setupLineTitle(line)}\` (exit ${exitCode}): ${output.trim()}`);
  }
  return failures;
}

/** A set-up line as people read it: its first line (a here-document's body is left out). */
export function setupLineTitle(line: string): string {
  return line.split('\n')[0];
}
