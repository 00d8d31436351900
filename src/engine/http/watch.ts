/**
 * Watch streams: headers flushed at once (kubectl's informers wait for them), then one JSON event per line with
 * the object's resourceVersion; Tables when asked for; timeoutSeconds; bookmarks. A client that stops reading is
 * cut off once its unread backlog passes a limit, so a stalled watch cannot hold the server's memory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo } from '../api/resources';
import type { KubeObject } from '../api/types';
import { RealClock } from '../clock/clock';
import type { Cluster } from '../cluster';
import type { WatchEventType } from '../server/api-server';
import { toTable, type IncludeObject } from './table';

export interface WatchRequest {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  bookmarks: boolean;
  table: boolean;
  include: IncludeObject;
}

/** Unread bytes a watcher may leave queued before the server drops it. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 60_000;
/** On a wall clock, how often an open watch lets the cluster's timers run (pods start, rollouts progress). */
const TICK_MS = 200;

interface OpenWatch {
  close(): void;
}

export class WatchHub {
  private readonly active = new Set<OpenWatch>();
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly cluster: Cluster) {}

  get count(): number {
    return this.active.size;
  }

  closeAll(): void {
    for (const w of [...this.active]) w.close();
  }

  open(req: IncomingMessage, res: ServerResponse, info: ResourceInfo, opts: WatchRequest): void {
    const cluster = this.cluster;
    // Validates the selectors (a bad one is a 400 before the stream starts) and lists what a watch from "0" replays.
    const existing = cluster.api.list(info.resource, {
      namespace: opts.namespace,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
    });
    res.writeHead(200, {
      'Content-Type': opts.table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    let headersSent = false;
    let lastRv = String(cluster.revision);
    let closed = false;
    const write = (type: WatchEventType | 'BOOKMARK', obj: KubeObject | Record<string, unknown>) => {
      if (closed) return;
      let object: unknown = obj;
      if (type !== 'BOOKMARK' && opts.table) {
        object = toTable(info, [obj as KubeObject], cluster.now(), {
          resourceVersion: (obj as KubeObject).metadata.resourceVersion,
          include: opts.include,
          headers: !headersSent,
        });
        headersSent = true;
      }
      res.write(JSON.stringify({ type, object }) + '\n');
      if (res.writableLength > MAX_BACKLOG_BYTES) close(true);
    };
    const stop = cluster.api.watch(
      info.resource,
      { namespace: opts.namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector },
      (type, obj) => {
        lastRv = obj.metadata.resourceVersion ?? lastRv;
        write(type, obj);
      },
    );
    if (!opts.resourceVersion || opts.resourceVersion === '0')
      for (const obj of existing) write('ADDED', obj);
    const bookmark = () =>
      write('BOOKMARK', {
        kind: info.kind,
        apiVersion: info.apiVersion,
        metadata: { resourceVersion: lastRv, annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    const timers: NodeJS.Timeout[] = [];
    if (opts.bookmarks && !opts.table) timers.push(setInterval(bookmark, BOOKMARK_INTERVAL_MS));
    if (opts.timeoutSeconds !== undefined && Number.isFinite(opts.timeoutSeconds) && opts.timeoutSeconds > 0)
      timers.push(
        setTimeout(() => {
          if (opts.bookmarks && !opts.table) bookmark();
          close(false);
        }, opts.timeoutSeconds * 1000),
      );
    const entry: OpenWatch = { close: () => close(false) };
    const close = (abort: boolean) => {
      if (closed) return;
      closed = true;
      stop();
      for (const t of timers) clearTimeout(t);
      this.active.delete(entry);
      this.updateTicker();
      if (abort) res.destroy();
      else res.end();
    };
    this.active.add(entry);
    this.updateTicker();
    // (The request's own 'close' only says its body was read; the response's says the connection went.)
    res.on('close', () => close(true));
    res.on('error', () => close(true));
  }

  /** A wall-clock cluster only moves when someone looks: while watches are open, look regularly. */
  private updateTicker(): void {
    const wanted = this.active.size > 0 && this.cluster.clock instanceof RealClock;
    if (wanted && !this.ticker) {
      this.ticker = setInterval(() => {
        try {
          this.cluster.sync();
        } catch {
          // A failing sync is the engine's bug; the next request will report it.
        }
      }, TICK_MS);
      this.ticker.unref();
    } else if (!wanted && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
