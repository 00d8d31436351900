/**
 * Watch streams: headers flushed at once (kubectl's informers wait for them), then one JSON event per line with
 * the object's resourceVersion; Tables when asked for; timeoutSeconds; bookmarks. A watch from resourceVersion N
 * first replays the changes after N from the bounded history (watch-history.ts); one older than the history gets
 * the 410 Expired ERROR event and the stream ends. A client that stops reading is cut off once its unread backlog
 * passes a limit, so a stalled watch cannot hold the server's memory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo } from '../api/resources';
import type { KubeObject } from '../api/types';
import { RealClock } from '../clock/clock';
import type { Cluster } from '../cluster';
import type { WatchEventType } from '../server/api-server';
import { toTable, type IncludeObject } from './table';
import { ExpiredError, WatchHistory } from './watch-history';

export interface WatchRequest {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  bookmarks: boolean;
  table: boolean;
  include: IncludeObject;
  /** The object in the version the client watches, when not the stored one (autoscaling/v1 HPAs). */
  view?: (obj: KubeObject) => KubeObject;
  /** That version's apiVersion, for bookmarks. */
  apiVersion?: string;
}

/** Unread bytes a watcher may leave queued before the server drops it. */
export const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 60_000;
/** On a wall clock, how often an open watch lets the cluster's timers run (pods start, rollouts progress). */
const TICK_MS = 200;

interface OpenWatch {
  close(): void;
  /** Bytes written to the client and not yet taken by it. */
  buffered(): number;
}

export interface WatchLimits {
  /** Events the history keeps (watch-history.ts HISTORY_EVENTS). */
  historyEvents?: number;
  /** Unread bytes per watcher before it is cut off (MAX_BACKLOG_BYTES). */
  backlogBytes?: number;
}

export class WatchHub {
  private readonly active = new Set<OpenWatch>();
  private ticker: NodeJS.Timeout | undefined;
  readonly history: WatchHistory;

  private readonly backlogBytes: number;

  constructor(
    private readonly cluster: Cluster,
    limits: WatchLimits = {},
  ) {
    this.history = new WatchHistory(cluster.store, limits.historyEvents);
    this.backlogBytes = limits.backlogBytes ?? MAX_BACKLOG_BYTES;
  }

  get count(): number {
    return this.active.size;
  }

  /** What the open watches hold unread, in bytes: at most one event over the backlog limit each. */
  get bufferedBytes(): number {
    let total = 0;
    for (const w of this.active) total += w.buffered();
    return total;
  }

  closeAll(): void {
    for (const w of [...this.active]) w.close();
    this.history.close();
  }

  open(req: IncomingMessage, res: ServerResponse, info: ResourceInfo, opts: WatchRequest): void {
    const cluster = this.cluster;
    // Validates the selectors (a bad one is a 400 before the stream starts) and lists what a watch from "0" replays.
    const filter = {
      namespace: opts.namespace,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
    };
    const existing = cluster.api.list(info.resource, filter);
    // From a resourceVersion: the changes after it (or 410 once the history has dropped some of them).
    const since = Number(opts.resourceVersion);
    const fromVersion = !!opts.resourceVersion && opts.resourceVersion !== '0';
    let replay: { type: WatchEventType; obj: KubeObject }[] = [];
    let expired: ExpiredError | undefined;
    if (fromVersion && Number.isInteger(since) && since >= 0) {
      try {
        replay = this.history.since(info, since, filter);
      } catch (error) {
        if (!(error instanceof ExpiredError)) throw error;
        expired = error;
      }
    }
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
      let object: unknown = type !== 'BOOKMARK' && opts.view ? opts.view(obj as KubeObject) : obj;
      if (type !== 'BOOKMARK' && opts.table) {
        object = toTable(info, [obj as KubeObject], cluster.now(), {
          resourceVersion: (obj as KubeObject).metadata.resourceVersion,
          include: opts.include,
          headers: !headersSent,
        });
        headersSent = true;
      }
      // What is still queued is what the client has not taken: past the limit it is cut off (one event may be
      // larger than the limit by itself; that is not a stall).
      if (res.writableLength > this.backlogBytes) {
        close(true);
        return;
      }
      res.write(JSON.stringify({ type, object }) + '\n');
    };
    const stop = cluster.api.watch(
      info.resource,
      { namespace: opts.namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector },
      (type, obj) => {
        lastRv = obj.metadata.resourceVersion ?? lastRv;
        write(type, obj);
      },
    );
    if (expired) {
      // The watch cache's answer: one ERROR event carrying the 410 Status, then the end of the stream.
      res.end(
        JSON.stringify({
          type: 'ERROR',
          object: {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: expired.message,
            reason: 'Expired',
            code: 410,
          },
        }) + '\n',
      );
      stop();
      return;
    }
    if (!fromVersion) for (const obj of existing) write('ADDED', obj);
    for (const event of replay) write(event.type, event.obj);
    const bookmark = () =>
      write('BOOKMARK', {
        kind: info.kind,
        apiVersion: opts.apiVersion ?? info.apiVersion,
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
    const entry: OpenWatch = { close: () => close(false), buffered: () => res.writableLength };
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
