/**
 * The kinds of ClusterResourceName (resources.ts): stored and listed, with the fields their tables and the boot
 * objects use. Everything else an object carries is kept as it was written.
 */
import type { KubeObject, PodTemplateSpec } from './types';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface PodTemplate extends KubeObject {
  template?: PodTemplateSpec;
}

export interface ReplicationController extends KubeObject {
  spec: { replicas?: number; selector?: Record<string, string>; template?: PodTemplateSpec };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

export interface ComponentStatus extends KubeObject {
  conditions?: { type: string; status: string; message?: string; error?: string }[];
}

export interface WebhookConfiguration extends KubeObject {
  webhooks?: unknown[];
}

export interface ValidatingAdmissionPolicy extends KubeObject {
  spec?: { paramKind?: { apiVersion?: string; kind?: string }; validations?: unknown[] };
}

export interface ValidatingAdmissionPolicyBinding extends KubeObject {
  spec?: { policyName?: string; paramRef?: { name?: string; namespace?: string } };
}

export interface APIService extends KubeObject {
  spec: {
    group?: string;
    version?: string;
    service?: { namespace?: string; name?: string; port?: number } | null;
    groupPriorityMinimum?: number;
    versionPriority?: number;
    insecureSkipTLSVerify?: boolean;
  };
  status?: { conditions?: Condition[] };
}

export interface CertificateSigningRequest extends KubeObject {
  spec?: { signerName?: string; username?: string; expirationSeconds?: number };
  status?: { conditions?: Condition[] };
}

export interface FlowSchema extends KubeObject {
  spec: {
    priorityLevelConfiguration: { name: string };
    matchingPrecedence?: number;
    distinguisherMethod?: { type: string };
    rules?: unknown[];
  };
  status?: { conditions?: Condition[] };
}

export interface PriorityLevelConfiguration extends KubeObject {
  spec: {
    type: string;
    limited?: {
      nominalConcurrencyShares?: number;
      lendablePercent?: number;
      limitResponse?: {
        type: string;
        queuing?: { queues?: number; handSize?: number; queueLengthLimit?: number };
      };
    };
    exempt?: { nominalConcurrencyShares?: number; lendablePercent?: number };
  };
  status?: { conditions?: Condition[] };
}

export interface RuntimeClass extends KubeObject {
  handler?: string;
}

export interface CSIDriver extends KubeObject {
  spec?: {
    attachRequired?: boolean;
    podInfoOnMount?: boolean;
    storageCapacity?: boolean;
    tokenRequests?: { audience: string; expirationSeconds?: number }[];
    requiresRepublish?: boolean;
    volumeLifecycleModes?: string[];
  };
}

export interface CSINode extends KubeObject {
  spec?: { drivers?: unknown[] | null };
}

export interface CSIStorageCapacity extends KubeObject {
  storageClassName?: string;
  capacity?: string;
}

export interface VolumeAttachment extends KubeObject {
  spec?: { attacher?: string; nodeName?: string; source?: { persistentVolumeName?: string } };
  status?: { attached?: boolean };
}
