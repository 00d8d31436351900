import { StatusError } from '../api/status-error';
import type { ConfigMap, Deployment, Namespace, Pod, Service } from '../api/types';
import { checkInvariants } from '../invariants';
import { BOOTCAMP_V1, deploymentFor, labCluster, nodePortServiceFor } from '../testing';
import { DNS1035_LABEL_MSG, DNS1123_SUBDOMAIN_MSG, LABEL_VALUE_MSG } from './validation';

function statusOf(fn: () => unknown): StatusError['status'] {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatusError) return error.status;
    throw error;
  }
  throw new Error('expected a StatusError');
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

describe('API server', () => {
  describe('validation texts (reference §1.8)', () => {
    it('rejects an upper-case deployment name with only the metadata.name cause', () => {
      const { cluster } = labCluster();
      const status = statusOf(() => cluster.api.create(deploymentFor('Yanwei', BOOTCAMP_V1)));
      expect(status.reason).toBe('Invalid');
      expect(status.message).toBe(
        `Deployment.apps "Yanwei" is invalid: metadata.name: Invalid value: "Yanwei": ${DNS1123_SUBDOMAIN_MSG}`,
      );
      expect(DNS1123_SUBDOMAIN_MSG).toBe(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
    });

    it('limits the annotations of an object to 256 KiB of keys and values (field.TooLong)', () => {
      const { cluster } = labCluster();
      const configMap = (name: string, annotations: Record<string, string>): ConfigMap => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, annotations },
      });
      expect(() => cluster.api.create(configMap('fits', { a: 'x'.repeat(256 * 1024 - 1) }))).not.toThrow();
      const big = configMap('big', { a: 'x'.repeat(256 * 1024), 'bad key': '' });
      const status = statusOf(() => cluster.api.create(big));
      expect(status.reason).toBe('Invalid');
      expect(status.details?.causes?.map((c) => `${c.field}: ${c.message}`)).toEqual([
        expect.stringMatching(/^metadata\.annotations: Invalid value: "bad key": name part must consist/),
        'metadata.annotations: Too long: must have at most 262144 bytes',
      ]);
    });

    it('aggregates several causes in brackets', () => {
      const { cluster } = labCluster();
      const d = deploymentFor('foo:bar', BOOTCAMP_V1);
      const status = statusOf(() => cluster.api.create(d));
      expect(
        status.message.startsWith(
          'Deployment.apps "foo:bar" is invalid: [metadata.name: Invalid value: "foo:bar": a lowercase RFC 1123 subdomain',
        ),
      ).toBe(true);
      expect(status.message).toContain(`, metadata.labels: Invalid value: "foo:bar": ${LABEL_VALUE_MSG}`);
      expect(status.details?.causes?.[0]).toEqual({
        field: 'metadata.name',
        message: `Invalid value: "foo:bar": ${DNS1123_SUBDOMAIN_MSG}`,
      });
      expect(LABEL_VALUE_MSG).toBe(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      );
    });

    it('rejects a service named like the deployment (DNS-1035 label)', () => {
      const { cluster } = labCluster();
      const status = statusOf(() => cluster.api.create(nodePortServiceFor('yanwei.app', 'yanwei.app')));
      expect(status.message).toBe(
        `Service "yanwei.app" is invalid: metadata.name: Invalid value: "yanwei.app": ${DNS1035_LABEL_MSG}`,
      );
      expect(DNS1035_LABEL_MSG).toBe(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      );
    });

    it('rejects namespace names with dots and over-long names', () => {
      const { cluster } = labCluster();
      const ns = (name: string): Namespace => ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
        spec: { finalizers: [] },
        status: { phase: 'Active' },
      });
      expect(statusOf(() => cluster.api.create(ns('a.b'))).message).toBe(
        'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots',
      );
      const long = 'a'.repeat(64);
      expect(statusOf(() => cluster.api.create(ns(long))).message).toBe(
        `Namespace "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 63 characters`,
      );
    });

    it('checks label values on update and the selector against the template', () => {
      const { cluster } = labCluster();
      cluster.api.create(deploymentFor('web', BOOTCAMP_V1));
      const node = cluster.api.get('nodes', undefined, 'minikube');
      node.metadata.labels = { ...node.metadata.labels, disktype: 's s' };
      expect(statusOf(() => cluster.api.update(node)).message).toBe(
        `Node "minikube" is invalid: metadata.labels: Invalid value: "s s": ${LABEL_VALUE_MSG}`,
      );
      const d = deploymentFor('other', BOOTCAMP_V1);
      d.spec.template.metadata.labels = { app: 'different' };
      expect(statusOf(() => cluster.api.create(d)).message).toBe(
        'Deployment.apps "other" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"different"}: `selector` does not match template `labels`',
      );
    });
  });

  describe('errors', () => {
    it('uses the real NotFound / AlreadyExists texts', () => {
      const { cluster } = labCluster();
      expect(statusOf(() => cluster.api.get('deployments', 'default', 'kubernetes-bootcamp'))).toMatchObject({
        reason: 'NotFound',
        message: 'deployments.apps "kubernetes-bootcamp" not found',
      });
      expect(statusOf(() => cluster.api.delete('services', 'default', 'yanwei')).message).toBe(
        'services "yanwei" not found',
      );
      cluster.api.create(deploymentFor('yanwei.app', BOOTCAMP_V1));
      expect(statusOf(() => cluster.api.create(deploymentFor('yanwei.app', BOOTCAMP_V1))).message).toBe(
        'deployments.apps "yanwei.app" already exists',
      );
      const elsewhere = deploymentFor('x', BOOTCAMP_V1);
      elsewhere.metadata.namespace = 'dns-ns';
      expect(statusOf(() => cluster.api.create(elsewhere)).message).toBe('namespaces "dns-ns" not found');
      expect(statusOf(() => cluster.api.delete('namespaces', undefined, 'kube-system'))).toMatchObject({
        reason: 'Forbidden',
        message: 'namespaces "kube-system" is forbidden: this namespace may not be deleted',
      });
    });

    it('rejects a stale resourceVersion with Conflict and accepts a missing one', () => {
      const { cluster } = labCluster();
      const created = cluster.api.create(deploymentFor('web', BOOTCAMP_V1));
      const stale = structuredClone(created);
      const fresh = cluster.api.get<Deployment>('deployments', 'default', 'web');
      expect(Number(fresh.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.metadata.resourceVersion),
      );
      stale.spec.replicas = 2;
      expect(statusOf(() => cluster.api.update(stale)).reason).toBe('Conflict');
      delete stale.metadata.resourceVersion;
      expect(cluster.api.update(stale).metadata.generation).toBe(2);
    });

    it('skips an update that changes nothing: same resourceVersion, no watch event', () => {
      const { cluster } = labCluster();
      cluster.api.create<ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'same', labels: { a: '1' } },
        data: { k: 'v' },
      });
      const stored = cluster.api.get<ConfigMap>('configmaps', 'default', 'same');
      const events: string[] = [];
      const stop = cluster.api.watch('configmaps', { namespace: 'default' }, (type, obj) =>
        events.push(`${type} ${obj.metadata.name} ${obj.metadata.resourceVersion}`),
      );
      const revision = cluster.store.revision;
      // Without a resourceVersion (as a PUT may come), and with the current one.
      const again = structuredClone(stored);
      delete again.metadata.resourceVersion;
      expect(cluster.api.update(again).metadata.resourceVersion).toBe(stored.metadata.resourceVersion);
      expect(cluster.api.update(structuredClone(stored)).metadata.resourceVersion).toBe(
        stored.metadata.resourceVersion,
      );
      expect(cluster.store.revision).toBe(revision);
      const changed = structuredClone(stored);
      changed.metadata.labels = { a: '2' };
      const written = cluster.api.update(changed);
      cluster.sync();
      stop();
      expect(Number(written.metadata.resourceVersion)).toBeGreaterThan(
        Number(stored.metadata.resourceVersion),
      );
      expect(events).toEqual([`MODIFIED same ${written.metadata.resourceVersion}`]);
    });

    it('reports bad selectors as BadRequest', () => {
      const { cluster } = labCluster();
      expect(statusOf(() => cluster.api.list('pods', { labelSelector: 'app in (a' })).reason).toBe(
        'BadRequest',
      );
      expect(statusOf(() => cluster.api.list('pods', { fieldSelector: 'foo=bar' })).message).toContain(
        'field label not supported: foo',
      );
    });
  });

  describe('list and selectors', () => {
    it('lists in etcd key order and filters by label and field selectors', () => {
      const { cluster } = labCluster();
      const names = cluster.api.list('pods', {}).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
      expect(names).toEqual([...names].sort());
      expect(
        cluster.api
          .list('pods', { namespace: 'kube-system', labelSelector: 'tier=control-plane' })
          .map((p) => p.metadata.name),
      ).toEqual([
        'etcd-minikube',
        'kube-apiserver-minikube',
        'kube-controller-manager-minikube',
        'kube-scheduler-minikube',
      ]);
      expect(
        cluster.api.list('pods', { namespace: 'kube-system', labelSelector: 'k8s-app in (kube-dns),!tier' }),
      ).toHaveLength(1);
      expect(cluster.api.list<Pod>('pods', { fieldSelector: 'status.phase!=Running' })).toEqual([]);
      expect(cluster.api.list('nodes', { namespace: 'ignored' }).map((n) => n.metadata.name)).toEqual([
        'minikube',
      ]);
    });

    it('resolves kinds and aliases like kubectl', () => {
      const { cluster } = labCluster();
      expect(cluster.api.resourceFor('po')?.resource).toBe('pods');
      expect(cluster.api.resourceFor('deployment.apps')).toMatchObject({
        resource: 'deployments',
        group: 'apps',
        kind: 'Deployment',
      });
      expect(cluster.api.resourceFor('SVC')?.resource).toBe('services');
      expect(cluster.api.resourceFor('rs')?.namespaced).toBe(true);
      expect(cluster.api.resourceFor('no')?.namespaced).toBe(false);
      expect(cluster.api.resourceFor('foo')).toBeUndefined();
    });
  });

  describe('service IP and NodePort allocation (reference §4.6)', () => {
    it('keeps the well-known ClusterIPs and allocates the rest from the upper band without duplicates', () => {
      const { cluster } = labCluster({ seed: 3 });
      expect(cluster.api.get<Service>('services', 'default', 'kubernetes').spec.clusterIP).toBe('10.96.0.1');
      expect(cluster.api.get<Service>('services', 'kube-system', 'kube-dns').spec.clusterIP).toBe(
        '10.96.0.10',
      );
      const ips = new Set<string>();
      const ports = new Set<number>();
      for (let i = 0; i < 60; i++) {
        const svc = cluster.api.create(nodePortServiceFor('app', `svc-${i}`));
        const ip = svc.spec.clusterIP!;
        const n = ipToInt(ip);
        expect(n).toBeGreaterThanOrEqual(ipToInt('10.96.1.0'));
        expect(n).toBeLessThanOrEqual(ipToInt('10.111.255.254'));
        expect(svc.spec.clusterIPs).toEqual([ip]);
        const port = svc.spec.ports![0].nodePort!;
        expect(port).toBeGreaterThanOrEqual(30086);
        expect(port).toBeLessThanOrEqual(32767);
        ips.add(ip);
        ports.add(port);
      }
      expect(ips.size).toBe(60);
      expect(ports.size).toBe(60);
      expect(checkInvariants(cluster)).toEqual([]);
    });

    it('is deterministic for a seed', () => {
      const allocate = () => {
        const { cluster } = labCluster({ seed: 11 });
        const svc = cluster.api.create(nodePortServiceFor('yanwei.app', 'yanwei'));
        return [svc.spec.clusterIP, svc.spec.ports![0].nodePort];
      };
      expect(allocate()).toEqual(allocate());
    });

    it('rejects an explicit nodePort that is taken or out of range, with the real texts', () => {
      const { cluster } = labCluster();
      const first = nodePortServiceFor('a', 'first');
      first.spec.ports![0].nodePort = 31000;
      expect(cluster.api.create(first).spec.ports![0].nodePort).toBe(31000);
      const second = nodePortServiceFor('a', 'second');
      second.spec.ports![0].nodePort = 31000;
      const taken = statusOf(() => cluster.api.create(second));
      expect(taken).toMatchObject({
        reason: 'Invalid',
        message:
          'Service "second" is invalid: spec.ports[0].nodePort: Invalid value: 31000: provided port is already allocated',
      });
      second.spec.ports![0].nodePort = 80;
      expect(statusOf(() => cluster.api.create(second)).message).toBe(
        'Service "second" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
      );
      const dns = nodePortServiceFor('a', 'dns');
      dns.spec.clusterIP = '10.96.0.10';
      expect(statusOf(() => cluster.api.create(dns)).message).toBe(
        'Service "dns" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
      );
      // Nothing was allocated by the rejected requests; deleting releases the port for reuse.
      cluster.api.delete('services', 'default', 'first');
      second.spec.ports![0].nodePort = 31000;
      expect(cluster.api.create(second).spec.ports![0].nodePort).toBe(31000);
      expect(checkInvariants(cluster)).toEqual([]);
    });

    it('defaults a NodePort service like expose does', () => {
      const { cluster } = labCluster();
      const svc = cluster.api.create(nodePortServiceFor('yanwei.app', 'yanwei'));
      expect(svc.spec).toMatchObject({
        type: 'NodePort',
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
      });
      expect(svc.spec.ports![0]).toMatchObject({ protocol: 'TCP', port: 8080, targetPort: 8080 });
    });
  });

  describe('defaults (reference §4.5)', () => {
    it('defaults a deployment and its pods', () => {
      const { cluster } = labCluster();
      const d = cluster.api.create(deploymentFor('yanwei.app', BOOTCAMP_V1));
      expect(d.spec).toMatchObject({
        replicas: 1,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      });
      expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
      const [pod] = cluster.api.list<Pod>('pods', { namespace: 'default' });
      expect(pod.spec).toMatchObject({
        serviceAccountName: 'default',
        terminationGracePeriodSeconds: 30,
        priority: 0,
        enableServiceLinks: true,
      });
      expect(pod.spec.tolerations).toEqual([
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ]);
      expect(pod.spec.volumes?.[0].name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.spec.containers[0].volumeMounts?.[0]).toMatchObject({
        mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
        readOnly: true,
      });
      const latest = cluster.api.create(deploymentFor('latest', 'nginx'));
      expect(latest.spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    });
  });
});
