/**
 * `minikube ssh -- COMMAND` (and `minikube ssh COMMAND`): a command run on a node of the kicbase v0.0.44 image
 * (Ubuntu 22.04.4): hostname, whoami, pwd, ls, ps, cat /etc/os-release. `-n NODE` picks the node. Without a
 * command, typed at the lab terminal, `minikube ssh` opens the node's shell (NodeShellSession) until `exit`; other
 * programs are not available and say so.
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

/**
 * An interactive `minikube ssh` session: the docker user's login shell on the node (`docker@NODE:~$ `). Lines typed
 * go to `runNodeShellLine` until `exit`.
 */
export interface NodeShellSession {
  node: string;
  prompt: string;
}

export function runMinikubeSsh(
  nodes: Node[],
  args: string[],
  io: ProgramIO,
  enterShell?: (session: NodeShellSession) => void,
): number {
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
    if (enterShell) {
      enterShell({ node: node.metadata.name, prompt: `docker@${node.metadata.name}:~$ ` });
      return 0;
    }
    io.stderr(
      'minikube ssh: an interactive session needs the lab terminal itself (not a pipe, a substitution or a background job); run one command instead, e.g. minikube ssh -- cat /etc/os-release\n',
    );
    return 1;
  }
  // The command line is joined and run by the node's shell, as ssh does.
  return nodeCommand(node.metadata.name, command.join(' ').trim(), io);
}

/** One line typed in the node shell; `ended` once it was `exit` (bash's login shell says `logout`). */
export function runNodeShellLine(
  session: NodeShellSession,
  line: string,
  io: ProgramIO,
): { exitCode: number; ended: boolean } {
  const text = line.trim();
  if (text === '') return { exitCode: 0, ended: false };
  if (text === 'exit' || text === 'logout') {
    io.stdout('logout\n');
    return { exitCode: 0, ended: true };
  }
  return { exitCode: nodeCommand(session.node, text, io), ended: false };
}

/** The commands the lab's node answers (the kicbase v0.0.44 image, logged in as `docker`). */
function nodeCommand(node: string, line: string, io: ProgramIO): number {
  switch (line) {
    case 'hostname':
      io.stdout(`${node}\n`);
      return 0;
    case 'whoami':
      io.stdout('docker\n');
      return 0;
    case 'pwd':
      io.stdout('/home/docker\n');
      return 0;
    case 'cat /etc/os-release':
      io.stdout(OS_RELEASE);
      return 0;
    case 'ls /':
      io.stdout(`${ROOT.join('  ')}\n`);
      return 0;
    case 'ls':
    case 'ls ~':
      // The docker user's home is empty.
      return 0;
    case 'ps':
      // The login shell and ps itself, on the session's pseudo-terminal.
      io.stdout(
        '    PID TTY          TIME CMD\n   1234 pts/1    00:00:00 bash\n   1240 pts/1    00:00:00 ps\n',
      );
      return 0;
    default:
      io.stderr(
        `minikube ssh: "${line}" is not available in this lab terminal (available: hostname, whoami, pwd, ls, ls /, ps, cat /etc/os-release, exit)\n`,
      );
      return 127;
  }
}
