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
