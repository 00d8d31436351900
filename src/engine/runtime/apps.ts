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
  if (app === 'nginx' || app === 'httpd') return 80;
  if (app === 'redis') return 6379;
  return undefined;
}

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

export function nginxLog(startedAt: number, served: number[], clientIp: string): string {
  const stamp = (ms: number) => {
    const d = new Date(ms);
    const pad = (n: number) => String(n).padStart(2, '0');
    const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  };
  const boot = new Date(startedAt).toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, '/');
  let out =
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n' +
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n' +
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n' +
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n' +
    '/docker-entrypoint.sh: Configuration complete; ready for start up\n' +
    `${boot} [notice] 1#1: using the "epoll" event method\n` +
    `${boot} [notice] 1#1: start worker processes\n`;
  for (const at of served)
    out += `${clientIp} - - [${stamp(at)}] "GET / HTTP/1.1" 200 615 "-" "curl/7.81.0" "-"\n`;
  return out;
}
