import type { Service } from '../../api/types';
import { CommandDef, flag } from '../command';
import { CommandError } from '../context';
import { toGoYaml } from '../printers/yaml';

export const KUBECTL_VERSION = 'v1.30.0';
const KUSTOMIZE_VERSION = 'v5.0.4-0.20230601165947-6ce0bf390ce3';

/** The build identity `version` prints; the server's is what `engine serve` answers at /version. */
export function versionInfo(gitVersion: string = KUBECTL_VERSION): Record<string, string> {
  return {
    major: '1',
    minor: '30',
    gitVersion,
    gitCommit: '7c48c2bd72b9bf5c44d21d7338cc7bea77d0ad2a',
    gitTreeState: 'clean',
    buildDate: '2024-04-17T17:36:05Z',
    goVersion: 'go1.22.2',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export const versionCommand: CommandDef = {
  path: ['version'],
  short: 'Print the client and server version information',
  usage: 'kubectl version [flags]',
  flags: [
    flag.bool('client', undefined, false, 'If true, shows client version only (no server required).'),
    flag.output(),
  ],
  run(ctx, args) {
    const output = args.flags.output as string;
    const client = args.flags.client as boolean;
    const info = versionInfo;
    if (output !== '') {
      if (output !== 'yaml' && output !== 'json') throw new CommandError("--output must be 'yaml' or 'json'");
      const doc: Record<string, unknown> = {
        clientVersion: info(KUBECTL_VERSION),
        kustomizeVersion: KUSTOMIZE_VERSION,
      };
      if (!client) doc.serverVersion = info(KUBECTL_VERSION);
      // JSON keeps the struct's field order; YAML goes through a map (sorted keys). Both are printed with
      // fmt.Println, which adds a newline after the YAML's own.
      ctx.stdout(output === 'json' ? JSON.stringify(doc, null, 2) + '\n' : toGoYaml(doc) + '\n');
      return;
    }
    ctx.stdout(`Client Version: ${KUBECTL_VERSION}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`);
    if (!client) ctx.stdout(`Server Version: ${KUBECTL_VERSION}\n`);
  },
};

/** kubectl 1.30 colours the name green and the address yellow whether or not stdout is a terminal. */
function runningAt(name: string, url: string): string {
  return `\x1b[0;32m${name}\x1b[0m is running at \x1b[0;33m${url}\x1b[0m\n`;
}

export const clusterInfoCommand: CommandDef = {
  path: ['cluster-info'],
  short: 'Display cluster information',
  usage: 'kubectl cluster-info [flags]',
  flags: [],
  run(ctx, args) {
    if (args.positional[0] === 'dump')
      throw new CommandError('kubectl cluster-info dump is not available in this lab terminal');
    const server = `https://${ctx.cluster.nodeIp}:8443`;
    ctx.stdout(runningAt('Kubernetes control plane', server));
    const services = ctx.cluster.api.list<Service>('services', {
      namespace: 'kube-system',
      labelSelector: 'kubernetes.io/cluster-service=true',
    });
    for (const svc of services) {
      const display = svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name;
      for (const port of svc.spec.ports ?? []) {
        const segment = port.name ? `${svc.metadata.name}:${port.name}` : svc.metadata.name;
        const scheme = port.name === 'https' || port.port === 443 ? 'https:' : '';
        ctx.stdout(
          runningAt(display, `${server}/api/v1/namespaces/kube-system/services/${scheme}${segment}/proxy`),
        );
        break;
      }
    }
    ctx.stdout("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
  },
};
