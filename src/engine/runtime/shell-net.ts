/** The pod shell's network tools: curl, busybox wget and nslookup. */
import { fail, ok, resolvePath, type ShellContext } from './shell-context';
import type { ExecResult } from './types';

export function curl(ctx: ShellContext, args: string[]): ExecResult {
  const url = args.find((a) => !a.startsWith('-'));
  if (!url) return fail("curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return fail(`curl: (3) URL using bad/illegal format or missing URL\n`, 3);
  const [, scheme, host, portText] = m;
  const port = portText ? Number(portText) : scheme === 'https' ? 443 : 80;
  const result = ctx.curl(host, port);
  if (result.ok) return ok(result.body);
  return fail(
    `${result.message}\n`,
    result.message.startsWith('curl: (6)') ? 6 : result.message.startsWith('curl: (28)') ? 28 : 7,
  );
}

/** busybox wget: `wget -qO- URL` prints the body; otherwise it saves index.html. */
export function wget(ctx: ShellContext, args: string[]): ExecResult {
  const url = args.find((a) => !a.startsWith('-'));
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
  const result = ctx.curl(host, port);
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
 * busybox nslookup against the pod's nameserver 10.96.0.10. Until cluster DNS records exist (issue 14 part 3),
 * every name is answered NXDOMAIN, for both the A and the AAAA query, as a resolver with no records for it does.
 */
export function nslookup(ctx: ShellContext, args: string[]): ExecResult {
  const name = args.find((a) => !a.startsWith('-'));
  if (!name)
    return fail(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n',
      1,
    );
  const header = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
  const ip = ctx.lookup?.(name);
  if (ip) return ok(`${header}Name:\t${name}\nAddress: ${ip}\n\n`);
  return {
    stdout: `${header}** server can't find ${name}: NXDOMAIN\n\n** server can't find ${name}: NXDOMAIN\n\n`,
    stderr: '',
    exitCode: 1,
  };
}
