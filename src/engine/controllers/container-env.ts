/**
 * A container's environment as the kubelet builds it when it creates the container: `envFrom` sources first (in
 * order), then `env` (later names win), values from ConfigMaps, Secrets and the downward API. A reference to a
 * missing object or key (not optional) is the CreateContainerConfigError message.
 */
import type { ConfigMap, Container, Pod, Secret } from '../api/types';
import type { ObjectStore } from '../store/store';

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function decode(value: string): string {
  try {
    return Buffer.from(value, 'base64').toString('utf8');
  } catch {
    return '';
  }
}

export function fieldValue(pod: Pod, path: string): string {
  const labels = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (labels) return (pod.metadata[labels[1] as 'labels'] ?? {})[labels[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    default:
      return '';
  }
}

export type EnvResult = { env: [string, string][] } | { error: string };

export function resolveEnv(store: ObjectStore, pod: Pod, container: Container): EnvResult {
  const ns = pod.metadata.namespace ?? 'default';
  const values = new Map<string, string>();
  const configMap = (name: string) => store.get<ConfigMap>('configmaps', ns, name);
  const secret = (name: string) => store.get<Secret>('secrets', ns, name);
  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    if (source.configMapRef) {
      const cm = configMap(source.configMapRef.name);
      if (!cm) {
        if (source.configMapRef.optional) continue;
        return { error: `configmap "${source.configMapRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(cm.data ?? {}))
        if (ENV_NAME.test(prefix + k)) values.set(prefix + k, v);
    } else if (source.secretRef) {
      const s = secret(source.secretRef.name);
      if (!s) {
        if (source.secretRef.optional) continue;
        return { error: `secret "${source.secretRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(s.data ?? {}))
        if (ENV_NAME.test(prefix + k)) values.set(prefix + k, decode(v));
    }
  }
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    if (!from) {
      values.set(e.name, e.value ?? '');
      continue;
    }
    if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const cm = configMap(ref.name);
      if (!cm) {
        if (ref.optional) continue;
        return { error: `configmap "${ref.name}" not found` };
      }
      const value = cm.data?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        return { error: `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` };
      }
      values.set(e.name, value);
    } else if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const s = secret(ref.name);
      if (!s) {
        if (ref.optional) continue;
        return { error: `secret "${ref.name}" not found` };
      }
      const value = s.data?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        return { error: `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` };
      }
      values.set(e.name, decode(value));
    } else if (from.fieldRef) {
      values.set(e.name, fieldValue(pod, from.fieldRef.fieldPath));
    }
  }
  return { env: [...values.entries()] };
}
