/**
 * `minikube node list` (cmd/minikube/cmd/node_list.go): each node's machine name and IP, tab-separated. `node add`
 * and `node delete` take time on the cluster's clock and run from minikube-machine.ts; stopping and starting a single
 * node are not available (`minikube stop` / `minikube start` stop and start them all).
 */
import type { Node } from '../api/types';
import { EXIT, fatal } from './minikube-output';
import type { ProgramIO } from './programs';

export function runMinikubeNode(nodes: Node[], args: string[], io: ProgramIO): number {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    if (rest.some((a) => !a.startsWith('-'))) {
      io.stderr(fatal('MK_USAGE', 'Usage: minikube node list'));
      return 64;
    }
    for (const node of nodes) {
      const ip = node.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '';
      io.stdout(`${node.metadata.name}\t${ip}\n`);
    }
    return 0;
  }
  if (sub === 'start' || sub === 'stop') {
    io.stderr(
      `minikube node ${sub}: not available in this lab terminal (available: node list, node add, node delete NAME; minikube stop and minikube start stop and start every node)\n`,
    );
    return EXIT.programError;
  }
  io.stderr(
    sub === undefined
      ? 'minikube node: a subcommand is required (available in this lab terminal: list, add, delete)\n'
      : `Error: unknown command "${sub}" for "minikube node"\nRun 'minikube node --help' for usage.\n`,
  );
  return 1;
}
