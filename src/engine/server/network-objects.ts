/**
 * Defaulting, admission and validation of the networking kinds: NetworkPolicy's policyTypes and port protocols
 * (networking/v1 SetDefaults), the DefaultIngressClass admission plugin (a new Ingress without a class gets the
 * class marked default), and the Ingress and NetworkPolicy field errors of networking/validation with their texts.
 */
import type { StatusCause } from '../api/status-error';
import {
  DEFAULT_INGRESS_CLASS_ANNOTATION,
  type EndpointSlice,
  type Ingress,
  type IngressBackend,
  type IngressClass,
  type NetworkPolicy,
  type NetworkPolicyPort,
} from '../api/network-types';
import type { KubeObject } from '../api/types';
import type { ObjectStore } from '../store/store';
import {
  invalidValue,
  isDns1035Label,
  isDns1123Subdomain,
  isValidPortName,
  required,
  unsupported,
} from './validation';

export const NETWORK_KINDS = new Set(['EndpointSlice', 'Ingress', 'IngressClass', 'NetworkPolicy']);

export function defaultNetworkObject(obj: KubeObject): void {
  if (obj.kind === 'NetworkPolicy') {
    const np = obj as NetworkPolicy;
    np.spec ??= { podSelector: {} };
    np.spec.podSelector ??= {};
    for (const rule of [...(np.spec.ingress ?? []), ...(np.spec.egress ?? [])])
      for (const port of rule.ports ?? []) port.protocol ??= 'TCP';
    if (!np.spec.policyTypes || np.spec.policyTypes.length === 0)
      np.spec.policyTypes = (np.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  } else if (obj.kind === 'EndpointSlice') {
    for (const port of (obj as EndpointSlice).ports ?? []) port.protocol ??= 'TCP';
  } else if (obj.kind === 'Ingress') {
    const ing = obj as Ingress;
    ing.spec ??= {};
    // IngressStatus is not omitempty: a new Ingress shows `status: {loadBalancer: {}}` until a controller fills it.
    ing.status ??= { loadBalancer: {} };
  } else if (obj.kind === 'IngressClass') {
    (obj as IngressClass).spec ??= {};
  }
}

/** The class marked default (the newest, if several are), as DefaultIngressClass admission picks it. */
export function defaultIngressClass(store: ObjectStore): IngressClass | undefined {
  return store
    .values<IngressClass>('ingressclasses')
    .filter((c) => c.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true')
    .sort((a, b) =>
      (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
    )[0];
}

/** DefaultIngressClass admission (create only): no class name and no legacy class annotation → the default. */
export function admitNetworkObject(store: ObjectStore, obj: KubeObject): void {
  if (obj.kind !== 'Ingress') return;
  const ing = obj as Ingress;
  if (ing.spec.ingressClassName || ing.metadata.annotations?.['kubernetes.io/ingress.class']) return;
  const def = defaultIngressClass(store);
  if (def) ing.spec = { ingressClassName: def.metadata.name, ...ing.spec };
}

function validateBackend(backend: IngressBackend, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const svc = backend.service;
  if (svc && backend.resource)
    causes.push(invalidValue(at, '', 'cannot set both resource and service backends'));
  if (!svc) return causes;
  if (!svc.name) causes.push(required(`${at}.service.name`));
  else
    for (const msg of isDns1035Label(svc.name))
      causes.push(invalidValue(`${at}.service.name`, svc.name, msg));
  const port = svc.port ?? {};
  const hasName = Boolean(port.name);
  const hasNumber = port.number !== undefined && port.number !== 0;
  if (hasName && hasNumber)
    causes.push(invalidValue(`${at}.service.port`, '', 'cannot set both port name & port number'));
  else if (hasName)
    for (const msg of isValidPortName(port.name!))
      causes.push(invalidValue(`${at}.service.port.name`, port.name!, msg));
  else if (hasNumber) {
    if (port.number! < 1 || port.number! > 65535)
      causes.push(
        invalidValue(`${at}.service.port.number`, port.number!, 'must be between 1 and 65535, inclusive'),
      );
  } else causes.push(required(`${at}.service.port`, 'port name or number is required'));
  return causes;
}

function validateIngress(ing: Ingress): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = ing.spec ?? {};
  if ((spec.rules ?? []).length === 0 && !spec.defaultBackend)
    // field.Invalid of the nil rules slice: Go prints it with %#v.
    causes.push({
      field: 'spec',
      message:
        'Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
    });
  if (spec.defaultBackend) causes.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  (spec.rules ?? []).forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    if (rule.host) {
      const host = rule.host.startsWith('*.') ? rule.host.slice(2) : rule.host;
      for (const msg of isDns1123Subdomain(host)) causes.push(invalidValue(`${at}.host`, rule.host, msg));
    }
    (rule.http?.paths ?? []).forEach((path, j) => {
      const pathAt = `${at}.http.paths[${j}]`;
      if (!path.pathType) causes.push(required(`${pathAt}.pathType`, 'pathType must be specified'));
      else if (!['Exact', 'Prefix', 'ImplementationSpecific'].includes(path.pathType))
        causes.push(
          unsupported(`${pathAt}.pathType`, path.pathType, ['Exact', 'ImplementationSpecific', 'Prefix']),
        );
      else if (path.pathType !== 'ImplementationSpecific' && !(path.path ?? '').startsWith('/'))
        causes.push(invalidValue(`${pathAt}.path`, path.path ?? '', 'must be an absolute path'));
      causes.push(...validateBackend(path.backend ?? {}, `${pathAt}.backend`));
    });
  });
  if (spec.ingressClassName)
    for (const msg of isDns1123Subdomain(spec.ingressClassName))
      causes.push(invalidValue('spec.ingressClassName', spec.ingressClassName, msg));
  return causes;
}

