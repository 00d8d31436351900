/**
 * The ingress add-on (minikube v1.33.1 deploy/addons/ingress/ingress-deploy.yaml, ingress-nginx v1.10.1): namespace
 * ingress-nginx with the controller's ServiceAccount, ConfigMap, Services (NodePort 80/443 and the admission
 * webhook's ClusterIP 443), the controller Deployment (hostPort 80/443 on the node, so the node IP answers HTTP),
 * the two certgen Jobs that make and install the webhook certificate (their pods end Completed), and the default
 * IngressClass `nginx`. What `kubectl get all -n ingress-nginx` lists on a real minikube, plus the class.
 */
import { DEFAULT_INGRESS_CLASS_ANNOTATION } from '../api/network-types';
import type { KubeObject } from '../api/types';
import type { AddonBehaviour } from './addon';
import { applyManifests, deleteManifests, exists } from './manifests';

export const INGRESS_NAMESPACE = 'ingress-nginx';
export const INGRESS_CONTROLLER = 'k8s.io/ingress-nginx';
export const INGRESS_CLASS = 'nginx';
export const CONTROLLER_IMAGE =
  'registry.k8s.io/ingress-nginx/controller:v1.10.1@sha256:e24f39d3eed6bcc239a56f20098878845f62baa34b9f2be2fd2c38ce9fb0f29e';
export const CERTGEN_IMAGE =
  'registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.4.1@sha256:36d05b4077fb8e3d13663702fa337f124675ba8667cbd949c03a8e8ea6fa4366';

const NAME_LABELS = {
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/name': 'ingress-nginx',
};
const labels = (component?: string) => ({
  ...(component ? { 'app.kubernetes.io/component': component } : {}),
  ...NAME_LABELS,
});
/** The controller pods' labels (the Deployment's selector and the Services'). */
export const CONTROLLER_SELECTOR = { ...labels('controller') };

function namespaced(
  kind: string,
  apiVersion: string,
  name: string,
  component: string | undefined,
  body: object,
) {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: INGRESS_NAMESPACE, labels: labels(component) },
    ...body,
  } as KubeObject;
}

function certgenJob(name: string, args: string[]): KubeObject {
  return namespaced('Job', 'batch/v1', name, 'admission-webhook', {
    spec: {
      template: {
        metadata: { name, labels: labels('admission-webhook') },
        spec: {
          containers: [
            {
              name: name.endsWith('create') ? 'create' : 'patch',
              image: CERTGEN_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args,
              env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
              securityContext: { allowPrivilegeEscalation: false },
            },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux', 'minikube.k8s.io/primary': 'true' },
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, runAsUser: 2000 },
          serviceAccountName: 'ingress-nginx-admission',
        },
      },
    },
  });
}

const CONTROLLER_DEPLOYMENT = namespaced('Deployment', 'apps/v1', 'ingress-nginx-controller', 'controller', {
  spec: {
    minReadySeconds: 0,
    revisionHistoryLimit: 10,
    selector: { matchLabels: CONTROLLER_SELECTOR },
    strategy: { rollingUpdate: { maxUnavailable: 1 }, type: 'RollingUpdate' },
    template: {
      metadata: { labels: { ...CONTROLLER_SELECTOR, 'gcp-auth-skip-secret': 'true' } },
      spec: {
        containers: [
          {
            name: 'controller',
            image: CONTROLLER_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            args: [
              '/nginx-ingress-controller',
              '--election-id=ingress-nginx-leader',
              '--controller-class=k8s.io/ingress-nginx',
              '--watch-ingress-without-class=true',
              '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
              '--tcp-services-configmap=$(POD_NAMESPACE)/tcp-services',
              '--udp-services-configmap=$(POD_NAMESPACE)/udp-services',
              '--validating-webhook=:8443',
              '--validating-webhook-certificate=/usr/local/certificates/cert',
              '--validating-webhook-key=/usr/local/certificates/key',
            ],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' },
            ],
            ports: [
              { containerPort: 80, hostPort: 80, name: 'http', protocol: 'TCP' },
              { containerPort: 443, hostPort: 443, name: 'https', protocol: 'TCP' },
              { containerPort: 8443, name: 'webhook', protocol: 'TCP' },
            ],
            resources: { requests: { cpu: '100m', memory: '90Mi' } },
          },
        ],
        dnsPolicy: 'ClusterFirst',
        nodeSelector: { 'kubernetes.io/os': 'linux', 'minikube.k8s.io/primary': 'true' },
        serviceAccountName: 'ingress-nginx',
        terminationGracePeriodSeconds: 0,
        tolerations: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/master', operator: 'Equal' }],
      },
    },
  },
});

/** The add-on's objects in the order minikube's `kubectl apply` creates them. */
export function ingressManifests(): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: INGRESS_NAMESPACE, labels: NAME_LABELS },
    } as KubeObject,
    namespaced('ServiceAccount', 'v1', 'ingress-nginx', 'controller', { automountServiceAccountToken: true }),
    namespaced('ServiceAccount', 'v1', 'ingress-nginx-admission', 'admission-webhook', {}),
    namespaced('ConfigMap', 'v1', 'ingress-nginx-controller', 'controller', {
      data: { 'allow-snippet-annotations': 'false', hsts: 'false' },
    }),
    namespaced('Service', 'v1', 'ingress-nginx-controller', 'controller', {
      spec: {
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          { appProtocol: 'http', name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
          { appProtocol: 'https', name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' },
        ],
        selector: CONTROLLER_SELECTOR,
        type: 'NodePort',
      },
    }),
    namespaced('Service', 'v1', 'ingress-nginx-controller-admission', 'controller', {
      spec: {
        ports: [{ appProtocol: 'https', name: 'https-webhook', port: 443, targetPort: 'webhook' }],
        selector: CONTROLLER_SELECTOR,
        type: 'ClusterIP',
      },
    }),
    CONTROLLER_DEPLOYMENT,
    certgenJob('ingress-nginx-admission-create', [
      'create',
      '--host=ingress-nginx-controller-admission,ingress-nginx-controller-admission.$(POD_NAMESPACE).svc',
      '--namespace=$(POD_NAMESPACE)',
      '--secret-name=ingress-nginx-admission',
    ]),
    certgenJob('ingress-nginx-admission-patch', [
      'patch',
      '--webhook-name=ingress-nginx-admission',
      '--namespace=$(POD_NAMESPACE)',
      '--patch-mutating=false',
      '--secret-name=ingress-nginx-admission',
      '--patch-failure-policy=Fail',
    ]),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: {
        name: INGRESS_CLASS,
        labels: labels('controller'),
        annotations: { [DEFAULT_INGRESS_CLASS_ANNOTATION]: 'true' },
      },
      spec: { controller: INGRESS_CONTROLLER },
    } as KubeObject,
  ];
}

/** What `minikube addons enable ingress` creates, `disable` removes, and whether it is there. */
export const INGRESS: AddonBehaviour = {
  enable: (ctx) => applyManifests(ctx.api, ingressManifests()),
  disable: (ctx) => deleteManifests(ctx.api, ingressManifests()),
  isEnabled: (api) => exists(api, ingressManifests()[0]),
};
