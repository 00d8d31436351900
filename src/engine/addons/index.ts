/**
 * The add-on registry: every add-on minikube v1.33.1 lists, in its order (by name), with its maintainer and default
 * state (pkg/minikube/assets/addons.go). The ones the lab runs carry their behaviour; the others are listed only.
 */
import type { ApiServer } from '../server/api-server';
import type { Addon, AddonBehaviour } from './addon';
import { DASHBOARD } from './dashboard';
import { INGRESS } from './ingress';
import { METRICS_SERVER } from './metrics-server';

function row(
  name: string,
  maintainer: string,
  extra: { verifiedMaintainer?: string; enabledByDefault?: boolean } = {},
): Addon {
  return Object.freeze({
    name,
    maintainer,
    enabledByDefault: extra.enabledByDefault ?? false,
    images: [],
    ...extra,
  });
}

function simulated(
  name: string,
  maintainer: string,
  images: readonly string[],
  behaviour: AddonBehaviour,
  verifiesPods = false,
): Addon {
  return Object.freeze({ name, maintainer, enabledByDefault: false, images, behaviour, verifiesPods });
}

export const ADDONS: readonly Addon[] = Object.freeze(
  [
    row('ambassador', '3rd party (Ambassador)'),
    row('auto-pause', 'minikube'),
    row('cloud-spanner', 'Google'),
    row('csi-hostpath-driver', 'Kubernetes'),
    simulated(
      'dashboard',
      'Kubernetes',
      ['docker.io/kubernetesui/dashboard:v2.7.0', 'docker.io/kubernetesui/metrics-scraper:v1.0.8'],
      DASHBOARD,
    ),
    row('default-storageclass', 'Kubernetes', { enabledByDefault: true }),
    row('efk', '3rd party (Elastic)'),
    row('freshpod', 'Google'),
    row('gcp-auth', 'Google'),
    row('gvisor', 'minikube'),
    row('headlamp', '3rd party (kinvolk.io)', { verifiedMaintainer: 'yolossn' }),
    row('helm-tiller', '3rd party (Helm)'),
    row('inaccel', '3rd party (InAccel [info@inaccel.com])'),
    simulated(
      'ingress',
      'Kubernetes',
      [
        'registry.k8s.io/ingress-nginx/controller:v1.10.1',
        'registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.4.1',
        'registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.4.1',
      ],
      INGRESS,
      true,
    ),
    row('ingress-dns', 'minikube'),
    row('inspektor-gadget', '3rd party (inspektor-gadget.io)', {
      verifiedMaintainer: 'https://github.com/orgs/inspektor-gadget/people',
    }),
    row('istio', '3rd party (Istio)'),
    row('istio-provisioner', '3rd party (Istio)'),
    row('kong', '3rd party (Kong HQ)', { verifiedMaintainer: '@gAmUssA' }),
    row('kubeflow', '3rd party'),
    row('kubevirt', '3rd party (KubeVirt)'),
    row('logviewer', '3rd party (unknown)'),
    row('metallb', '3rd party (MetalLB)'),
    simulated(
      'metrics-server',
      'Kubernetes',
      ['registry.k8s.io/metrics-server/metrics-server:v0.7.1'],
      METRICS_SERVER,
    ),
    row('nvidia-device-plugin', '3rd party (NVIDIA)'),
    row('nvidia-driver-installer', '3rd party (Nvidia)'),
    row('nvidia-gpu-device-plugin', '3rd party (Nvidia)'),
    row('olm', '3rd party (Operator Framework)'),
    row('pod-security-policy', '3rd party (unknown)'),
    row('portainer', '3rd party (Portainer.io)'),
    row('registry', 'minikube'),
    row('registry-aliases', '3rd party (unknown)'),
    row('registry-creds', '3rd party (UPMC Enterprises)'),
    row('storage-provisioner', 'minikube', { enabledByDefault: true }),
    row('storage-provisioner-gluster', '3rd party (Gluster)'),
    row('storage-provisioner-rancher', '3rd party (Rancher)'),
    row('volumesnapshots', 'Kubernetes'),
    row('yakd', '3rd party (marcnuri.com)', { verifiedMaintainer: 'manusa' }),
  ].sort((a, b) => (a.name < b.name ? -1 : 1)),
);

export function addonNamed(name: string): Addon | undefined {
  return ADDONS.find((a) => a.name === name);
}

/** The state `minikube addons list` shows: what the cluster holds for simulated add-ons, the default otherwise. */
export function isAddonEnabled(addon: Addon, api: ApiServer): boolean {
  return addon.behaviour ? addon.behaviour.isEnabled(api) : addon.enabledByDefault;
}

export type { Addon, AddonBehaviour, AddonContext } from './addon';
