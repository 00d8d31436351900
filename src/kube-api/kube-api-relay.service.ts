import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ClusterDriver, ClusterRef } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { ClusterSummary } from '../repositories/cluster.repository';
import { LabSessionRepository } from '../repositories/lab-session.repository';
import { ClusterLookupService, ClusterUnavailableError } from '../services/cluster-lookup.service';
import { sendStatus, sendStatusOnSocket, tooManyRequests, unavailable } from './api-status';
import { HttpStatus, statusFor } from '../engine/http/status';
import { SessionPlacementService } from '../placement/session-placement.service';
import { WorkerPresenceService } from '../placement/worker-presence.service';
import { RELAY_HEADERS } from './relay-protocol';
import { SessionGate } from './session-gate';
import { InvocationTurns, invocationMayWrite, type Turn } from './invocation-turns';

/** Activity (the session's idle expiry) is written at most this often per session from API requests. */
const ACTIVITY_EVERY_MS = 2000;

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The worker's side of the Kubernetes API (issue 20): an internal HTTP relay that serves the API requests the
 * listener sends for the sessions whose clusters this worker holds. Each request finds the session's cluster as a
 * terminal command does (waking an idled-out one), runs through the driver's serveApi (the engine's ApiHandler),
 * and counts as activity. A write first takes the session's turn (SessionGate, ordered with the terminal's
 * commands; one turn for all the requests of a writing kubectl invocation, InvocationTurns) and saves the cluster's
 * snapshot after it, as a command does.
 */
