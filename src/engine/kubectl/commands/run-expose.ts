/**
 * `kubectl run --expose`: the ClusterIP Service kubectl's ServiceGeneratorV2 makes for the new pod (run.go
 * generateService). Its selector is the pod's labels (`run=NAME` by default), its one port the pod's port, TCP,
 * with the same target port; the Service carries labels only when `--labels` gave them.
 */
import type { Service } from '../../api/types';

export function runService(
  name: string,
  namespace: string,
  podLabels: Record<string, string>,
  labelsGiven: boolean,
  port: number,
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, ...(labelsGiven ? { labels: { ...podLabels } } : {}) },
    spec: {
      ports: [{ port, protocol: 'TCP', targetPort: port }],
      selector: { ...podLabels },
    },
  } as Service;
}
