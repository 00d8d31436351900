/**
 * The lab machine's loopback ports: what `kubectl port-forward` and `kubectl proxy` listen on while they run, and
 * what `curl localhost:PORT` / `curl 127.0.0.1:PORT` connects to. One registry per LabTerminal, shared by every
 * line it runs (a port-forward started in the background keeps its ports while the student types other lines).
 *
 * Sockets follow Linux: a listener is bound to one address of one family (`127.0.0.1`, `::1`, or the wildcard
 * `0.0.0.0` / `::`); two listeners of a family conflict on the same port when their addresses are equal or one is
 * the wildcard. Ports below 1024 need root, which the student is not; addresses other than loopback and the
 * wildcards are not the lab machine's.
 */
import type { HttpResult } from '../runtime/types';
import { Random } from '../store/random';

/** What a connection to a local port gives curl: the cluster network's answers, plus an empty reply (curl 52). */
export type LocalResponse =
  | { ok: true; status: number; body: string; contentType?: string }
  | { ok: false; error: Extract<HttpResult, { ok: false }>['error'] | 'empty-reply' };

/** One HTTP GET arriving on a local port. */
export interface LocalRequest {
  /** The host as curl was given it (what it sends as `Host:`), e.g. `localhost` or `127.0.0.1`. */
  host: string;
  port: number;
  /** The path with its query string, e.g. `/api/v1/pods?labelSelector=app%3Dweb`. */
  path: string;
  /** The address the connection reached: `127.0.0.1` or `::1`. */
  address: string;
}

/** A program listening on local ports. */
export interface LocalListener {
  /** Who listens, for diagnostics (`kubectl port-forward`, `kubectl proxy`). */
  owner: string;
  /** Answers one request (the listener prints what it prints per connection on its own output). */
  request(request: LocalRequest): LocalResponse;
}

/** Why a bind failed, as Linux's errno text (what Go puts after `bind: `). */
export type BindError = 'address already in use' | 'permission denied' | 'cannot assign requested address';

export type BindResult = { ok: true; release(): void } | { ok: false; error: BindError };

interface Binding {
  address: string;
  port: number;
  listener: LocalListener;
}

/** The reason phrase of an HTTP status line (`HTTP/1.1 404 Not Found`). */
export function httpReason(status: number): string {
  return (
    {
      200: 'OK',
      400: 'Bad Request',
      403: 'Forbidden',
      404: 'Not Found',
      500: 'Internal Server Error',
      503: 'Service Unavailable',
    }[status] ?? ''
  );
}

/** The first port Linux hands out for port 0 (net.ipv4.ip_local_port_range is 32768-60999). */
const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_LAST = 60999;
/** Ports below this need CAP_NET_BIND_SERVICE (net.ipv4.ip_unprivileged_port_start). */
const UNPRIVILEGED_START = 1024;

export function isIPv6(address: string): boolean {
  return address.includes(':');
}

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** Loopback addresses (all of 127.0.0.0/8 and ::1) and the wildcards are the lab machine's own. */
function isLocalAddress(address: string): boolean {
  return isWildcard(address) || address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

export class LocalPorts {
  private bindings: Binding[] = [];
  private random: Random | undefined;

  /**
   * Binds `address:port` for `listener` (address `127.0.0.1`, `::1`, `0.0.0.0`, `::`...). The result's release()
   * frees it again; a failure gives the errno text Go prints after `bind: `.
   */
  bind(address: string, port: number, listener: LocalListener): BindResult {
    if (!isLocalAddress(address)) return { ok: false, error: 'cannot assign requested address' };
    if (port < UNPRIVILEGED_START) return { ok: false, error: 'permission denied' };
    if (this.conflicts(address, port)) return { ok: false, error: 'address already in use' };
    const binding: Binding = { address, port, listener };
    this.bindings.push(binding);
    return {
      ok: true,
      release: () => {
        this.bindings = this.bindings.filter((b) => b !== binding);
      },
    };
  }

  /**
   * A free port from the ephemeral range, as the kernel picks one for port 0. The choice is drawn from a generator
   * seeded with `seed` (the cluster's seed) on first use, so the same session of commands gets the same ports.
   */
  pickFree(seed: number): number {
    const random = this.randomSource(seed);
    for (;;) {
      const port = random.int(EPHEMERAL_FIRST, EPHEMERAL_LAST);
      if (!this.bindings.some((b) => b.port === port)) return port;
    }
  }

  private randomSource(seed: number): Random {
    this.random ??= new Random(seed ^ 0x6c6f6361);
    return this.random;
  }

  /**
   * curl connecting to `host:port` and sending `GET path`. `localhost` tries ::1 first, then 127.0.0.1 (curl's
   * happy eyeballs: a refused IPv6 attempt falls back to IPv4 at once). Nothing listening: 'refused'.
   */
  connect(host: string, port: number, path: string): LocalResponse {
    const candidates =
      host === 'localhost' ? ['::1', '127.0.0.1'] : [host === '0.0.0.0' ? '127.0.0.1' : host];
    for (const address of candidates) {
      const binding = this.bindings.find(
        (b) =>
          b.port === port &&
          isIPv6(b.address) === isIPv6(address) &&
          (b.address === address || isWildcard(b.address)),
      );
      if (binding) return binding.listener.request({ host, port, path, address });
    }
    return { ok: false, error: 'refused' };
  }

  /** Whether `host` is this machine (curl to it goes to the local ports, not to the cluster network). */
  static isLocalHost(host: string): boolean {
    return host === 'localhost' || host === '0.0.0.0' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  }

  /** The bound sockets, for diagnostics and tests: `127.0.0.1:8080 kubectl port-forward`. */
  list(): { address: string; port: number; owner: string }[] {
    return this.bindings.map((b) => ({ address: b.address, port: b.port, owner: b.listener.owner }));
  }

  private conflicts(address: string, port: number): boolean {
    return this.bindings.some(
      (b) =>
        b.port === port &&
        isIPv6(b.address) === isIPv6(address) &&
        (b.address === address || isWildcard(b.address) || isWildcard(address)),
    );
  }
}
