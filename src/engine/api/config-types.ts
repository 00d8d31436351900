/**
 * ServiceAccount, ConfigMap and Secret as the engine stores them. Their bodies are taken from `kubernetes-types`
 * (the Kubernetes 1.30 API as TypeScript types, type-only: nothing of it is loaded at run time); the envelope is the
 * engine's own KubeObject, whose metadata has the name and string timestamps every stored object has (the
 * package's ObjectMeta makes every field optional, as a client's request may).
 */
import type * as core from 'kubernetes-types/core/v1';
import type { KubeObject } from './types';

export interface ServiceAccount
  extends
    KubeObject,
    Pick<core.ServiceAccount, 'secrets' | 'imagePullSecrets' | 'automountServiceAccountToken'> {
  apiVersion: 'v1';
  kind: 'ServiceAccount';
}

export interface ConfigMap extends KubeObject, Pick<core.ConfigMap, 'data' | 'binaryData' | 'immutable'> {
  apiVersion: 'v1';
  kind: 'ConfigMap';
}

/** `data` values are base64; `stringData` is write-only (the server merges it into `data`). */
export interface Secret extends KubeObject, Pick<core.Secret, 'data' | 'stringData' | 'immutable' | 'type'> {
  apiVersion: 'v1';
  kind: 'Secret';
}

export type NamespaceCondition = core.NamespaceCondition;

/** The secret types kubectl and the API server know (core/v1 `SecretType`). */
export const SECRET_TYPES = {
  opaque: 'Opaque',
  serviceAccountToken: 'kubernetes.io/service-account-token',
  dockercfg: 'kubernetes.io/dockercfg',
  dockerConfigJson: 'kubernetes.io/dockerconfigjson',
  basicAuth: 'kubernetes.io/basic-auth',
  sshAuth: 'kubernetes.io/ssh-auth',
  tls: 'kubernetes.io/tls',
  bootstrapToken: 'bootstrap.kubernetes.io/token',
} as const;
