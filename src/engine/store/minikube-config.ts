/**
 * The ConfigMaps and ServiceAccounts a fresh minikube v1.33.1 (Kubernetes v1.30.0, kubeadm) has besides the ones
 * its workloads use: what the API server writes at start (extension-apiserver-authentication, the legacy token
 * tracking date), what kubeadm uploads (kubeadm-config, kubelet-config, cluster-info with its bootstrap token's
 * signature, the CoreDNS and kube-proxy addons' configuration, with minikube's Corefile edits), and one
 * ServiceAccount per controller of kube-controller-manager (kubeadm runs it with
 * --use-service-account-credentials, so each controller has its own). These are laid down once per process by the
 * real bootstrap and shared by every cluster through the boot image (snapshot/boot-image.ts): their data are
 * frozen literals there, only names, uids and timestamps are per cluster.
 */
import { createHmac } from 'node:crypto';
import type { ConfigMap } from '../api/types';
import { MINIKUBE_CA_PEM, PROXY_CLIENT_CA_PEM } from './minikube-ca';

/** The controllers that run with their own credentials in kube-controller-manager v1.30 (default controller set,
 *  plus kubeadm's bootstrapsigner and tokencleaner). */
export const CONTROLLER_SERVICE_ACCOUNTS: readonly string[] = [
  'attachdetach-controller',
  'bootstrap-signer',
  'certificate-controller',
  'clusterrole-aggregation-controller',
  'cronjob-controller',
  'daemon-set-controller',
  'deployment-controller',
  'disruption-controller',
  'endpoint-controller',
  'endpointslice-controller',
  'endpointslicemirroring-controller',
  'ephemeral-volume-controller',
  'expand-controller',
  'generic-garbage-collector',
  'horizontal-pod-autoscaler',
  'job-controller',
  'legacy-service-account-token-cleaner',
  'namespace-controller',
  'node-controller',
  'persistent-volume-binder',
  'pod-garbage-collector',
  'pv-protection-controller',
  'pvc-protection-controller',
  'replicaset-controller',
  'replication-controller',
  'resourcequota-controller',
  'root-ca-cert-publisher',
  'service-account-controller',
  'statefulset-controller',
  'token-cleaner',
  'ttl-after-finished-controller',
  'ttl-controller',
  'validatingadmissionpolicy-status-controller',
];

const API_SERVER = 'https://control-plane.minikube.internal:8443';

/** minikube's Corefile: kubeadm's, with `log` and a `hosts` block for host.minikube.internal added. */
const COREFILE = `.:53 {
    log
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    hosts {
       192.168.49.1 host.minikube.internal
       fallthrough
    }
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

const KUBE_PROXY_CONFIG = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: 10.244.0.0/16
configSyncPeriod: 0s
conntrack:
  maxPerCore: 0
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: 0s
  tcpEstablishedTimeout: 0s
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: 0.0.0.0:10249
mode: ""
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""`;

const KUBE_PROXY_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: ${API_SERVER}
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token`;

/** minikube's kubeadm ClusterConfiguration, as `kubeadm init` uploads it. */
const CLUSTER_CONFIGURATION = `apiServer:
  certSANs:
  - 127.0.0.1
  - localhost
  - 192.168.49.2
  extraArgs:
    authorization-mode: Node,RBAC
    enable-admission-plugins: NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,NodeRestriction,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota
  timeoutForControlPlane: 4m0s
apiVersion: kubeadm.k8s.io/v1beta3
certificatesDir: /var/lib/minikube/certs
clusterName: mk
controlPlaneEndpoint: control-plane.minikube.internal:8443
controllerManager:
  extraArgs:
    allocate-node-cidrs: "true"
    leader-elect: "false"
dns: {}
etcd:
  local:
    dataDir: /var/lib/minikube/etcd
    extraArgs:
      proxy-refresh-interval: "70000"
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: v1.30.0
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
scheduler:
  extraArgs:
    leader-elect: "false"
