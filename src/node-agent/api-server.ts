/**
 * The cluster's Kubernetes API inside the control-plane container (issue 20): the engine's ApiHandler over the
 * agent's own cluster object, so API requests and terminal lines act on one state. It listens on the container's
 * loopback only; the Docker driver reaches it through the Docker API (an exec of `nc 127.0.0.1 PORT` whose
 * stdin/stdout carry the connection, src/clusters/docker/api-bridge.ts), never through the container's address.
 */
import http from 'node:http';
import type { Cluster } from '../engine/index';
import { ApiHandler } from '../engine/http/handler';

export interface AgentApiServer {
  port: number;
  close(): Promise<void>;
}

/** Pooled bridge connections sit idle between a student's kubectl runs; the driver closes them first. */
const KEEP_ALIVE_MS = 120_000;

export async function listenApi(cluster: Cluster, port: number): Promise<AgentApiServer> {
  // The address /api reports to clients; kubectl ignores it (it keeps talking to the server it was given).
  const handler = new ApiHandler({ cluster, address: () => `127.0.0.1:${port}` });
  const server = http.createServer(handler.handle);
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.on('upgrade', handler.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        handler.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
