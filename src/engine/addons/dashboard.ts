/**
 * The dashboard add-on (minikube deploy/addons/dashboard): namespace kubernetes-dashboard with the dashboard and its
 * metrics scraper, their Services, ServiceAccount and the settings ConfigMap and key-holder Secret.
 */
import type { KubeObject } from '../api/types';
import type { AddonBehaviour } from './addon';
import { ADDON_MANAGER_LABEL, applyManifests, deleteManifests, exists } from './manifests';

export const DASHBOARD_NAMESPACE = 'kubernetes-dashboard';
const ADDON = { 'kubernetes.io/minikube-addons': 'dashboard', ...ADDON_MANAGER_LABEL };
const NAMESPACE = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: DASHBOARD_NAMESPACE, labels: ADDON },
} as KubeObject;

function labelled(
  name: string,
  kind: string,
  apiVersion: string,
  body: object,
  app = 'kubernetes-dashboard',
) {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: DASHBOARD_NAMESPACE, labels: { 'k8s-app': app, ...ADDON } },
    ...body,
  } as KubeObject;
}

function deployment(app: string, image: string, port: number, args?: string[]): KubeObject {
  return labelled(
    app,
    'Deployment',
    'apps/v1',
    {
      spec: {
        replicas: 1,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { 'k8s-app': app } },
        template: {
          metadata: { labels: { 'k8s-app': app } },
          spec: {
            containers: [
              {
                name: app,
                image,
                ports: [{ containerPort: port, protocol: 'TCP' }],
                ...(args ? { args } : {}),
                volumeMounts: [{ mountPath: '/tmp', name: 'tmp-volume' }],
                livenessProbe: {
                  httpGet: { path: '/', port, ...(args ? {} : { scheme: 'HTTP' }) },
                  initialDelaySeconds: 30,
                  timeoutSeconds: 30,
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsUser: 1001,
                  runAsGroup: 2001,
                },
              },
            ],
            volumes: [{ name: 'tmp-volume', emptyDir: {} }],
            serviceAccountName: 'kubernetes-dashboard',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }],
          },
        },
      },
    },
    app,
  );
}

function manifests(): KubeObject[] {
  return [
    NAMESPACE,
    labelled('kubernetes-dashboard', 'ServiceAccount', 'v1', {}),
    labelled('kubernetes-dashboard-settings', 'ConfigMap', 'v1', {}),
    labelled('kubernetes-dashboard-key-holder', 'Secret', 'v1', { type: 'Opaque' }),
    labelled('kubernetes-dashboard', 'Service', 'v1', {
      spec: { ports: [{ port: 80, targetPort: 9090 }], selector: { 'k8s-app': 'kubernetes-dashboard' } },
    }),
    labelled(
      'dashboard-metrics-scraper',
      'Service',
      'v1',
      {
        spec: {
          ports: [{ port: 8000, targetPort: 8000 }],
          selector: { 'k8s-app': 'dashboard-metrics-scraper' },
        },
      },
      'dashboard-metrics-scraper',
    ),
    deployment(
      'dashboard-metrics-scraper',
      'docker.io/kubernetesui/metrics-scraper:v1.0.8@sha256:76049887f07a0476dc93efc2d3569b9529bf982b22d29f356092ce206e98765c',
      8000,
    ),
    deployment(
      'kubernetes-dashboard',
      'docker.io/kubernetesui/dashboard:v2.7.0@sha256:2e500d29e9d5f4a086b908eb8dfe7ecac57d2ab09d65b24f588b1d449841ef93',
      9090,
      ['--namespace=kubernetes-dashboard', '--enable-skip-login', '--disable-settings-authorizer'],
    ),
  ];
}

export const DASHBOARD: AddonBehaviour = {
  enable: ({ api }) => applyManifests(api, manifests()),
  // Deleting the namespace takes everything in it along (the namespace controller empties it first).
  disable: ({ api }) => deleteManifests(api, [NAMESPACE]),
  isEnabled: (api) => exists(api, NAMESPACE),
  tipAfterEnable: (profile) =>
    'Some dashboard features require the metrics-server addon. To enable all features please run:\n\n' +
    `\tminikube${profile === 'minikube' ? '' : ` -p ${profile}`} addons enable metrics-server\n`,
};
