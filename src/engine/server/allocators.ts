/**
 * Service ClusterIP and NodePort allocation like the real allocators (reference §4.6): random, drawing from the
 * upper ("dynamic") band first so the lower band stays free for explicitly requested values. The sets of used
 * values are rebuilt from the stored Services after a restore; randomness comes from the cluster's PRNG.
 */
import type { Random } from '../store/random';

const SERVICE_CIDR_BASE = (10 << 24) | (96 << 16); // 10.96.0.0/12
const SERVICE_CIDR_SIZE = 1 << 20;
const IP_STATIC_BAND = 256; // min(max(16, size/16), 256)

export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
const PORT_STATIC_BAND = 86; // min(max(16, 2768/32), 128)

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Picks a random free value from [lo, hi], probing upward (wrapping) from a random start. */
function pickFree(random: Random, lo: number, hi: number, used: Set<number>): number | undefined {
  const span = hi - lo + 1;
  const start = random.int(0, span - 1);
  for (let i = 0; i < span; i++) {
    const candidate = lo + ((start + i) % span);
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}

export class ClusterIpAllocator {
  private readonly used = new Set<number>();

  inRange(ip: string): boolean {
    const n = ipToInt(ip);
    if (n === undefined) return false;
    const offset = n - SERVICE_CIDR_BASE;
    return offset >= 1 && offset <= SERVICE_CIDR_SIZE - 2;
  }

  isAllocated(ip: string): boolean {
    return this.used.has(ipToInt(ip) ?? -1);
  }

  reserve(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.used.add(n);
  }

  release(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.used.delete(n);
  }

  allocate(random: Random): string | undefined {
    const base = SERVICE_CIDR_BASE;
    const offset =
      pickFree(random, base + IP_STATIC_BAND, base + SERVICE_CIDR_SIZE - 2, this.used) ??
      pickFree(random, base + 1, base + IP_STATIC_BAND - 1, this.used);
    if (offset === undefined) return undefined;
    this.used.add(offset);
    return intToIp(offset);
  }

  allocated(): string[] {
    return [...this.used].sort((a, b) => a - b).map(intToIp);
  }
}

export class NodePortAllocator {
  private readonly used = new Set<number>();

  inRange(port: number): boolean {
    return Number.isInteger(port) && port >= NODE_PORT_MIN && port <= NODE_PORT_MAX;
  }

  isAllocated(port: number): boolean {
    return this.used.has(port);
  }

  reserve(port: number): void {
    this.used.add(port);
  }

  release(port: number): void {
    this.used.delete(port);
  }

  allocate(random: Random): number | undefined {
    const port =
      pickFree(random, NODE_PORT_MIN + PORT_STATIC_BAND, NODE_PORT_MAX, this.used) ??
      pickFree(random, NODE_PORT_MIN, NODE_PORT_MIN + PORT_STATIC_BAND - 1, this.used);
    if (port !== undefined) this.used.add(port);
    return port;
  }

  allocated(): number[] {
    return [...this.used].sort((a, b) => a - b);
  }
}
