/**
 * k3s nodes (rancher/k3s), for operators whose engine can pull the image. A real Kubernetes runs inside,
 * so the container must be privileged (k3s needs it) and gets more memory than the defaults suggest.
 * What differs from the project's image: only kubectl lines run (as `k3s kubectl`, without a shell);
 * minikube, curl, pipes and `kubectl exec -ti` shells are not available, and outputs are the real
 * cluster's (names, IPs, timings differ from the reference minikube).
 */
import type { DockerRepository } from '../../infra/docker/docker.repository';
import { tokenize } from '../../engine/terminal/tokenizer';
import { ABORTED_EXIT } from '../../node-agent/protocol';
import type { ExecResult, KubeObjectJson, ObjectQuery, OutputSink } from '../cluster-driver';
import { execCollect, type FlavourSpec, type NodeFlavour, type NodePlan } from './node-flavour';
import { randomUUID } from 'node:crypto';

const SERVER_ALIAS = 'kubelab-control-plane';
const NOT_AVAILABLE = 127;

export class K3sFlavour implements NodeFlavour {
  readonly name = 'k3s' as const;
  /** Every line is its own `docker exec` of `k3s kubectl` (with its own pid file for abort): no shared state. */
  readonly concurrentRuns = true;
  /** A bare `k3s kubectl` per line: there is no lab terminal, so no home for `> file` or `-f file`. */
  readonly homeFiles = false;
  /** Real kubectl edit would start a real editor, and the node has none the page can drive. */
  readonly editorPane = false;
  /** k3s's API server wants TLS and its own credentials; the platform does not serve it to students' kubectl yet. */
  readonly kubernetesApi = false;

  constructor(readonly image: string) {}

  containerSpec(node: NodePlan): FlavourSpec {
    // The join token only has to be shared by the nodes of one internal network; the key is unique per cluster.
    const env = [`K3S_TOKEN=kubelab-${node.clusterKey}`];
    const common = {
      user: undefined,
      privileged: true,
      readonlyRootfs: false,
      tmpfs: { '/run': '', '/var/run': '' },
    };
    if (node.role === 'control-plane') {
      return {
        ...common,
        env,
        cmd: [
          'server',
          `--node-name=${node.nodeName}`,
          '--disable=traefik,metrics-server',
          '--write-kubeconfig-mode=600',
        ],
        networkAliases: [SERVER_ALIAS],
      };
    }
    return {
      ...common,
      env: [...env, `K3S_URL=https://${SERVER_ALIAS}:6443`],
      cmd: ['agent', `--node-name=${node.nodeName}`],
    };
  }

  async waitReady(
    docker: DockerRepository,
    controlPlane: string,
    nodeCount: number,
    timeoutMs: number,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      try {
        const list = JSON.parse(
          await execCollect(docker, controlPlane, ['k3s', 'kubectl', 'get', 'nodes', '-o', 'json']),
        ) as {
          items: { status?: { conditions?: { type: string; status: string }[] } }[];
        };
        const ready = list.items.filter((n) =>
          n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        if (ready.length >= nodeCount) return;
        last = `${ready.length} of ${nodeCount} nodes Ready`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`k3s in ${controlPlane} was not ready within ${timeoutMs} ms (${last})`);
  }

  async exec(
    docker: DockerRepository,
    controlPlane: string,
    line: string,
    sink: OutputSink,
    signal: AbortSignal,
  ): Promise<ExecResult> {
    return { exitCode: await this.runKubectl(docker, controlPlane, line, sink, signal) };
  }

  private async runKubectl(
    docker: DockerRepository,
    controlPlane: string,
    line: string,
    sink: OutputSink,
    signal: AbortSignal,
  ): Promise<number> {
    if (signal.aborted) return ABORTED_EXIT;
    const argv = kubectlArgv(line);
    if (typeof argv === 'string') {
      sink.stderr(argv + '\n');
      return NOT_AVAILABLE;
    }
    if (argv.length === 0) return 0;
    // The shell records its pid so an abort can signal kubectl (the exec API cannot).
    const pidFile = `/tmp/kubelab-exec-${randomUUID()}.pid`;
    const script = `echo $$ > ${pidFile}; exec k3s kubectl "$@"`;
    const cancel = () =>
      void docker.exec(controlPlane, ['sh', '-c', `kill -INT $(cat ${pidFile}) 2>/dev/null`], {
        onStdout() {},
        onStderr() {},
      });
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const code = await docker.exec(controlPlane, ['sh', '-c', script, 'kubectl', ...argv.slice(1)], {
        onStdout: (chunk) => sink.stdout(chunk),
        onStderr: (chunk) => sink.stderr(chunk),
      });
      return signal.aborted ? ABORTED_EXIT : code;
    } finally {
      signal.removeEventListener('abort', cancel);
      void docker
        .exec(controlPlane, ['rm', '-f', pidFile], { onStdout() {}, onStderr() {} })
        .catch(() => undefined);
    }
  }

  async readObjects(
    docker: DockerRepository,
    controlPlane: string,
    query: ObjectQuery,
  ): Promise<KubeObjectJson[]> {
    // kubectl refuses a name across all namespaces: without a namespace, list everything and filter by name.
    const argv = ['k3s', 'kubectl', 'get', query.kind];
    if (query.namespace === undefined) argv.push('--all-namespaces');
    else argv.push(`--namespace=${query.namespace}`, ...(query.name === undefined ? [] : [query.name]));
    if (query.labelSelector !== undefined) argv.push(`--selector=${query.labelSelector}`);
    argv.push('--ignore-not-found', '-o', 'json');
    let output: string;
    try {
      output = (await execCollect(docker, controlPlane, argv)).trim();
    } catch (error) {
      // A kind the cluster does not serve has no objects, as on the other node images.
      if (/doesn't have a resource type/.test((error as Error).message)) return [];
      throw error;
    }
    if (output === '') return [];
    const parsed = JSON.parse(output) as KubeObjectJson & { items?: KubeObjectJson[] };
    const objects = parsed.items ?? [parsed];
    return query.name === undefined ? objects : objects.filter((o) => o.metadata.name === query.name);
  }

  async recordClaim(): Promise<void> {
    // k3s has no agent: a claimed cluster's identity lives in its container names only.
  }
}

/** argv for a plain `kubectl …` line; a message for anything else (no shell runs on a privileged node). */
export function kubectlArgv(line: string): string[] | string {
  let parsed;
  try {
    parsed = tokenize(line);
  } catch (error) {
    return (error as Error).message;
  }
  if (parsed.stages.length === 0) return [];
  if (parsed.redirects.length > 0)
    return 'redirection into files is not available on k3s nodes (the kubelab node image supports it)';
  if (parsed.stages.length > 1)
    return 'pipes are not available on k3s nodes (the kubelab node image supports them)';
  const argv: string[] = [];
  for (const word of parsed.stages[0]) {
    if (word.parts.some((part) => part.kind !== 'text')) {
      return '$variables and $(...) are not available on k3s nodes (the kubelab node image supports them)';
    }
    argv.push(word.parts.map((part) => (part.kind === 'text' ? part.text : '')).join(''));
  }
  if (argv[0] !== 'kubectl') {
    return `${argv[0]}: command not available on k3s nodes: only kubectl lines run there (minikube and curl need the kubelab node image)`;
  }
  return argv;
}
