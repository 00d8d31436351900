/** Per-kind validation (the registry strategies' Validate), collecting every cause like the real server. */
import type { StatusCause } from '../api/status-error';
import type {
  ConfigMap,
  Deployment,
  KubeObject,
  Pod,
  PodTemplateSpec,
  ReplicaSet,
  Secret,
  Service,
} from '../api/types';
import { policyNameRule, validatePolicyObject } from './policy-objects';
import { validateConfigMap, validateSecret } from './config-objects';
import { validateBatchObject } from './batch-objects';
import { validateStorageObject } from './storage-objects';
import { validateNetworkObject } from './network-objects';
import { matchesLabelSelector } from './selectors';
import { validatePodSpec } from './pod-spec-validation';
import {
  invalidValue,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  required,
  unsupported,
  validateAnnotations,
  validateLabels,
  validateName,
} from './validation';

const NAME_RULE: Record<string, (v: string) => string[]> = {
  Service: isDns1035Label,
  Namespace: isDns1123Label,
  // kube-aggregator: `<version>.<group>`, and the core group's is `v1.` (a path segment, not a DNS name).
  APIService: (v) => (v.split('.').length < 2 ? ['must be in the form: version.group'] : []),
};

export function validateMetadata(obj: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name;
  if (!name) causes.push(required('metadata.name', 'name or generateName is required'));
  else if (obj.kind !== 'Event')
    causes.push(
      ...validateName(
        'metadata.name',
        name,
        NAME_RULE[obj.kind] ?? policyNameRule(obj.kind) ?? isDns1123Subdomain,
      ),
    );
  causes.push(...validateLabels('metadata.labels', obj.metadata.labels));
  causes.push(...validateAnnotations('metadata.annotations', obj.metadata.annotations));
  return causes;
}

function validateTemplate(
  path: string,
  template: PodTemplateSpec | undefined,
  selector: Deployment['spec']['selector'],
  statefulSet: boolean,
): StatusCause[] {
  if (!template) return [required(path)];
  const causes = validateLabels(`${path}.metadata.labels`, template.metadata?.labels);
  if (selector && !matchesLabelSelector(selector, template.metadata?.labels))
    causes.push({
      field: `${path}.metadata.labels`,
      message: `Invalid value: ${goMap(template.metadata?.labels ?? {})}: \`selector\` does not match template \`labels\``,
    });
  causes.push(...validatePodSpec(`${path}.spec`, template.spec, { statefulSet }));
  const policy = template.spec?.restartPolicy;
  if (policy && policy !== 'Always')
    causes.push(unsupported(`${path}.spec.restartPolicy`, policy, ['Always']));
  return causes;
}

/** Go's %#v of a map[string]string, as the real message prints it. */
function goMap(labels: Record<string, string>): string {
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k])}`)
    .join(', ');
  return `map[string]string{${body}}`;
}

function validateWorkload(obj: Deployment | ReplicaSet): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = obj.spec;
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0))
    causes.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  const sel = spec.selector;
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0))
    causes.push(required('spec.selector'));
  else causes.push(...validateLabels('spec.selector.matchLabels', sel.matchLabels));
  causes.push(
    ...validateTemplate('spec.template', spec.template, sel, (obj.kind as string) === 'StatefulSet'),
  );
  return causes;
}

function validateService(svc: Service): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = svc.spec;
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  if (spec.type && !types.includes(spec.type)) causes.push(unsupported('spec.type', spec.type, types));
  const headless = spec.clusterIP === 'None';
  if (spec.type !== 'ExternalName' && !headless && (!spec.ports || spec.ports.length === 0))
    causes.push(required('spec.ports'));
  const seen = new Set<string>();
  (spec.ports ?? []).forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535)
      causes.push(invalidValue(`${at}.port`, p.port, 'must be between 1 and 65535, inclusive'));
    if (typeof p.targetPort === 'number' && (p.targetPort < 1 || p.targetPort > 65535))
      causes.push(invalidValue(`${at}.targetPort`, p.targetPort, 'must be between 1 and 65535, inclusive'));
    if ((spec.ports?.length ?? 0) > 1 && !p.name) causes.push(required(`${at}.name`));
    const key = `${p.port}/${p.protocol}`;
    if (seen.has(key))
      causes.push({
        field: `${at}`,
        message: `Duplicate value: core.ServicePort{Name:"${p.name ?? ''}", Protocol:"${p.protocol}", Port:${p.port}}`,
      });
    seen.add(key);
    if (p.nodePort !== undefined && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer')
      causes.push({
        field: `${at}.nodePort`,
        message: `Forbidden: may not be used when \`type\` is '${spec.type}'`,
      });
  });
  causes.push(...validateLabels('spec.selector', spec.selector));
  return causes;
}

function validatePod(pod: Pod): StatusCause[] {
  return validatePodSpec('spec', pod.spec);
}

export function validateObject(obj: KubeObject): StatusCause[] {
  const causes = validateMetadata(obj);
  switch (obj.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
      causes.push(...validateWorkload(obj as Deployment));
      break;
    case 'Service':
      causes.push(...validateService(obj as Service));
      break;
    case 'Pod':
      causes.push(...validatePod(obj as Pod));
      break;
    case 'ConfigMap':
      causes.push(...validateConfigMap(obj as ConfigMap));
      break;
    case 'Secret':
      causes.push(...validateSecret(obj as Secret));
      break;
    case 'Job':
    case 'CronJob':
      causes.push(...validateBatchObject(obj));
      break;
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
    case 'StorageClass':
      causes.push(...validateStorageObject(obj));
      break;
    case 'EndpointSlice':
    case 'Ingress':
    case 'IngressClass':
    case 'NetworkPolicy':
      causes.push(...validateNetworkObject(obj));
      break;
    default:
      causes.push(...validatePolicyObject(obj));
  }
  return causes;
}
