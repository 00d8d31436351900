/**
 * `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME [--tcp=port[:targetPort]]...`
 * (cmd/create/create_service.go): one command per type, each with its own flags.
 */
import type { Service, ServicePort } from '../../api/types';
import { isDns1123Subdomain } from '../../server/validation';
import { StatusError } from '../../api/status-error';
import type { FlagSpec } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, UsageError } from '../context';
import { createAndPrint, DRY_RUN_FLAG } from './create-output';

const TCP: FlagSpec = {
  name: 'tcp',
  type: 'stringArray',
  default: [],
  description: "Port pairs can be specified as '<port>:<targetPort>'.",
};

const TYPE_FLAGS: Record<NonNullable<Service['spec']['type']>, FlagSpec[]> = {
  ClusterIP: [
    TCP,
    flag.string(
      'clusterip',
      undefined,
      '',
      "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).",
    ),
  ],
  NodePort: [
    TCP,
    flag.int('node-port', undefined, 0, 'Port used to expose the service on each node in a cluster.'),
  ],
  LoadBalancer: [TCP],
  ExternalName: [TCP, flag.string('external-name', undefined, '', 'External name of service')],
};

/** `--tcp=80`, `--tcp=80:8080`, `--tcp=80:http`: kubectl's port pairs. */
function ports(specs: string[]): ServicePort[] {
  return specs.map((spec) => {
    const [portText, targetText] = spec.split(/:(.*)/s);
    if (!/^\d+$/.test(portText) || Number(portText) > 65535)
      throw new CommandError(`strconv.ParseUint: parsing ${JSON.stringify(portText)}: invalid syntax`);
    const port = Number(portText);
    const target =
      targetText === undefined ? port : /^\d+$/.test(targetText) ? Number(targetText) : targetText;
    const name = targetText === undefined ? portText : `${portText}-${targetText}`;
    return { name, protocol: 'TCP', port, targetPort: target };
  });
}

function serviceCommand(word: string, type: NonNullable<Service['spec']['type']>): CommandDef {
  return {
    path: ['create', 'service', word],
    short: `Create a ${type} service`,
    usage: `kubectl create service ${word} NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none]`,
    flags: [...TYPE_FLAGS[type], flag.output(), DRY_RUN_FLAG],
    run(ctx, args) {
      const external = (args.flags['external-name'] as string | undefined) ?? '';
      if (type === 'ExternalName' && !external)
        throw new CommandError('required flag(s) "external-name" not set');
      if (args.positional.length !== 1)
        throw new UsageError(`exactly one NAME is required, got ${args.positional.length}`);
      const name = args.positional[0];
      const tcp = (args.flags.tcp as string[]).flatMap((v) => v.split(',')).filter((v) => v !== '');
      const clusterIp = (args.flags.clusterip as string | undefined) ?? '';
      if (type !== 'ExternalName' && tcp.length === 0 && clusterIp !== 'None')
        throw new CommandError('at least one tcp port specifier must be provided');
      if (type === 'ExternalName' && isDns1123Subdomain(external).length > 0)
        throw new CommandError(`invalid service external name ${external}`);
      const servicePorts = ports(tcp);
      const nodePort = (args.flags['node-port'] as number | undefined) ?? 0;
      if (nodePort > 0) for (const p of servicePorts) p.nodePort = nodePort;
      const labels = { app: name };
      const spec: Service['spec'] = {};
      if (servicePorts.length > 0) spec.ports = servicePorts;
      spec.selector = { ...labels };
      if (clusterIp) spec.clusterIP = clusterIp;
      spec.type = type;
      if (type === 'ExternalName') (spec as Record<string, unknown>).externalName = external;
      const service: Service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: namespaceFlag(args), labels },
        spec,
      };
      createAndPrint(ctx, args, service, 'created', (obj, opts) => {
        try {
          return ctx.cluster.api.create(obj, opts);
        } catch (error) {
          if (error instanceof StatusError)
            throw new CommandError(`failed to create ${type} service: ${error.message}`);
          throw error;
        }
      });
    },
  };
}

export const createServiceCommands: CommandDef[] = [
  serviceCommand('clusterip', 'ClusterIP'),
  serviceCommand('externalname', 'ExternalName'),
  serviceCommand('loadbalancer', 'LoadBalancer'),
  serviceCommand('nodeport', 'NodePort'),
];
