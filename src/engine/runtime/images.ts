/**
 * The image catalogue: what the simulated registry can serve, with sizes, pull times and digests, and what the
 * image runs once started. The two bootcamp digests are the real ones (reference §5.7); other digests, sizes and
 * times are plausible values of this engine's own.
 */
import { flat } from '../api/flat-string';

export type AppKind =
  | 'bootcamp'
  | 'nginx'
  | 'busybox'
  | 'system'
  | BatchAppKind
  | ServerAppKind
  | MetricsAppKind
  | IngressAppKind;
/** The ingress add-on's images (issue 17): the ingress-nginx controller and the admission jobs' certgen. */
export type IngressAppKind = 'ingress-nginx' | 'webhook-certgen';
/** Images of the metrics add-ons and the HPA walkthrough (issue 17): their servers, and php-apache's `OK!`. */
export type MetricsAppKind = 'metrics-server' | 'dashboard' | 'metrics-scraper' | 'hpa-example';
/** Images of course examples with their own server or shell (issue 14, image-profiles.ts). */
export type ServerAppKind = 'httpd' | 'redis' | 'alpine' | 'httpbin';
/** Images of the Job examples (issue 14): perl for the pi Job, polinux/stress as the memory hog. */
export type BatchAppKind = 'perl' | 'stress';

export interface CatalogueImage {
  /** Repository as the runtime reports it in imageID (docker strips `docker.io/` and `library/`). */
  repository: string;
  digest: string;
  sizeBytes: number;
  /** Typical first-pull time on the minikube node, seconds. */
  pullSeconds: number;
  app: AppKind;
  /** Version the bootcamp app reports (`| v=1`). */
  version?: number;
}