@Injectable()
export class KubeApiRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KubeApiRelay');
  private readonly secret = randomBytes(24).toString('hex');
  private server: http.Server | undefined;
  private readonly touched = new Map<string, number>();
  private readonly turns = new InvocationTurns((labSessionId) => this.gate.take(labSessionId));

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly clusters: ClusterLookupService,
    private readonly sessions: LabSessionRepository,
    private readonly gate: SessionGate,
    private readonly presence: WorkerPresenceService,
    private readonly placement: SessionPlacementService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.driver.capabilities.kubernetesApi || !this.driver.serveApi) {
      this.logger.log({ msg: `the ${this.driver.name} driver does not serve the Kubernetes API: no relay` });
      return;
    }
    const server = http.createServer((req, res) => void this.onRequest(req, res));
    server.on(
      'upgrade',
      (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void this.onUpgrade(req, socket, head),
    );
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.kubeApi.relayPort, this.config.kubeApi.relayHost, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    const url = `http://${this.config.kubeApi.relayHost}:${port}`;
    // The worker's heartbeat carries it from now on; the API sends each session's requests to its placed worker.
    await this.presence.announceRelay({ url, secret: this.secret });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await this.turns.releaseAll();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const target = this.targetOf(req);
    if (!target) {
      req.resume();
      sendStatus(res, statusFor(new HttpStatus(403, 'Forbidden', 'not a request of the lab platform')));
      return;
    }
    const mutation = target.kind === 'mutation';
    // Every request of a writing kubectl invocation is served in one turn (InvocationTurns), its reads included.
    const invocation = header(req, 'kubectl-session');
    const needsTurn =
      mutation || (target.kind === 'read' && invocationMayWrite(header(req, 'kubectl-command')));
    let turn: Turn | undefined;
    // A watch may last long after the session's last command: it keeps the session (and its cluster) here.
    const unhold = this.placement.hold(target.labSessionId, this.presence.workerId);
    res.once('close', unhold);
    try {
      if (needsTurn) {
        turn = await this.turns.take(target.labSessionId, invocation);
        if (!turn) {
          req.resume();
          sendStatus(
            res,
            tooManyRequests(1, 'the lab terminal is still running a command, and writes wait for it'),
            {
              'Retry-After': '1',
            },
          );
          return;
        }
      }
      // Found after the turn is taken: a command that ran meanwhile may have changed (and saved) the cluster.
      const found = await this.ready(target);
      if (!found) {
        req.resume();
        sendStatus(
          res,
          unavailable('the lab cluster is not available; open the lab in the workspace, then try again'),
        );
        return;
      }
      this.touch(target.labSessionId);
      await this.driver.serveApi!(found.ref, req, res);
      if (mutation && res.statusCode < 400) await this.saveSnapshot(found.cluster, found.ref);
    } catch (error) {
      this.logger.error({
        msg: 'API request failed',
        labSessionId: target.labSessionId,
        error: (error as Error).message,
      });
      if (!res.headersSent) sendStatus(res, statusFor(error));
      else res.destroy();
    } finally {
      await turn?.release();
    }
  }

  private async onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const target = this.targetOf(req);
    if (!target) {
      sendStatusOnSocket(
        socket,
        statusFor(new HttpStatus(403, 'Forbidden', 'not a request of the lab platform')),
      );
      return;
    }
    try {
      const found = await this.ready(target);
      if (!found) {
        sendStatusOnSocket(
          socket,
          unavailable('the lab cluster is not available; open the lab in the workspace, then try again'),
        );
        return;
      }
      this.touch(target.labSessionId);
      socket.once('close', this.placement.hold(target.labSessionId, this.presence.workerId));
      const served = (await this.driver.upgradeApi?.(found.ref, req, socket, head)) ?? false;
      if (!served)
        sendStatusOnSocket(
          socket,
          statusFor(
            new HttpStatus(
              400,
              'BadRequest',
              'exec, attach and port-forward are not served by this lab platform yet; use the web terminal for them',
            ),
          ),
        );
    } catch (error) {
      sendStatusOnSocket(socket, statusFor(error));
    }
  }

  /**
   * The session, its student and the request's kind, from a request that carries this relay's secret (undefined
   * otherwise); the relay's headers are removed before the cluster sees the request.
   */
  private targetOf(
    req: http.IncomingMessage,
  ): { labSessionId: string; ownerId: string; kind: string } | undefined {
    const given = Buffer.from(String(req.headers[RELAY_HEADERS.secret] ?? ''));
    const expected = Buffer.from(this.secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const labSessionId = String(req.headers[RELAY_HEADERS.session] ?? '');
    const ownerId = String(req.headers[RELAY_HEADERS.owner] ?? '');
    const kind = String(req.headers[RELAY_HEADERS.kind] ?? '');
    for (const name of Object.values(RELAY_HEADERS)) delete req.headers[name];
    return labSessionId && ownerId ? { labSessionId, ownerId, kind } : undefined;
  }

  /** The session's ready cluster, provisioned or restored as for a terminal command when it has none. */
  private async ready(target: {
    labSessionId: string;
    ownerId: string;
  }): Promise<{ cluster: ClusterSummary; ref: ClusterRef } | undefined> {
    try {
      return await this.clusters.readyRef(
        { id: target.labSessionId, userId: target.ownerId },
        this.config.clusters.provisionTimeoutSeconds * 1000,
      );
    } catch (error) {
      if (error instanceof ClusterUnavailableError) return undefined;
      throw error;
    }
  }

  private async saveSnapshot(cluster: ClusterSummary, ref: ClusterRef): Promise<void> {
    const snapshot = await this.driver.snapshot(ref).catch(() => null);
    await this.clusters
      .saveSnapshot(cluster, snapshot)
      .catch((error: Error) =>
        this.logger.warn({ msg: 'snapshot not saved', clusterId: cluster.id, error: error.message }),
      );
  }

  /** An API request is activity: it moves the session's idle expiry, as a command does. */
  private touch(labSessionId: string): void {
    const now = Date.now();
    if (now - (this.touched.get(labSessionId) ?? 0) < ACTIVITY_EVERY_MS) return;
    this.touched.set(labSessionId, now);
    if (this.touched.size > 10_000) this.touched.clear();
    const idle = new Date(now + this.config.clusters.idleMinutes * 60_000);
    void this.sessions
      .touch([labSessionId], new Date(now), idle)
      .catch((error: Error) =>
        this.logger.warn({ msg: 'activity not recorded', labSessionId, error: error.message }),
      );
  }
}
