/**
 * What runs inside the simulated containers: the Kubernetes Bootcamp app (a tiny Node.js HTTP server on 8080
 * that names its pod and version, reference §2.14) and nginx (its welcome page on port 80).
 */
import type { AppKind } from './images';

/** Pod hostname = pod name, cut to 63 characters without a trailing '-' or '.' (kubelet GeneratePodHostNameAndDomain). */
export function podHostname(podName: string): string {
  return podName.length <= 63 ? podName : podName.slice(0, 63).replace(/[-.]+$/, '');
}

export function listensOn(app: AppKind): number | undefined {
  if (app === 'bootcamp') return 8080;
  if (app === 'nginx' || app === 'httpd' || app === 'httpbin') return 80;
  if (app === 'redis') return 6379;
  if (app === 'hpa-example') return 80;
  if (app === 'metrics-server') return 4443;
  if (app === 'ingress-nginx') return 80;
  if (app === 'dashboard') return 9090;
  if (app === 'metrics-scraper') return 8000;
  return undefined;
}

/** Servers that listen with TLS only (metrics-server's secure port 4443). */
export function speaksTls(app: AppKind): boolean {
  return app === 'metrics-server';
}

/**
 * The status an HTTP GET of `path` gets from the app (its body is not needed by its callers): the bootcamp app
 * answers every path, nginx and httpd serve their index page and 404 the rest; redis does not speak HTTP.
 */
export function answerPath(
  app: AppKind,
  path: string,
): { ok: true; status: number; body: string; delayMs?: number } | { ok: false; error: 'malformed' } {
  if (app === 'redis') return { ok: false, error: 'malformed' };
  if (app === 'httpbin') return httpbinAnswer(path);
  if (app === 'bootcamp' || app === 'hpa-example') return { ok: true, status: 200, body: '' };
  // metrics-server answers its probes (/readyz, /livez); the dashboard and its scraper serve their root page.
  if (app === 'metrics-server' || app === 'dashboard' || app === 'metrics-scraper')
    return { ok: true, status: 200, body: '' };
  const bare = path.split('?')[0];
  const index = bare === '/' || bare === '' || bare === '/index.html';
  return { ok: true, status: index ? 200 : 404, body: '' };
}

/**
 * httpbin's routes that a probe or curl would use: `/delay/N` answers 200 after N seconds (httpbin caps N at 10),
 * `/status/N` answers N, `/`, `/get`, `/headers`, `/ip`, `/anything...` answer 200, other paths 404. The body is
 * left to the caller (a probe reads none).
 */
function httpbinAnswer(path: string): { ok: true; status: number; body: string; delayMs?: number } {
  const bare = path.split('?')[0];
  const delay = /^\/delay\/(\d+(?:\.\d+)?)$/.exec(bare);
  if (delay) return { ok: true, status: 200, body: '', delayMs: Math.min(Number(delay[1]), 10) * 1000 };
  const status = /^\/status\/(\d{3})$/.exec(bare);
  if (status) return { ok: true, status: Number(status[1]), body: '' };
  const known =
    ['/', '/get', '/headers', '/ip', '/user-agent'].includes(bare) || /^\/anything(\/|$)/.test(bare);
  return { ok: true, status: known ? 200 : 404, body: '' };
}

/**
 * httpbin's body for curl (Flask's pretty jsonify: indent 2, `", "` separators); `/status/N` has none, an unknown
 * path gets Flask's 404 page. The index page (`/`) is abbreviated to its title.
 */
export function httpbinBody(path: string, host: string, origin: string): string {
  const bare = path.split('?')[0];
  const { status } = httpbinAnswer(path);
  if (status === 404)
    return '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>\n';
  if (bare.startsWith('/status/')) return '';
  if (bare === '/')
    return '<!DOCTYPE html>\n<html lang="en">\n<head>\n    <title>httpbin.org</title>\n</head>\n</html>\n';
  const headers = { Accept: '*/*', Host: host, 'User-Agent': 'curl/7.81.0' };
  const url = `http://${host}${path}`;
  const bodies: Record<string, Record<string, unknown>> = {
    '/headers': { headers },
    '/ip': { origin },
    '/user-agent': { 'user-agent': headers['User-Agent'] },
    '/get': { args: {}, headers, origin, url },
  };
  const body = bodies[bare] ?? { args: {}, data: '', files: {}, form: {}, headers, origin, url };
  return JSON.stringify(body, null, 2).replace(/,\n/g, ', \n') + '\n';
}

/** The HPA walkthrough's php-apache (registry.k8s.io/hpa-example): a CPU-heavy loop per request, then `OK!`. */
export const HPA_EXAMPLE_REPLY = 'OK!';

export function bootcampReply(hostname: string, version: number): string {
  return `Hello Kubernetes bootcamp! | Running on: ${hostname} | v=${version}\n`;
}

export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** The container's stdout as `kubectl logs` shows it (console.log output of server.js). */
export function bootcampLog(hostname: string, startedAt: number, served: number[]): string {
  const started = new Date(startedAt).toISOString();
  let out = `Kubernetes Bootcamp App Started At: ${started} | Running On:  ${hostname} \n\n`;
  served.forEach((at, i) => {
    const uptime = ((at - startedAt) / 1000).toFixed(3).replace(/\.?0+$/, '');
    out += `Running On: ${hostname} | Total Requests: ${i + 1} | App Uptime: ${uptime} seconds | Log Time: ${new Date(at).toISOString()}\n`;
  });
  return out;
}

/** An HTTP probe's request as the app saw it: when, the path, and the status it answered. */
export type ProbeRequest = [at: number, path: string, status: number];

/**
 * nginx's output, each line with the time it was written: the entrypoint's start-up lines, then one access log
 * line per request (curl's from the lab, the kubelet's probes with their path and status); a path nginx has no
 * file for also writes its error log line first. Connections are numbered in the order they came.
 */
export function nginxLogLines(
  startedAt: number,
  served: number[],
  clientIp: string,
  probes: ProbeRequest[] = [],
  podIp = '',
): { at: number; text: string }[] {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = (ms: number) => {
    const d = new Date(ms);
    const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  };
  const errorStamp = (ms: number) =>
    new Date(ms).toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, '/');
  const boot = errorStamp(startedAt);
  const lines = [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
    `${boot} [notice] 1#1: using the "epoll" event method`,
    `${boot} [notice] 1#1: start worker processes`,
  ].map((text) => ({ at: startedAt, text }));
  const requests: ProbeRequest[] = [...served.map((at): ProbeRequest => [at, '', 200]), ...probes];
  requests.sort((a, b) => a[0] - b[0]);
  requests.forEach(([at, path, status], i) => {
    const probe = path !== '';
    const request = `GET ${probe ? path : '/'} HTTP/1.1`;
    if (status === 404)
      lines.push({
        at,
        text: `${errorStamp(at)} [error] 29#29: *${i + 1} open() "/usr/share/nginx/html${path.split('?')[0]}" failed (2: No such file or directory), client: ${clientIp}, server: localhost, request: "${request}", host: "${podIp}:80"`,
      });
    const agent = probe ? 'kube-probe/1.30' : 'curl/7.81.0';
    lines.push({
      at,
      text: `${clientIp} - - [${stamp(at)}] "${request}" ${status} ${status === 404 ? 153 : 615} "-" "${agent}" "-"`,
    });
  });
  return lines;
}
