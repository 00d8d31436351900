/**
 * `GET …/pods/NAME/log?follow=true` over plain HTTP: the log so far (podLog: --tail, --since, --timestamps), sent
 * at once with the headers, then new lines as they are written (log-follow.ts); the response ends when the
 * container stops, and a client that leaves ends the follower. A client that stops reading is cut off.
 */
import type { ServerResponse } from 'node:http';
import type { Pod } from '../../api/types';
import type { Cluster } from '../../cluster';
import { podLog } from '../subresources';
import { followLog } from './log-follow';
import type { TrackStream } from './upgrade';

/** Unread bytes a following client may leave queued (the watch backlog's limit). */
export const MAX_LOG_BACKLOG_BYTES = 4 * 1024 * 1024;

export function serveFollowedLog(
  cluster: Cluster,
  res: ServerResponse,
  target: { namespace: string; pod: string; query: URLSearchParams },
  track: TrackStream,
): void {
  const q = target.query;
  const timestamps = q.get('timestamps') === 'true';
  const text = podLog(cluster, target.namespace, target.pod, {
    container: q.get('container') ?? undefined,
    tailLines: q.has('tailLines') ? Number(q.get('tailLines')) : undefined,
    timestamps,
    sinceSeconds: q.has('sinceSeconds') ? Number(q.get('sinceSeconds')) : undefined,
    sinceTime: q.get('sinceTime') ?? undefined,
  });
  const container =
    q.get('container') || cluster.api.get<Pod>('pods', target.namespace, target.pod).spec.containers[0].name;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.write(text);
  const abort = new AbortController();
  const tracked = track(() => abort.abort());
  res.on('close', () => abort.abort());
  const write = (chunk: string) => {
    if (res.writableLength > MAX_LOG_BACKLOG_BYTES) {
      abort.abort();
      res.destroy();
      return;
    }
    res.write(chunk);
  };
  void followLog(
    cluster,
    { namespace: target.namespace, pod: target.pod, container, timestamps },
    write,
    abort.signal,
  )
    .catch(() => undefined)
    .finally(() => {
      tracked.done();
      if (!res.destroyed) res.end();
    });
}
