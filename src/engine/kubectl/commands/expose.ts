import type { Deployment, Pod, ReplicaSet, Service, ServicePort } from '../../api/types';
import { CommandDef, flag } from '../command';
import { CommandError } from '../context';
import { createAndPrint, DRY_RUN_FLAG } from './create-output';
import { recordCommand, RECORD_FLAG } from './record';
import { reportErrors, resolveTargets } from './shared';

export const exposeCommand: CommandDef = {
  path: ['expose'],
  short:
    'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  usage:
    'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]',
  flags: [
    flag.string('port', undefined, '', 'The port that the service should serve on.'),
    flag.string(
      'target-port',
      undefined,
      '',
      'Name or number for the port on the container that the service should direct traffic to.',
    ),
    flag.string(
      'protocol',
      undefined,
      '',
      'The network protocol for the service to be created. Default is TCP.',
    ),
    flag.string(
      'type',
      undefined,
      '',
      'Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName.',
    ),
    flag.string('name', undefined, '', 'The name for the newly created object.'),
    flag.string('selector', undefined, '', 'A label selector to use for this service.'),
    flag.string('labels', 'l', '', 'Labels to apply to the service created by this call.'),
    flag.string('external-ip', undefined, '', 'Additional external IP address to accept for the service.'),
    flag.output(),
    DRY_RUN_FLAG,
    RECORD_FLAG,
  ],
  run(ctx, args) {
    const { targets, errors } = resolveTargets(ctx, args, args.positional, {});
    if (errors.length > 0) return reportErrors(ctx, errors);
    for (const { info, obj } of targets) {
      const { selector, containerPorts } = introspect(obj);
      const selectorFlag = args.flags.selector as string;
      const finalSelector = selectorFlag ? parseLabelPairs(selectorFlag) : selector;
      if (!finalSelector || Object.keys(finalSelector).length === 0)
        throw new CommandError(
          `couldn't retrieve selectors via --selector flag or introspection: the ${info.kind} has no selector`,
        );
      const protocol = ((args.flags.protocol as string) || 'TCP') as ServicePort['protocol'];
      const targetPortFlag = args.flags['target-port'] as string;
      let ports: ServicePort[];
      if (args.flags.port) {
        ports = (args.flags.port as string)
          .split(',')
          .map((p, i, all) =>
            servicePort(p, protocol, targetPortFlag, all.length > 1 ? `port-${i + 1}` : undefined),
          );
      } else if (containerPorts.length > 0) {
        ports = containerPorts.map((p, i) =>
          servicePort(
            String(p),
            protocol,
            targetPortFlag,
            containerPorts.length > 1 ? `port-${i + 1}` : undefined,
          ),
        );
      } else {
        throw new CommandError("couldn't find port via --port flag or introspection");
      }
      const name = (args.flags.name as string) || obj.metadata.name;
      const labels = args.flags.labels ? parseLabelPairs(args.flags.labels as string) : obj.metadata.labels;
      const service: Service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: obj.metadata.namespace, ...(labels ? { labels: { ...labels } } : {}) },
        spec: { ports, selector: { ...finalSelector } },
      };
      const type = args.flags.type as string;
      if (type) service.spec.type = type as Service['spec']['type'];
      if (args.flags['external-ip']) service.spec.externalIPs = [args.flags['external-ip'] as string];
      recordCommand(service, ['expose'], args);
      createAndPrint(ctx, args, service, 'exposed', (obj, opts) => ctx.cluster.api.create(obj, opts));
    }
    return 0;
  },
};

function servicePort(
  port: string,
  protocol: ServicePort['protocol'],
  targetPort: string,
  name?: string,
): ServicePort {
  const number = Number(port);
  if (!/^\d+$/.test(port)) throw new CommandError(`strconv.Atoi: parsing "${port}": invalid syntax`);
  const target = targetPort ? (/^\d+$/.test(targetPort) ? Number(targetPort) : targetPort) : number;
  return { ...(name ? { name } : {}), port: number, protocol, targetPort: target };
}

function parseLabelPairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [key, value, more] = pair.split('=');
    if (value === undefined || more !== undefined) throw new CommandError(`invalid label spec: ${pair}`);
    out[key] = value;
  }
  return out;
}

/** The selector and container ports kubectl reads from the exposed object (polymorphichelpers). */
function introspect(
  obj:
    Deployment | ReplicaSet | Pod | Service | { kind: string; metadata: { labels?: Record<string, string> } },
): {
  selector: Record<string, string> | undefined;
  containerPorts: number[];
} {
  switch (obj.kind) {
    case 'Deployment':
    case 'ReplicaSet': {
      const workload = obj as Deployment | ReplicaSet;
      if (workload.spec.selector.matchExpressions?.length)
        throw new CommandError(
          `couldn't convert expressions - "${JSON.stringify(workload.spec.selector.matchExpressions)}" to map-based selector format`,
        );
      return {
        selector: workload.spec.selector.matchLabels,
        containerPorts: workload.spec.template.spec.containers.flatMap((c) =>
          (c.ports ?? []).map((p) => p.containerPort),
        ),
      };
    }
    case 'Pod': {
      const pod = obj as Pod;
      return {
        selector: pod.metadata.labels,
        containerPorts: pod.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)),
      };
    }
    case 'Service': {
      const svc = obj as Service;
      return { selector: svc.spec.selector, containerPorts: (svc.spec.ports ?? []).map((p) => p.port) };
    }
    default:
      throw new CommandError(`cannot expose a ${obj.kind}`);
  }
}
