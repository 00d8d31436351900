/**
 * `minikube ssh -- COMMAND` (and `minikube ssh COMMAND`): a command run on a node of the kicbase v0.0.44 image
 * (Ubuntu 22.04.4): hostname, cat /etc/os-release, ls of its root. `-n NODE` picks the node. An interactive
 * `minikube ssh` session and other programs are not available in the lab terminal and say so.
 */
import type { Node } from '../api/types';
import { fatal } from './minikube-output';
import type { ProgramIO } from './programs';

const OS_RELEASE = `PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=jammy
`;

/** The kicbase image's root directory. */
const ROOT = [
  'bin',
  'boot',
  'data',
  'dev',
  'etc',
  'home',
  'kic.txt',
  'kind',
  'lib',
  'lib32',
  'lib64',
  'libx32',
  'media',
  'mnt',
  'opt',
  'proc',
  'root',
  'run',
  'sbin',
  'srv',
  'sys',
  'tmp',
  'usr',
  'var',
];

export function runMinikubeSsh(nodes: Node[], args: string[], io: ProgramIO): number {
  let nodeName: string | undefined;
  const command: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (command.length === 0 && (arg === '-n' || arg === '--node')) nodeName = args[++i];
    else if (command.length === 0 && arg.startsWith('--node=')) nodeName = arg.slice('--node='.length);
    else if (arg === '--' && command.length === 0) continue;
    else command.push(arg);
  }
  const node = nodeName === undefined ? nodes[0] : nodes.find((n) => n.metadata.name === nodeName);
  if (!node) {
    io.stderr(fatal('GUEST_NODE_RETRIEVE', `retrieving node: Could not find node ${nodeName ?? ''}`));
    return 85;
  }
  if (command.length === 0) {
    io.stderr(
      'minikube ssh: an interactive session is not available in this lab terminal; run one command instead, e.g. minikube ssh -- cat /etc/os-release\n',
    );
    return 1;
  }
  // The command line is joined and run by the node's shell, as ssh does.
  const line = command.join(' ').trim();
  if (line === 'hostname') {
    io.stdout(`${node.metadata.name}\n`);
    return 0;
  }
  if (line === 'cat /etc/os-release') {
    io.stdout(OS_RELEASE);
    return 0;
  }
  if (line === 'ls /' || line === 'ls') {
    // `ls` of the docker user's home (empty) prints nothing.
    if (line === 'ls /') io.stdout(`${ROOT.join('  ')}\n`);
    return 0;
  }
  io.stderr(
    `minikube ssh: "${line}" is not available in this lab terminal (available: hostname, cat /etc/os-release, ls /)\n`,
  );
  return 127;
}
