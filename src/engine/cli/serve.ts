/**
 * `npm run --silent engine -- serve [--port N] [--transcript FILE] [--tls] [--clock=manual] [--user NAME]`:
 * one cluster's Kubernetes API on 127.0.0.1 (never another address). Writes a kubeconfig (context `minikube`), prints
 * `KUBECONFIG=<path>` and serves until stdin closes or SIGTERM.
 *
 * With `--clock=manual` the cluster runs on a virtual clock starting where `engine FILE` transcripts start (seed 1,
 * 2024-06-03T02:15:00Z, the built-in terminal's twin), moved only by `advance <duration>` lines on stdin; each is
 * answered with `advanced <epoch ms>` on stdout once the cluster has caught up.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManualClock, RealClock } from '../clock/clock';
import { createCluster, restoreCluster, type Cluster } from '../cluster';
import { ApiHandler } from '../http/handler';
import { impersonated } from '../server/rbac';
import { makeServingCertificates } from '../http/tls';
import { parseDuration, runTranscript, TRANSCRIPT_SEED, TRANSCRIPT_START_MS } from './transcript-runner';
import { clientKubeconfigText } from '../store/kubeconfig';

export interface ServeOptions {
  port: number;
  transcript?: string;
  tls: boolean;
  manualClock: boolean;
  /** Who the kubeconfig's credentials stand for (`system:serviceaccount:NS:NAME` for a service account's token). */
  user?: string;
}

export function parseServeArgs(argv: string[]): ServeOptions {
  const options: ServeOptions = { port: 0, tls: false, manualClock: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (name: string) => {
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
      const next = argv[++i];
      if (next === undefined) throw new Error(`${name} needs a value`);
      return next;
    };
    if (arg === '--tls') options.tls = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const port = Number(value('--port'));
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port: ${arg}`);
      options.port = port;
    } else if (arg === '--user' || arg.startsWith('--user=')) options.user = value('--user');
    else if (arg === '--transcript' || arg.startsWith('--transcript='))
      options.transcript = value('--transcript');
    else if (arg === '--clock' || arg.startsWith('--clock=')) {
      const clock = value('--clock');
      if (clock !== 'manual' && clock !== 'real') throw new Error(`--clock: manual or real, not ${clock}`);
      options.manualClock = clock === 'manual';
    } else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

/** The cluster to serve: fresh, or the state a transcript leaves (replayed on a virtual clock). */
async function startCluster(options: ServeOptions): Promise<{ cluster: Cluster; clock?: ManualClock }> {
  const start = options.manualClock ? TRANSCRIPT_START_MS : Date.now();
  const clock = new ManualClock(start);
  const cluster = createCluster({ seed: TRANSCRIPT_SEED, clock });
  if (options.transcript !== undefined)
    await runTranscript(fs.readFileSync(options.transcript, 'utf8'), { cluster, clock });
  if (options.manualClock) return { cluster, clock };
  return { cluster: restoreCluster(cluster.snapshot(), { clock: new RealClock() }) };
}

export async function serve(argv: string[]): Promise<number> {
  const options = parseServeArgs(argv);
  const { cluster, clock } = await startCluster(options);
  const token = options.tls ? randomBytes(24).toString('hex') : undefined;
  let address = '127.0.0.1:0';
  // Requests are authorised by the cluster's RBAC objects as this user (impersonation headers aside).
  const user = options.user === undefined ? undefined : impersonated(options.user);
  const handler = new ApiHandler({ cluster, token, user, address: () => address });
  const certs = options.tls ? makeServingCertificates() : undefined;
  const server = certs
    ? https.createServer({ cert: certs.serverCert, key: certs.serverKey }, handler.handle)
    : http.createServer(handler.handle);
  server.keepAliveTimeout = 5000;
  // exec, attach and port-forward switch protocols (WebSocket or SPDY/3.1).
  server.on('upgrade', handler.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  address = `127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-serve-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    clientKubeconfigText({
      server: `${certs ? 'https' : 'http'}://${address}`,
      // Over plain http kubectl sends no credentials anyway; the token only keeps it from prompting.
      token: token ?? 'kubelab',
      caCert: certs?.caCert,
    }),
    { mode: 0o600 },
  );
  process.stdout.write(`KUBECONFIG=${kubeconfig}\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      handler.close();
      server.close(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        resolve(0);
      });
      server.closeAllConnections();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    let pending = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      pending += chunk;
      // Control lines are short; a stdin that never sends a newline (a stray pipe) must not fill the memory.
      if (pending.length > 4096 && !pending.includes('\n')) {
        process.stdout.write('error control line too long\n');
        pending = '';
      }
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        const advance = /^advance\s+(\S+)$/.exec(line);
        if (advance && clock) {
          try {
            clock.advance(parseDuration(advance[1], 0));
            cluster.sync();
            process.stdout.write(`advanced ${clock.now()}\n`);
          } catch (error) {
            process.stdout.write(`error ${(error as Error).message}\n`);
          }
        } else if (line !== '') process.stdout.write(`error unknown control line: ${line}\n`);
      }
    });
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
  });
}
