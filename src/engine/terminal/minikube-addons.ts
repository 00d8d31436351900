/**
 * `minikube addons list | enable NAME | disable NAME` with minikube v1.33.1's messages (cmd/minikube/cmd/config/
 * addons_list.go, enable.go, disable.go; pkg/addons/addons.go). Only the add-ons the lab simulates can be enabled;
 * enabling another one says so instead of pretending.
 */
import { ADDONS, addonNamed, isAddonEnabled, type Addon } from '../addons';
import { OFFICIAL_MAINTAINERS } from '../addons/addon';
import { renderTable } from '../addons/table';
import type { Cluster } from '../cluster';
import { EXIT, fatal, fatalWithIssueBox, STYLE } from './minikube-output';
import type { ProgramIO } from './programs';

const ADDONS_HELP =
  'addons modifies minikube addons files using subcommands like "minikube addons enable dashboard"\n\n' +
  'Available Commands:\n' +
  '  disable     Disables the addon w/ADDON_NAME within minikube (example: minikube addons disable dashboard). For a list of available addons use: minikube addons list \n' +
  '  enable      Enables the addon w/ADDON_NAME within minikube. For a list of available addons use: minikube addons list \n' +
  '  list        Lists all available minikube addons as well as their current statuses (enabled/disabled)\n\n' +
  'Usage:\n  minikube addons SUBCOMMAND [flags] [options]\n\n' +
  'Use "minikube <command> --help" for more information about a given command.\n' +
  'Use "minikube options" for a list of global command-line options (applies to all commands).\n';

export function runMinikubeAddons(cluster: Cluster, args: string[], io: ProgramIO): number {
  const [sub, ...rest] = args;
  const words = rest.filter((a) => !a.startsWith('-'));
  switch (sub) {
    case 'list':
      return list(cluster, rest, io);
    case 'enable':
      if (words.length !== 1) return usage(io, 'usage: minikube addons enable ADDON_NAME');
      return enable(cluster, words[0], io);
    case 'disable':
      if (words.length !== 1) return usage(io, 'usage: minikube addons disable ADDON_NAME');
      return disable(cluster, words[0], io);
    case undefined:
      io.stdout(ADDONS_HELP);
      return 0;
    default:
      io.stderr(
        `Error: unknown command "${sub}" for "minikube addons"\nRun 'minikube addons --help' for usage.\n`,
      );
      return 1;
  }
}

function usage(io: ProgramIO, text: string): number {
  io.stderr(fatal('MK_USAGE', text));
  return 64;
}

function list(cluster: Cluster, flags: string[], io: ProgramIO): number {
  const output = outputFlag(flags) ?? 'list';
  const rows = ADDONS.map((addon) => ({ addon, enabled: isAddonEnabled(addon, cluster.api) }));
  if (output.toLowerCase() === 'json') {
    const map = Object.fromEntries(
      rows.map(({ addon, enabled }) => [
        addon.name,
        { Profile: cluster.profile, Status: enabled ? 'enabled' : 'disabled' },
      ]),
    );
    io.stdout(JSON.stringify(map));
    return 0;
  }
  if (output.toLowerCase() !== 'list') {
    io.stderr(fatal('MK_USAGE', `invalid output format: ${output}. Valid values: 'list', 'json'`));
    return 64;
  }
  io.stdout(
    renderTable(
      ['Addon Name', 'Profile', 'Status', 'Maintainer'],
      rows.map(({ addon, enabled }) => [
        addon.name,
        cluster.profile,
        // minikube pads "disabled" with three spaces where "enabled" has its two-column emoji.
        enabled ? 'enabled ✅' : 'disabled    ',
        addon.maintainer,
      ]),
    ),
  );
  return 0;
}

function outputFlag(flags: string[]): string | undefined {
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === '-o' || flags[i] === '--output') return flags[i + 1];
    const m = /^(?:-o=?|--output=)(.+)$/.exec(flags[i]);
    if (m) return m[1];
  }
  return undefined;
}

function maintainerNotice(addon: Addon): string {
  if (OFFICIAL_MAINTAINERS.includes(addon.maintainer))
    return (
      `${STYLE.tip}${addon.name} is an addon maintained by ${addon.maintainer}. For any concerns contact minikube on GitHub.\n` +
      'You can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS\n'
    );
  const warning = `${STYLE.warning}${addon.name} is a 3rd party addon and is not maintained or verified by minikube maintainers, enable at your own risk.\n`;
  return addon.verifiedMaintainer
    ? `${warning}${STYLE.tip}${addon.name} is maintained by ${addon.maintainer} for any concerns contact ${addon.verifiedMaintainer} on GitHub.\n`
    : `${warning}${STYLE.warning}${addon.name} does not currently have an associated maintainer.\n`;
}

function enable(cluster: Cluster, name: string, io: ProgramIO): number {
  const addon = addonNamed(name);
  if (!addon) {
    io.stderr(
      fatalWithIssueBox(
        'MK_ADDON_ENABLE',
        `enable failed: run callbacks: ${name} is not a valid addon`,
        '/tmp/minikube_addons_e23a2ac10a4d1c3d4bfb2b4a1c2d2d5cb0f2f4b1_0.log',
      ),
    );
    return EXIT.programError;
  }
  const behaviour = addon.behaviour;
  if (!behaviour && !addon.enabledByDefault) {
    const simulated = ADDONS.filter((a) => a.behaviour).map((a) => a.name);
    io.stderr(
      fatal(
        'MK_ADDON_ENABLE',
        `the '${name}' addon is not simulated in this lab terminal (it simulates: ${simulated.join(', ')})`,
      ),
    );
    return EXIT.programError;
  }
  io.stdout(maintainerNotice(addon));
  for (const image of addon.images) io.stdout(`${STYLE.option}Using image ${image}\n`);
  behaviour?.enable({ api: cluster.api, profile: cluster.profile });
  if (addon.verifiesPods) io.stdout(`${STYLE.healthCheck}Verifying ${name} addon...\n`);
  const tip = behaviour?.tipAfterEnable?.(cluster.profile);
  if (tip) io.stdout(`${STYLE.tip}${tip}\n`);
  io.stdout(`${STYLE.addonEnable}The '${name}' addon is enabled\n`);
  return 0;
}

function disable(cluster: Cluster, name: string, io: ProgramIO): number {
  if (name === 'heapster') {
    io.stderr(
      fatal(
        'SVC_ADDON_UNSUPPORTED',
        'The heapster addon is depreciated. please try to disable metrics-server instead',
      ),
    );
    return EXIT.svcUnsupported;
  }
  const addon = addonNamed(name);
  if (!addon) {
    // minikube's message template carries a stray leading quote.
    io.stderr(fatal('SVC_ADDON_UNSUPPORTED', `"'${name}' is not a valid minikube addon`));
    return EXIT.svcUnsupported;
  }
  if (!addon.behaviour && addon.enabledByDefault) {
    io.stderr(
      fatal(
        'MK_ADDON_DISABLE',
        `the '${name}' addon is part of the lab's minikube and cannot be disabled in this lab terminal`,
      ),
    );
    return EXIT.programError;
  }
  if (addon.behaviour?.isEnabled(cluster.api))
    addon.behaviour.disable({ api: cluster.api, profile: cluster.profile });
  io.stdout(`${STYLE.addonDisable}"The '${name}' addon is disabled\n`);
  return 0;
}