`;

/** minikube's KubeletConfiguration (cgroupfs, no disk-pressure eviction, no swap check), as kubeadm uploads it. */
const KUBELET_CONFIGURATION = `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /var/lib/minikube/certs/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: cgroupfs
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: unix:///var/run/cri-dockerd.sock
cpuManagerReconcilePeriod: 0s
evictionHard:
  imagefs.available: 0%
  nodefs.available: 0%
  nodefs.inodesFree: 0%
evictionPressureTransitionPeriod: 0s
failSwapOn: false
fileCheckFrequency: 0s
hairpinMode: hairpin-veth
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageGCHighThresholdPercent: 100
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 15m0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
`;

/** The kubeconfig kubeadm publishes in kube-public for joining nodes (the CA and the API server, no user). */
const CLUSTER_INFO_KUBECONFIG = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${Buffer.from(MINIKUBE_CA_PEM).toString('base64')}
    server: ${API_SERVER}
  name: ""
contexts: null
current-context: ""
kind: Config
preferences: {}
users: null
`;

/** kubeadm's default bootstrap token (the same in every lab cluster, like the CA: nothing joins with it). */
const BOOTSTRAP_TOKEN = { id: 'qh6sxc', secret: 'r3mw9v1ka8tzoe5n' };

/** The bootstrap signer's detached JWS of cluster-info's kubeconfig: `header..signature`, HS256 with the token. */
function detachedJws(content: string): string {
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  const header = b64(JSON.stringify({ alg: 'HS256', kid: BOOTSTRAP_TOKEN.id }));
  const signature = createHmac('sha256', `${BOOTSTRAP_TOKEN.id}.${BOOTSTRAP_TOKEN.secret}`)
    .update(`${header}.${b64(content)}`)
    .digest('base64url');
  return `${header}..${signature}`;
}

function configMap(namespace: string, name: string, data: Record<string, string>): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

/** The ConfigMaps, each with the seconds after boot at which it appears. */
export function bootConfigMaps(bootAt: number): { after: number; configMap: ConfigMap }[] {
  return [
    {
      after: 0,
      configMap: configMap('kube-system', 'extension-apiserver-authentication', {
        'client-ca-file': MINIKUBE_CA_PEM,
        'requestheader-allowed-names': '["front-proxy-client"]',
        'requestheader-client-ca-file': PROXY_CLIENT_CA_PEM,
        'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
        'requestheader-group-headers': '["X-Remote-Group"]',
        'requestheader-username-headers': '["X-Remote-User"]',
      }),
    },
    {
      // The API server notes the day it started tracking legacy service account tokens.
      after: 0,
      configMap: configMap('kube-system', 'kube-apiserver-legacy-service-account-token-tracking', {
        since: new Date(bootAt).toISOString().slice(0, 10),
      }),
    },
    {
      after: 4,
      configMap: configMap('kube-system', 'kubeadm-config', { ClusterConfiguration: CLUSTER_CONFIGURATION }),
    },
    { after: 4, configMap: configMap('kube-system', 'kubelet-config', { kubelet: KUBELET_CONFIGURATION }) },
    {
      after: 5,
      configMap: configMap('kube-public', 'cluster-info', {
        [`jws-kubeconfig-${BOOTSTRAP_TOKEN.id}`]: detachedJws(CLUSTER_INFO_KUBECONFIG),
        kubeconfig: CLUSTER_INFO_KUBECONFIG,
      }),
    },
    { after: 8, configMap: configMap('kube-system', 'coredns', { Corefile: COREFILE }) },
    {
      after: 8,
      configMap: {
        ...configMap('kube-system', 'kube-proxy', {
          'config.conf': KUBE_PROXY_CONFIG,
          'kubeconfig.conf': KUBE_PROXY_KUBECONFIG,
        }),
        metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
      },
    },
  ];
}