function validateNetworkPolicy(np: NetworkPolicy): StatusCause[] {
  const causes: StatusCause[] = [];
  const check = (rules: { ports?: NetworkPolicyPort[] }[] | undefined, dir: string) =>
    (rules ?? []).forEach((rule, i) =>
      (rule.ports ?? []).forEach((port, j) => {
        const at = `spec.${dir}[${i}].ports[${j}]`;
        if (port.protocol && !['TCP', 'UDP', 'SCTP'].includes(port.protocol))
          causes.push(unsupported(`${at}.protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
        if (typeof port.port === 'number' && (port.port < 1 || port.port > 65535))
          causes.push(invalidValue(`${at}.port`, port.port, 'must be between 1 and 65535, inclusive'));
      }),
    );
  check(np.spec.ingress, 'ingress');
  check(np.spec.egress, 'egress');
  for (const t of np.spec.policyTypes ?? [])
    if (t !== 'Ingress' && t !== 'Egress')
      causes.push(unsupported('spec.policyTypes', t, ['Egress', 'Ingress']));
  return causes;
}

function validateIngressClass(ic: IngressClass): StatusCause[] {
  const controller = ic.spec?.controller ?? '';
  if (!controller) return [required('spec.controller')];
  return [];
}

export function validateNetworkObject(obj: KubeObject): StatusCause[] {
  switch (obj.kind) {
    case 'Ingress':
      return validateIngress(obj as Ingress);
    case 'NetworkPolicy':
      return validateNetworkPolicy(obj as NetworkPolicy);
    case 'IngressClass':
      return validateIngressClass(obj as IngressClass);
    case 'EndpointSlice': {
      const slice = obj as EndpointSlice;
      if (!['IPv4', 'IPv6', 'FQDN'].includes(slice.addressType))
        return [unsupported('addressType', slice.addressType ?? '', ['FQDN', 'IPv4', 'IPv6'])];
      return [];
    }
    default:
      return [];
  }
}
