/**
 * The metrics-server add-on (minikube deploy/addons/metrics-server): its ServiceAccount and RBAC, the kube-system
 * Service and Deployment. The APIService v1beta1.metrics.k8s.io it registers is what makes the Metrics API appear;
 * the lab serves that API (metrics/) while the add-on's Deployment exists and its pod is Ready.
 */
import type { KubeObject } from '../api/types';
import type { AddonBehaviour } from './addon';
import { ADDON_MANAGER_LABEL, applyManifests, deleteManifests, exists } from './manifests';

export const METRICS_SERVER_IMAGE =
  'registry.k8s.io/metrics-server/metrics-server:v0.7.1@sha256:db3800085a0957083930c3932b17580eec652cfb6156a05c0f79c7543e80d17a';
/** The add-on's --metric-resolution: how often metrics-server scrapes the kubelets. */
export const METRIC_RESOLUTION_MS = 60_000;
/** The APIService that makes metrics.k8s.io/v1beta1 reachable through the aggregator. */
export const METRICS_API_SERVICE = 'v1beta1.metrics.k8s.io';
export const METRICS_SERVER_SELECTOR = { 'k8s-app': 'metrics-server' };

const LABELS = { 'k8s-app': 'metrics-server', ...ADDON_MANAGER_LABEL };
const SUBJECT = [{ kind: 'ServiceAccount', name: 'metrics-server', namespace: 'kube-system' }];

export function metricsServerManifests(): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'metrics-server', namespace: 'kube-system', labels: LABELS },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'system:aggregated-metrics-reader',
        labels: {
          'k8s-app': 'metrics-server',
          'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
          'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
          'rbac.authorization.k8s.io/aggregate-to-view': 'true',
          ...ADDON_MANAGER_LABEL,
        },
      },
      rules: [
        { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'metrics-server-auth-reader', namespace: 'kube-system', labels: LABELS },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'extension-apiserver-authentication-reader',
      },
      subjects: SUBJECT,
    } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'metrics-server:system:auth-delegator', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: SUBJECT,
    } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:metrics-server', labels: LABELS },
      rules: [
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:metrics-server', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:metrics-server' },
      subjects: SUBJECT,
    } as KubeObject,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'metrics-server',
        namespace: 'kube-system',
        labels: {
          'k8s-app': 'metrics-server',
          'kubernetes.io/name': 'Metrics-server',
          'kubernetes.io/minikube-addons': 'metrics-server',
          'kubernetes.io/minikube-addons-endpoint': 'metrics-server',
          ...ADDON_MANAGER_LABEL,
        },
      },
      spec: {
        selector: METRICS_SERVER_SELECTOR,
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }],
      },
    } as KubeObject,
    DEPLOYMENT,
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: {
        name: METRICS_API_SERVICE,
        labels: {
          'kubernetes.io/minikube-addons': 'metrics-server',
          ...ADDON_MANAGER_LABEL,
          'k8s-app': 'metrics-server',
        },
      },
      spec: {
        group: 'metrics.k8s.io',
        groupPriorityMinimum: 100,
        insecureSkipTLSVerify: true,
        // The API server defaults the port to 443.
        service: { name: 'metrics-server', namespace: 'kube-system', port: 443 },
        version: 'v1beta1',
        versionPriority: 100,
      },
    } as KubeObject,
  ];
}

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'metrics-server',
    namespace: 'kube-system',
    labels: {
      'k8s-app': 'metrics-server',
      'kubernetes.io/minikube-addons': 'metrics-server',
      ...ADDON_MANAGER_LABEL,
    },
  },
  spec: {
    selector: { matchLabels: METRICS_SERVER_SELECTOR },
    strategy: { rollingUpdate: { maxUnavailable: 0 } },
    template: {
      metadata: { name: 'metrics-server', labels: METRICS_SERVER_SELECTOR },
      spec: {
        serviceAccountName: 'metrics-server',
        volumes: [{ name: 'tmp-dir', emptyDir: {} }],
        priorityClassName: 'system-cluster-critical',
        containers: [
          {
            name: 'metrics-server',
            image: METRICS_SERVER_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            args: [
              '--cert-dir=/tmp',
              '--secure-port=4443',
              '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
              '--kubelet-use-node-status-port',
              '--metric-resolution=60s',
              '--kubelet-insecure-tls',
            ],
            resources: { requests: { cpu: '100m', memory: '200Mi' } },
            ports: [{ name: 'https', containerPort: 4443, protocol: 'TCP' }],
            readinessProbe: {
              httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' },
              periodSeconds: 10,
              failureThreshold: 3,
            },
            livenessProbe: {
              httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' },
              periodSeconds: 10,
              failureThreshold: 3,
            },
            securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000 },
            volumeMounts: [{ name: 'tmp-dir', mountPath: '/tmp' }],
          },
        ],
      },
    },
  },
} as KubeObject;

export const METRICS_SERVER: AddonBehaviour = {
  enable: ({ api }) => applyManifests(api, metricsServerManifests()),
  disable: ({ api }) => deleteManifests(api, metricsServerManifests()),
  isEnabled: (api) => exists(api, DEPLOYMENT),
};
