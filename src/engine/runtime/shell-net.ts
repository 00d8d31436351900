/** The pod shell's network tools: curl, busybox wget and nslookup. */
import { fail, ok, resolvePath, type ShellContext } from './shell-context';
import type { ExecResult } from './types';

/** The Host header of `-H 'Host: x'` / `--header=Host: x`, if one is given. */
function hostHeaderOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const header = ['-H', '--header'].includes(args[i]) ? args[i + 1] : /^--header=(.*)$/.exec(args[i])?.[1];
    const m = header !== undefined ? /^\s*host\s*:\s*(.*)$/i.exec(header) : null;
    if (m) return m[1].trim();
  }
  return undefined;
}

/** The arguments that are not options or option values (the URLs). */
function operands(args: string[]): string[] {
  const takesValue = new Set([
    '-H',
    '--header',
    '--resolve',
    '-o',
    '-O',
    '-m',
    '--max-time',
    '-A',
    '-U',
    '-T',
  ]);
  return args.filter((a, i) => !a.startsWith('-') && !takesValue.has(args[i - 1] ?? ''));
}

export function curl(ctx: ShellContext, args: string[]): ExecResult {
  const url = operands(args)[0];
  if (!url) return fail("curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return fail(`curl: (3) URL using bad/illegal format or missing URL\n`, 3);
  const [, scheme, urlHost, portText, path] = m;
  const port = portText ? Number(portText) : scheme === 'https' ? 443 : 80;
  // --resolve NAME:PORT:ADDRESS pins a name to an address, sending the name as the Host header.
  const pin = args
    .map((a, i) => (args[i - 1] === '--resolve' ? /^([^:]+):(\d+):(.+)$/.exec(a) : null))
    .find((r) => r && r[1].toLowerCase() === urlHost.toLowerCase() && Number(r[2]) === port);
  const host = pin ? pin[3] : urlHost;
  const result = ctx.curl(host, port, path ?? '/', hostHeaderOf(args) ?? (pin ? urlHost : undefined));
  if (result.ok) return ok(result.body);
  return fail(
    `${result.message}\n`,
    result.message.startsWith('curl: (6)') ? 6 : result.message.startsWith('curl: (28)') ? 28 : 7,
  );
}

/** Reason phrases as the servers in the lab send them (nginx words 503 its own way). */
const HTTP_REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Temporarily Unavailable',
};

/** busybox wget: `wget -qO- URL` prints the body; otherwise it saves index.html. */
export function wget(ctx: ShellContext, args: string[]): ExecResult {
  const url = operands(args)[0];
  if (!url)
    return fail(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n',
      1,
    );
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return fail(`wget: bad address '${url}'\n`, 1);
  const [, scheme, host, portText] = m;
  const port = portText ? Number(portText) : scheme === 'https' ? 443 : 80;
  const quietStdout =
    args.some((a) => /^-q?O-$|^-qO-$/.test(a)) ||
    (args.includes('-O') && args[args.indexOf('-O') + 1] === '-');
  const quiet = args.some((a) => /^-[^-]*q/.test(a));
  const result = ctx.curl(host, port, m[4] ?? '/', hostHeaderOf(args));
  const connecting = quiet
    ? ''
    : `Connecting to ${host}${portText ? `:${portText}` : ''} (${ctx.lookup?.(host) ?? host}:${port})\n`;
  if (!result.ok) {
    if (result.message.startsWith('curl: (6)'))
      return fail(`wget: bad address '${host}${portText ? `:${portText}` : ''}'\n`, 1);
    return fail(
      `${connecting}wget: can't connect to remote host (${ctx.lookup?.(host) ?? host}): Connection refused\n`,
      1,
    );
  }
  // busybox wget prints no body for an HTTP error (an Ingress's 404, a backend-less 503).
  if (result.status !== undefined && result.status >= 400)
    return fail(
      `${connecting}wget: server returned error: HTTP/1.1 ${result.status} ${HTTP_REASONS[result.status] ?? ''}\n`,
      1,
    );
  if (quietStdout)
    return { stdout: result.body, stderr: connecting ? `${connecting}writing to stdout\n` : '', exitCode: 0 };
  ctx.files[resolvePath('index.html', ctx.cwd)] = result.body;
  return {
    stdout: '',
    stderr: quiet
      ? ''
      : `${connecting}saving to 'index.html'\nindex.html           100% |********************************|   ${result.body.length}  0:00:00 ETA\n'index.html' saved\n`,
    exitCode: 0,
  };
}

/**
 * busybox 1.36 nslookup against the pod's nameserver: it asks for A and AAAA records; a name without a dot is
 * tried under each search domain of resolv.conf (and never bare), a name with a dot only as written — so
 * `nslookup web` finds `web.<ns>.svc.cluster.local` while `nslookup web.default` is NXDOMAIN. Each answer prints
 * as it arrives (the A queries first); an empty AAAA answer prints nothing; any failed query makes the exit code 1.
 */
export function nslookup(ctx: ShellContext, args: string[]): ExecResult {
  const name = args.find((a) => !a.startsWith('-'));
  if (!name)
    return fail(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n',
      1,
    );
  const bare = name.replace(/\.$/, '');
  const names = bare.includes('.')
    ? [bare]
    : [`${ctx.namespace}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'].map((d) => `${bare}.${d}`);
  let out = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
  let failed = false;
  for (const type of ['A', 'AAAA'])
    for (const query of names) {
      const ips = ctx.dns?.(query);
      if (!ips) {
        out += `** server can't find ${query}: NXDOMAIN\n\n`;
        failed = true;
      } else if (type === 'A') out += ips.map((ip) => `Name:\t${query}\nAddress: ${ip}\n`).join('') + '\n';
    }
  return { stdout: out, stderr: '', exitCode: failed ? 1 : 0 };
}
