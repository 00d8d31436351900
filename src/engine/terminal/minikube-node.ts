/**
 * `minikube node list` (cmd/minikube/cmd/node_list.go): each node's machine name and IP, tab-separated. Adding,
 * deleting, stopping and starting nodes change the cluster's shape, which the lab terminal does not do: they say so.
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
  if (sub === 'add' || sub === 'delete' || sub === 'start' || sub === 'stop') {
    io.stderr(
      `minikube node ${sub}: not available in this lab terminal (the lab's cluster keeps the nodes it was created with; available: node list)\n`,
    );
    return EXIT.programError;
  }
  io.stderr(
    sub === undefined
      ? 'minikube node: a subcommand is required (available in this lab terminal: list)\n'
      : `Error: unknown command "${sub}" for "minikube node"\nRun 'minikube node --help' for usage.\n`,
  );
  return 1;
}
