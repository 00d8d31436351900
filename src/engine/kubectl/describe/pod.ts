import type {
  Container,
  ContainerState,
  ContainerStatus,
  KubeEvent,
  Pod,
  PodTemplateSpec,
  Probe,
  Toleration,
  Volume,
} from '../../api/types';
import { ageSince } from '../duration';
import { rfc1123z } from '../printers/format';
import { controllerOf, DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './common';

/** `kubectl describe pod` (§5.2). */
export function describePod(pod: Pod, events: KubeEvent[] | undefined, now: number): DescribeWriter {
  const w = new DescribeWriter();
  const status = pod.status;
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
  if (pod.spec.priority !== undefined) w.write(0, `Priority:\t${pod.spec.priority}\n`);
  if (pod.spec.priorityClassName) w.write(0, `Priority Class Name:\t${pod.spec.priorityClassName}\n`);
  if (pod.spec.serviceAccountName) w.write(0, `Service Account:\t${pod.spec.serviceAccountName}\n`);
  w.write(0, `Node:\t${pod.spec.nodeName ? `${pod.spec.nodeName}/${status?.hostIP ?? ''}` : '<none>'}\n`);
  if (status?.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  writeLabels(w, 'Labels', pod.metadata.labels);
  writeAnnotations(w, 'Annotations', pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && status?.phase !== 'Failed' && status?.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${ageSince(pod.metadata.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 30}s\n`);
  } else {
    w.write(0, `Status:\t${status?.phase ?? 'Pending'}\n`);
  }
  if (status?.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status?.message) w.write(0, `Message:\t${status.message.trim()}\n`);
  w.write(0, `IP:\t${status?.podIP ?? ''}\n`);
  const ips = status?.podIPs ?? [];
  if (ips.length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const controller = controllerOf(pod);
  if (controller) w.write(0, `Controlled By:\t${controller}\n`);
  if (pod.spec.initContainers?.length)
    writeContainers(w, 'Init Containers', pod.spec.initContainers, status?.initContainerStatuses, '', pod);
  writeContainers(w, 'Containers', pod.spec.containers, status?.containerStatuses, '', pod);
  const conditions = status?.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  writeVolumes(w, pod.spec.volumes, '');
  w.write(0, `QoS Class:\t${status?.qosClass ?? 'BestEffort'}\n`);
  writeLabels(w, 'Node-Selectors', pod.spec.nodeSelector);
  writeTolerations(w, 'Tolerations', pod.spec.tolerations);
  if (events) writeEvents(w, events, now);
  return w;
}

/** DescribePodTemplate, shared by deployments and replica sets. */
export function writePodTemplate(w: DescribeWriter, template: PodTemplateSpec): void {
  w.write(0, 'Pod Template:\n');
  writeLabels(w, '  Labels', template.metadata.labels);
  if (Object.keys(template.metadata.annotations ?? {}).length > 0)
    writeAnnotations(w, '  Annotations', template.metadata.annotations);
  if (template.spec.serviceAccountName) w.write(1, `Service Account:\t${template.spec.serviceAccountName}\n`);
  writeContainers(w, 'Containers', template.spec.containers, undefined, '  ');
  writeVolumes(w, template.spec.volumes, '  ');
  if (template.spec.priorityClassName)
    w.write(1, `Priority Class Name:\t${template.spec.priorityClassName}\n`);
  writeLabels(w, '  Node-Selectors', template.spec.nodeSelector);
  writeTolerations(w, '  Tolerations', template.spec.tolerations);
}

function writeContainers(
  w: DescribeWriter,
  label: string,
  containers: Container[],
  statuses: ContainerStatus[] | undefined,
  space: string,
  pod?: Pod,
): void {
  w.write(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const container of containers) {
    const status = statuses?.find((s) => s.name === container.name);
    w.write(1, `${space ? ' ' : ''}${container.name}:\n`);
    if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
    w.write(2, `Image:\t${container.image}\n`);
    if (status) w.write(2, `Image ID:\t${status.imageID}\n`);
    const ports = (container.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    const hostPorts = (container.ports ?? [])
      .map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`)
      .join(', ');
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    w.write(
      2,
      hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`,
    );
    if (container.command?.length) {
      w.write(2, 'Command:\n');
      for (const part of container.command) w.write(3, `${part}\n`);
    }
    if (container.args?.length) {
      w.write(2, 'Args:\n');
      for (const part of container.args) w.write(3, `${part}\n`);
    }
    if (status) {
      writeState(w, 'State', status.state);
      if (status.lastState?.terminated) writeState(w, 'Last State', status.lastState);
      w.write(2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${status.restartCount}\n`);
    }
    writeResources(w, container);
    writeProbes(w, container);
    writeEnvironment(w, container, pod);
    const mounts = [...(container.volumeMounts ?? [])].sort((a, b) => a.mountPath.localeCompare(b.mountPath));
    w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts)
      w.write(
        3,
        `${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'}${m.subPath ? `,path="${m.subPath}"` : ''})\n`,
      );
  }
}