/** A fixed pseudo-digest for images whose real digest the reference does not give. */
function pseudoDigest(name: string): string {
  let out = '';
  let h = 0x811c9dc5;
  for (let round = 0; out.length < 64; round++) {
    for (const ch of `${name}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return `sha256:${out.slice(0, 64)}`;
}

function image(
  repository: string,
  tag: string,
  sizeBytes: number,
  pullSeconds: number,
  app: AppKind,
  digest?: string,
  version?: number,
) {
  return [
    `${repository}:${tag}`,
    {
      repository,
      digest: digest ?? pseudoDigest(`${repository}:${tag}`),
      sizeBytes,
      pullSeconds,
      app,
      version,
    },
  ] as const;
}

const CATALOGUE = new Map<string, CatalogueImage>([
  image(
    'gcr.io/google-samples/kubernetes-bootcamp',
    'v1',
    211336459,
    13.6,
    'bootcamp',
    'sha256:0d6b8ee63bb57c5f5b6156f446b3bc3b3c143d233037f3a2f00e279c8fcc64af',
    1,
  ),
  image(
    'jocatalin/kubernetes-bootcamp',
    'v2',
    211336459,
    12.4,
    'bootcamp',
    'sha256:fb1a3ced00cecfc1f83f18ab5cd14199e30adc1b49aa4244f5d65ad3f5feb2a5',
    2,
  ),
  image('jocatalin/kubernetes-bootcamp', 'v1', 211336459, 12.9, 'bootcamp', undefined, 1),
  image('nginx', 'latest', 187694648, 8.2, 'nginx'),
  image('nginx', '1.25', 187659201, 8.1, 'nginx'),
  image('nginx', '1.27', 191670474, 8.3, 'nginx'),
  image('nginx', 'alpine', 43248283, 3.1, 'nginx'),
  image('nginx', 'stable', 192280521, 8.4, 'nginx'),
  image('busybox', 'latest', 4261550, 2.2, 'busybox'),
  image('busybox', '1.36', 4261550, 2.2, 'busybox'),
  image('busybox', 'stable', 4261550, 2.2, 'busybox'),
  image('busybox', '1.28', 1146369, 1.6, 'busybox'),
  image('nginx', '1.14.2', 109294489, 6.1, 'nginx'),
  image('nginx', '1.16.1', 126698063, 6.6, 'nginx'),
  image('httpd', 'latest', 147865402, 7.4, 'httpd'),
  image('httpd', '2.4', 147865402, 7.4, 'httpd'),
  image('httpd', 'alpine', 60932151, 3.9, 'httpd'),
  image('redis', 'latest', 116502283, 6.9, 'redis'),
  image('redis', '7.2', 116502283, 6.9, 'redis'),
  image('redis', '7', 116502283, 6.9, 'redis'),
  image('redis', 'alpine', 40980314, 3.2, 'redis'),
  image('alpine', 'latest', 7797760, 1.9, 'alpine'),
  image('alpine', '3.20', 7797760, 1.9, 'alpine'),
  image('alpine', '3.19', 7380352, 1.9, 'alpine'),
  // httpbin (gunicorn on port 80): its /delay/N answers after N seconds, the slow app a probe's timeout is shown with.
  image('kennethreitz/httpbin', 'latest', 533675008, 19.6, 'httpbin'),
  // Issue 14: the Job/CronJob examples of the Kubernetes documentation.
  image('busybox', '1.28', 1223894, 1.4, 'busybox'),
  image('perl', '5.34.0', 889814528, 38.5, 'perl'),
  image('perl', 'latest', 890180617, 38.9, 'perl'),
  image('polinux/stress', 'latest', 9744175, 2.6, 'stress'),
  // The probes page's liveness-exec example.
  image('registry.k8s.io/busybox', 'latest', 1144547, 1.1, 'busybox'),
  image('registry.k8s.io/coredns/coredns', 'v1.11.1', 59817826, 4.9, 'system'),
  image('registry.k8s.io/etcd', '3.5.12-0', 149257904, 9.0, 'system'),
  image('registry.k8s.io/kube-apiserver', 'v1.30.0', 117091968, 7.2, 'system'),
  image('registry.k8s.io/kube-controller-manager', 'v1.30.0', 111507232, 7.0, 'system'),
  image('registry.k8s.io/kube-scheduler', 'v1.30.0', 62015232, 4.8, 'system'),
  image('registry.k8s.io/kube-proxy', 'v1.30.0', 84669480, 5.6, 'system'),
  image('registry.k8s.io/pause', '3.9', 743952, 1.1, 'system'),
  image('gcr.io/k8s-minikube/storage-provisioner', 'v5', 31465472, 3.4, 'system'),
  // Issue 17: the ingress add-on (minikube v1.33.1 pins both by digest).
  image(
    'registry.k8s.io/ingress-nginx/controller',
    'v1.10.1',
    287000000,
    14.2,
    'ingress-nginx',
    'sha256:e24f39d3eed6bcc239a56f20098878845f62baa34b9f2be2fd2c38ce9fb0f29e',
  ),
  image(
    'registry.k8s.io/ingress-nginx/kube-webhook-certgen',
    'v1.4.1',
    56200000,
    3.9,
    'webhook-certgen',
    'sha256:36d05b4077fb8e3d13663702fa337f124675ba8667cbd949c03a8e8ea6fa4366',
  ),
  // Issue 17: the metrics-server and dashboard add-ons (pulled when enabled), the HPA walkthrough's php-apache.
  image(
    'registry.k8s.io/metrics-server/metrics-server',
    'v0.7.1',
    67140800,
    4.6,
    'metrics-server',
    'sha256:db3800085a0957083930c3932b17580eec652cfb6156a05c0f79c7543e80d17a',
  ),
  image(
    'kubernetesui/dashboard',
    'v2.7.0',
    249000000,
    11.8,
    'dashboard',
    'sha256:2e500d29e9d5f4a086b908eb8dfe7ecac57d2ab09d65b24f588b1d449841ef93',
  ),
  image(
    'kubernetesui/metrics-scraper',
    'v1.0.8',
    43800000,
    3.9,
    'metrics-scraper',
    'sha256:76049887f07a0476dc93efc2d3569b9529bf982b22d29f356092ce206e98765c',
  ),
  image('registry.k8s.io/hpa-example', 'latest', 481000000, 21.3, 'hpa-example'),
]);

/** The images a fresh minikube node already has (its preload tarball plus the addons). */
export const PRELOADED_IMAGES = [...CATALOGUE.entries()]
  .filter(([, img]) => img.app === 'system')
  .map(([ref]) => ref);

const REFERENCE_RE =
  /^(?:([a-z0-9.-]+(?::\d+)?)\/)?([a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

export interface ParsedImage {
  /** Canonical `repository:tag` the catalogue is keyed by (docker.io/library/ stripped). */
  key: string;
  registry: string;
  path: string;
  tag: string;
}

/** parseImage's answers by reference (frozen, shared): the kubelet parses a pod's image at every step of its start,
 *  the same few references in every cluster. Bounded, as references are typed by students. */
const PARSED = new Map<string, Readonly<ParsedImage | { error: string }>>();
const PARSED_MAX = 512;

/** Parses an image reference like docker does; returns an error message for an invalid one. */
export function parseImage(ref: string): Readonly<ParsedImage | { error: string }> {
  let parsed = PARSED.get(ref);
  if (parsed === undefined) {
    if (PARSED.size >= PARSED_MAX) PARSED.clear();
    parsed = Object.freeze(parseReference(ref));
    PARSED.set(ref, parsed);
  }
  return parsed;
}

function parseReference(ref: string): ParsedImage | { error: string } {
  const m = REFERENCE_RE.exec(ref);
  if (!m) {
    const reason = /[A-Z]/.test(ref) ? 'repository name must be lowercase' : 'invalid reference format';
    return {
      error: `couldn't parse image name "${ref}": invalid reference format${reason.startsWith('repository') ? `: ${reason}` : ''}`,
    };
  }
  let [, host, path, tag] = m;
  if (host && !host.includes('.') && !host.includes(':') && host !== 'localhost') {
    path = `${host}/${path}`;
    host = undefined as unknown as string;
  }
  const registry = host ?? 'docker.io';
  tag = tag ?? 'latest';
  let repository = registry === 'docker.io' ? path.replace(/^library\//, '') : `${registry}/${path}`;
  if (registry === 'docker.io' && !path.includes('/')) repository = path;
  return { key: `${repository}:${tag}`, registry, path, tag };
}

export function lookupImage(ref: string): CatalogueImage | undefined {
  const parsed = parseImage(ref);
  return 'error' in parsed ? undefined : CATALOGUE.get(parsed.key);
}

/** The daemon's error for an image the registry cannot serve (docker runtime, reference §5.5). */
export function pullFailure(ref: string): string {
  const parsed = parseImage(ref);
  if ('error' in parsed) return parsed.error;
  const knownRepository = [...CATALOGUE.keys()].some(
    (k) => k.slice(0, k.lastIndexOf(':')) === parsed.key.slice(0, parsed.key.lastIndexOf(':')),
  );
  const repo = parsed.key.slice(0, parsed.key.lastIndexOf(':'));
  if (
    parsed.registry === 'gcr.io' ||
    parsed.registry.endsWith('.gcr.io') ||
    parsed.registry === 'registry.k8s.io'
  ) {
    return `rpc error: code = Unknown desc = Error response from daemon: manifest for ${ref} not found: manifest unknown: Failed to fetch "${parsed.tag}" from request "/v2/${parsed.path}/manifests/${parsed.tag}".`;
  }
  if (parsed.registry === 'docker.io') {
    if (knownRepository)
      return `rpc error: code = Unknown desc = Error response from daemon: manifest for ${repo}:${parsed.tag} not found: manifest unknown: manifest unknown`;
    return `rpc error: code = Unknown desc = Error response from daemon: pull access denied for ${repo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`;
  }
  return `rpc error: code = Unknown desc = Error response from daemon: Get "https://${parsed.registry}/v2/": dial tcp: lookup ${parsed.registry} on 192.168.49.1:53: no such host`;
}

/** `docker-pullable://<repository>@<digest>`, the imageID docker reports for a pulled image. */
export function imageId(img: CatalogueImage): string {
  return flat(`docker-pullable://${img.repository}@${img.digest}`);
}
