/**
 * What a student sees inside each image (issue 14): its shell (bash on Debian images, busybox ash on busybox and
 * Alpine ones), its root directory, the files worth looking at, what its main process is called, the port it
 * serves and what it logs at start. One data entry per image family; the shell (shell.ts) reads them.
 * Files are what the published images hold; the bootcamp `server.js` is the image's own source.
 */
import { lookupImage, parseImage, type AppKind } from './images';

export type ShellFlavour = 'bash' | 'ash';

export interface ImageProfile {
  shell: ShellFlavour;
  /** `/bin/bash` exists (Debian images); busybox and Alpine have only sh. */
  hasBash: boolean;
  /** Programs the image has beyond the shell's builtins and coreutils (curl, wget, nslookup). */
  tools: readonly string[];
  dirs: Record<string, readonly string[]>;
  files: Record<string, string>;
  /** PID 1 and any workers: [pid, command]. */
  processes: readonly [number, string][];
  env: readonly [string, string][];
}

const DEBIAN_ROOT = [
  'bin',
  'boot',
  'dev',
  'etc',
  'home',
  'lib',
  'lib64',
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
const BUSYBOX_ROOT = [
  'bin',
  'dev',
  'etc',
  'home',
  'lib',
  'lib64',
  'proc',
  'root',
  'sys',
  'tmp',
  'usr',
  'var',
];
const ALPINE_ROOT = [
  'bin',
  'dev',
  'etc',
  'home',
  'lib',
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
const COMMON_DIRS = {
  '/root': [],
  '/tmp': [],
  '/home': [],
};

/** server.js as the gcr.io/google-samples/kubernetes-bootcamp image publishes it (v=1; the v2 image says v=2). */
export function bootcampServerJs(version: number): string {
  return [
    "var http = require('http');",
    'var requests=0;',
    'var podname= process.env.HOSTNAME;',
    'var startTime;',
    'var host;',
    'var handleRequest = function(request, response) {',
    "  response.setHeader('Content-Type', 'text/plain');",
    '  response.writeHead(200);',
    '  response.write("Hello Kubernetes bootcamp! | Running on: ");',
    '  response.write(host);',
    `  response.end(" | v=${version}\\n");`,
    '  console.log("Running On:" ,host, "| Total Requests:", ++requests,"| App Uptime:", (new Date() - startTime)/1000 , "seconds", "| Log Time:",new Date());',
    '}',
    'var www = http.createServer(handleRequest);',
    'www.listen(8080,function () {',
    '    startTime = new Date();;',
    '    host = process.env.HOSTNAME;',
    '    console.log ("Kubernetes Bootcamp App Started At:",startTime, "| Running On: " ,host, "\\n" );',
    '});',
    '',
  ].join('\n');
}

export const HTTPD_INDEX = '<html><body><h1>It works!</h1></body></html>\n';

const NGINX_DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;

function nginxProfile(alpine: boolean, welcome: string): ImageProfile {
  return {
    shell: alpine ? 'ash' : 'bash',
    hasBash: !alpine,
    tools: alpine ? ['curl', 'wget', 'nslookup'] : ['curl'],
    dirs: {
      '/': [...(alpine ? ALPINE_ROOT : DEBIAN_ROOT), 'docker-entrypoint.d', 'docker-entrypoint.sh'],
      '/etc': ['hostname', 'hosts', 'nginx', 'os-release', 'passwd', 'resolv.conf'],
      '/etc/nginx': ['conf.d', 'fastcgi_params', 'mime.types', 'nginx.conf'],
      '/etc/nginx/conf.d': ['default.conf'],
      '/usr/share/nginx/html': ['50x.html', 'index.html'],
      ...COMMON_DIRS,
    },
    files: {
      '/etc/nginx/conf.d/default.conf': NGINX_DEFAULT_CONF,
      '/usr/share/nginx/html/index.html': welcome,
      '/usr/share/nginx/html/50x.html':
        '<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n',
      '/etc/os-release': alpine
        ? 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n'
        : 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
    },
    processes: [
      [1, 'nginx: master process nginx -g daemon off;'],
      [29, 'nginx: worker process'],
    ],
    env: [
      ['NGINX_VERSION', '1.25.5'],
      ['NJS_VERSION', '0.8.4'],
      ['PKG_RELEASE', alpine ? '1' : '1~bookworm'],
    ],
  };
}

const BUSYBOX: ImageProfile = {
  shell: 'ash',
  hasBash: false,
  tools: ['wget', 'nslookup'],
  dirs: {
    '/': BUSYBOX_ROOT,
    '/etc': ['group', 'hostname', 'hosts', 'localtime', 'network', 'passwd', 'resolv.conf', 'shadow'],
    ...COMMON_DIRS,
  },
  files: {},
  processes: [],
  env: [],
};

const ALPINE: ImageProfile = {
  shell: 'ash',
  hasBash: false,
  tools: ['wget', 'nslookup'],
  dirs: {
    '/': ALPINE_ROOT,
    '/etc': ['alpine-release', 'hostname', 'hosts', 'os-release', 'passwd', 'resolv.conf'],
    ...COMMON_DIRS,
  },
  files: {
    '/etc/alpine-release': '3.20.0\n',
    '/etc/os-release':
      'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.0\nPRETTY_NAME="Alpine Linux v3.20"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n',
  },
  processes: [],
  env: [],
};

const HTTPD: ImageProfile = {
  shell: 'bash',
  hasBash: true,
  tools: [],
  dirs: {
    '/': DEBIAN_ROOT,
    '/usr/local/apache2': [
      'bin',
      'build',
      'cgi-bin',
      'conf',
      'error',
      'htdocs',
      'icons',
      'include',
      'logs',
      'modules',
    ],
    '/usr/local/apache2/htdocs': ['index.html'],
    ...COMMON_DIRS,
  },
  files: { '/usr/local/apache2/htdocs/index.html': HTTPD_INDEX },
  processes: [
    [1, 'httpd -DFOREGROUND'],
    [8, 'httpd -DFOREGROUND'],
    [9, 'httpd -DFOREGROUND'],
    [10, 'httpd -DFOREGROUND'],
  ],
  env: [
    ['HTTPD_PREFIX', '/usr/local/apache2'],
    ['HTTPD_VERSION', '2.4.59'],
  ],
};

const REDIS: ImageProfile = {
  shell: 'bash',
  hasBash: true,
  tools: [],
  dirs: { '/': DEBIAN_ROOT, '/data': [], ...COMMON_DIRS },
  files: {},
  processes: [[1, 'redis-server *:6379']],
  env: [['REDIS_VERSION', '7.2.5']],
};

function bootcamp(version: number): ImageProfile {
  return {
    shell: 'bash',
    hasBash: true,
    tools: ['curl', 'wget'],
    dirs: {
      '/': [...DEBIAN_ROOT, 'server.js'].sort(),
      '/etc': ['debian_version', 'hostname', 'hosts', 'os-release', 'passwd', 'resolv.conf'],
      ...COMMON_DIRS,
    },
    files: {
      '/server.js': bootcampServerJs(version),
      '/etc/os-release':
        'PRETTY_NAME="Debian GNU/Linux 8 (jessie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="8"\nVERSION="8 (jessie)"\nID=debian\nHOME_URL="http://www.debian.org/"\nSUPPORT_URL="http://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
      '/etc/debian_version': '8.5\n',
    },
    processes: [
      [1, '/bin/sh -c node server.js'],
      [7, 'node server.js'],
    ],
    env: [
      ['NPM_CONFIG_LOGLEVEL', 'info'],
      ['NODE_VERSION', '6.3.1'],
    ],
  };
}

/** The profile of an image (by its catalogue kind, tag and version); unknown images behave as busybox. */
export function imageProfile(
  app: AppKind | undefined,
  tag: string,
  version: number | undefined,
  welcome: string,
): ImageProfile {
  switch (app) {
    case 'bootcamp':
      return bootcamp(version ?? 1);
    case 'nginx':
      return nginxProfile(tag.includes('alpine'), welcome);
    case 'httpd':
      return HTTPD;
    case 'redis':
      return tag.includes('alpine')
        ? { ...REDIS, shell: 'ash', hasBash: false, dirs: { ...REDIS.dirs, '/': ALPINE_ROOT } }
        : REDIS;
    case 'alpine':
      return ALPINE;
    default:
      return BUSYBOX;
  }
}

/** The container's start-up log lines, for images whose server logs at start (httpd, redis). */
export function startupLog(app: AppKind | undefined, startedAt: number, podIp: string): string | undefined {
  const d = new Date(startedAt);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (app === 'httpd') {
    const stamp = `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${hms}.${pad(d.getUTCMilliseconds(), 3)}412 ${d.getUTCFullYear()}`;
    const fqdn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${podIp}. Set the 'ServerName' directive globally to suppress this message\n`;
    return (
      fqdn +
      fqdn +
      `[${stamp}] [mpm_event:notice] [pid 1:tid 139915870648192] AH00489: Apache/2.4.59 (Unix) configured -- resuming normal operations\n` +
      `[${stamp}] [core:notice] [pid 1:tid 139915870648192] AH00094: Command line: 'httpd -D FOREGROUND'\n`
    );
  }
  if (app === 'httpbin') {
    // gunicorn's start-up lines (the image's CMD: gunicorn -b 0.0.0.0:80 httpbin:app -k gevent).
    const stamp = `[${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${hms} +0000]`;
    return [
      `${stamp} [1] [INFO] Starting gunicorn 19.9.0`,
      `${stamp} [1] [INFO] Listening at: http://0.0.0.0:80 (1)`,
      `${stamp} [1] [INFO] Using worker: gevent`,
      `${stamp} [8] [INFO] Booting worker with pid: 8`,
      '',
    ].join('\n');
  }
  if (app === 'redis') {
    const at = (role: string) =>
      `1:${role} ${pad(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hms}.${pad(d.getUTCMilliseconds(), 3)}`;
    return [
      `${at('C')} # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.`,
      `${at('C')} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
      `${at('C')} * Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1, just started`,
      `${at('C')} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
      `${at('M')} * monotonic clock: POSIX clock_gettime`,
      `${at('M')} * Running mode=standalone, port=6379.`,
      `${at('M')} * Server initialized`,
      `${at('M')} * Ready to accept connections tcp`,
      '',
    ].join('\n');
  }
  return undefined;
}

/**
 * The interactive shell's prompt: bash's `root@<host>:<cwd>$ ` with `~` for /root (\h stops at the first dot),
 * busybox ash's `<cwd> # `, dash's plain `# `.
 */
export function shellPrompt(shell: string, profile: ImageProfile, podName: string, cwd: string): string {
  if (/(^|\/)bash$/.test(shell)) {
    const dir = cwd === '/root' ? '~' : cwd.startsWith('/root/') ? `~${cwd.slice(5)}` : cwd;
    return `root@${podName.slice(0, 63).split('.')[0]}:${dir}# `;
  }
  if (profile.shell === 'ash') return `${cwd === '/root' ? '~' : cwd} # `;
  return '# ';
}

/** The profile of an image reference (`nginx:alpine`, `busybox`). */
export function profileForImage(ref: string): ImageProfile {
  const parsed = parseImage(ref);
  const img = lookupImage(ref);
  return imageProfile(img?.app, 'error' in parsed ? '' : parsed.tag, img?.version, '');
}