/** describeContainerEnvFrom and describeContainerEnvVars. */
function writeEnvironment(w: DescribeWriter, container: Container, pod: Pod | undefined): void {
  const from = container.envFrom ?? [];
  if (from.length > 0) {
    w.write(2, 'Environment Variables from:\n');
    for (const source of from) {
      const ref = source.configMapRef ?? source.secretRef;
      const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
      const prefix = source.prefix ? ` with prefix '${source.prefix}'` : '';
      w.write(3, `${ref?.name ?? ''}\t${kind}${prefix}\tOptional: ${ref?.optional === true}\n`);
    }
  }
  const env = container.env ?? [];
  if (env.length === 0) return w.write(2, 'Environment:\t<none>\n');
  w.write(2, 'Environment:\n');
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      (e.value ?? '')
        .split('\n')
        .forEach((line, i) => w.write(3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`));
    } else if (from.fieldRef) {
      const path = from.fieldRef.fieldPath;
      const value = pod && path.startsWith('metadata.') ? metadataField(pod, path) : '';
      w.write(3, `${e.name}:\t${value} (${from.fieldRef.apiVersion ?? 'v1'}:${path})\n`);
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef;
      w.write(
        3,
        `${e.name}:\t<set to the key '${r.key}' in secret '${r.name}'>\tOptional: ${r.optional === true}\n`,
      );
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef;
      w.write(
        3,
        `${e.name}:\t<set to the key '${r.key}' of config map '${r.name}'>\tOptional: ${r.optional === true}\n`,
      );
    } else w.write(3, `${e.name}:\t\n`);
  }
}

function metadataField(pod: Pod, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return pod.metadata[m[1] as 'labels']?.[m[2]] ?? '';
  if (path === 'metadata.name') return pod.metadata.name;
  if (path === 'metadata.namespace') return pod.metadata.namespace ?? '';
  if (path === 'metadata.uid') return pod.metadata.uid ?? '';
  return '';
}

/** describeContainerProbe / DescribeProbe. */
function writeProbes(w: DescribeWriter, container: Container): void {
  for (const [title, probe] of [
    ['Liveness', container.livenessProbe],
    ['Readiness', container.readinessProbe],
    ['Startup', container.startupProbe],
  ] as const)
    if (probe) w.write(2, `${title}:\t${describeProbe(probe)}\n`);
}

function describeProbe(probe: Probe): string {
  const attrs = `delay=${probe.initialDelaySeconds ?? 0}s timeout=${probe.timeoutSeconds ?? 0}s period=${probe.periodSeconds ?? 0}s #success=${probe.successThreshold ?? 0} #failure=${probe.failureThreshold ?? 0}`;
  if (probe.exec) return `exec [${(probe.exec.command ?? []).join(' ')}] ${attrs}`;
  if (probe.httpGet) {
    const http = probe.httpGet;
    const port = String(http.port ?? '');
    // url.URL.String(): host:port (or the bare host without a port), a path always rooted.
    const host = port ? `${http.host ?? ''}:${port}` : (http.host ?? '');
    const path = http.path ?? '';
    return `http-get ${(http.scheme ?? '').toLowerCase()}://${host}${path && !path.startsWith('/') ? '/' : ''}${path} ${attrs}`;
  }
  if (probe.tcpSocket) return `tcp-socket ${probe.tcpSocket.host ?? ''}:${probe.tcpSocket.port} ${attrs}`;
  if (probe.grpc) return `grpc <pod>:${probe.grpc.port} ${probe.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function writeResources(w: DescribeWriter, container: Container): void {
  for (const [title, values] of [
    ['Limits', container.resources?.limits],
    ['Requests', container.resources?.requests],
  ] as const) {
    const keys = Object.keys(values ?? {}).sort();
    if (keys.length === 0) continue;
    w.write(2, `${title}:\n`);
    for (const key of keys) w.write(3, `${key}:\t${(values as Record<string, string>)[key]}\n`);
  }
}

function writeState(w: DescribeWriter, name: string, state: ContainerState): void {
  if (state.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    w.write(2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state.terminated) {
    const t = state.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
  }
}

function writeVolumes(w: DescribeWriter, volumes: Volume[] | undefined, space: string): void {
  if (!volumes || volumes.length === 0) return w.write(0, `${space}Volumes:\t<none>\n`);
  w.write(0, `${space}Volumes:\n`);
  for (const volume of volumes) {
    w.write(1, `${space ? ' ' : ''}${volume.name}:\n`);
    if (volume.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const source of volume.projected.sources as Record<
        string,
        { name?: string; optional?: boolean; expirationSeconds?: number }
      >[]) {
        if (source.serviceAccountToken)
          w.write(2, `TokenExpirationSeconds:\t${source.serviceAccountToken.expirationSeconds ?? 3607}\n`);
        else if (source.configMap)
          w.write(
            2,
            `ConfigMapName:\t${source.configMap.name}\n    ConfigMapOptional:\t${source.configMap.optional ?? '<nil>'}\n`,
          );
        else if (source.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
        else if (source.secret)
          w.write(
            2,
            `SecretName:\t${source.secret.name}\n    SecretOptionalName:\t${source.secret.optional ?? '<nil>'}\n`,
          );
      }
    } else if (volume.hostPath) {
      w.write(
        2,
        `Type:\tHostPath (bare host directory volume)\n    Path:\t${volume.hostPath.path}\n    HostPathType:\t${volume.hostPath.type ?? ''}\n`,
      );
    } else if (volume.configMap) {
      w.write(
        2,
        `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${volume.configMap.name}\n    Optional:\t${volume.configMap.optional === true}\n`,
      );
    } else if (volume.secret) {
      w.write(
        2,
        `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${volume.secret.secretName}\n    Optional:\t${volume.secret.optional === true}\n`,
      );
    } else if (volume.persistentVolumeClaim) {
      w.write(
        2,
        `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${volume.persistentVolumeClaim.claimName}\n    ReadOnly:\t${volume.persistentVolumeClaim.readOnly === true}\n`,
      );
    } else if (volume.downwardAPI) {
      w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n');
      w.write(2, 'Items:\n');
      for (const item of volume.downwardAPI.items ?? [])
        if (item.fieldRef) w.write(3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
    } else {
      w.write(
        2,
        "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t\n    SizeLimit:\t<unset>\n",
      );
    }
  }
}

function writeTolerations(w: DescribeWriter, title: string, tolerations: Toleration[] | undefined): void {
  w.write(0, `${title}:\t`);
  const list = [...(tolerations ?? [])].sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
  if (list.length === 0) return w.write(0, '<none>\n');
  list.forEach((t, i) => {
    let text = i > 0 ? '\t' : '';
    text += t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`;
    w.write(0, text + '\n');
  });
}
