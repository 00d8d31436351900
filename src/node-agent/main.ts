/**
 * Entry point of the control-plane container: one simulated cluster on real time, its lab terminal,
 * and the agent serving them on a unix socket; the same cluster's Kubernetes API on 127.0.0.1:PORT (0: none).
 * Prints AGENT_READY_MARKER when both accept requests.
 *
 *   node agent/main.js [--nodes N] [--seed N] [--socket PATH] [--home-file PATH] [--api-port PORT]
 *                      [--time-scale RATE]
 */
import path from 'node:path';
import { createCluster, LabTerminal, wallClock } from '../engine/index';
import { NodeAgent } from './agent';
import { AgentHome } from './agent-home';
import { listenApi } from './api-server';
import { AGENT_API_PORT, AGENT_READY_MARKER, DEFAULT_AGENT_SOCKET, DEFAULT_HOME_FILE } from './protocol';

interface AgentArgs {
  nodeCount: number;
  seed: number | undefined;
  socketPath: string;
  homeFile: string;
  apiPort: number;
  timeScale: number;
}

function parseArgs(argv: string[]): AgentArgs {
  const args: AgentArgs = {
    nodeCount: 1,
    seed: undefined,
    socketPath: DEFAULT_AGENT_SOCKET,
    homeFile: DEFAULT_HOME_FILE,
    apiPort: AGENT_API_PORT,
    timeScale: 1,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--nodes') args.nodeCount = wholeNumber(flag, value, 1, 9);
    else if (flag === '--seed') args.seed = wholeNumber(flag, value, 0, 2 ** 31);
    else if (flag === '--socket') args.socketPath = value;
    else if (flag === '--home-file') args.homeFile = value;
    else if (flag === '--api-port') args.apiPort = wholeNumber(flag, value, 0, 65535);
    else if (flag === '--time-scale') args.timeScale = wholeNumber(flag, value, 1, 100);
    else
      throw new Error(
        `unknown option ${flag} (expected --nodes, --seed, --socket, --home-file, --api-port, --time-scale)`,
      );
  }
  return args;
}

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new Error(`${flag}: expected ${min}..${max}, got ${raw}`);
  return value;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cluster = createCluster({
    nodeCount: args.nodeCount,
    seed: args.seed,
    clock: wallClock(args.timeScale),
  });
  const terminal = new LabTerminal(cluster);
  const agent = new NodeAgent({
    socketPath: args.socketPath,
    cluster,
    terminal,
    home: await AgentHome.open(terminal.home, args.homeFile),
    nodeCount: args.nodeCount,
    claimFile: path.join(path.dirname(args.socketPath), 'claim.json'),
  });
  await agent.listen();
  // The terminal's cluster object itself: what the API writes, the next terminal line sees, and the reverse.
  const api = args.apiPort === 0 ? undefined : await listenApi(cluster, args.apiPort);
  const stop = () => void Promise.all([agent.close(), api?.close()]).finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${AGENT_READY_MARKER} (nodes=${args.nodeCount})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`kubelab-agent: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
