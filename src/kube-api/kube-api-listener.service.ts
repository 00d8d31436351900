import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import {
  forbidden,
  MAX_REQUEST_BODY_BYTES,
  notFound,
  platformBusy,
  sendStatus,
  sendStatusOnSocket,
  tooLarge,
  tooManyRequests,
  unauthorized,
  unavailable,
} from './api-status';
import { KubeApiPrincipal, KubeApiTokenService } from './kube-api-tokens.service';
import { RelayAddress, RelayDirectoryRepository } from './relay-directory.repository';
import { relayRequestHeaders } from './relay-protocol';
import { classifyRequest, type ClassifiedRequest } from './request-kind';
import { SessionLimitsService } from './session-limits.service';
import { ServingCertificateService } from './serving-certificate.service';
import { bearerToken } from './token-codec';
import { relayToClient } from './stalled-client';
import { API_REQUEST_OBSERVER, type ApiRequestObserver } from './api-request-observer';
import { isMutatingRequest, summarizeRequestBody } from './invocations';
import { decodeBody } from '../engine/http/body';
import { AdmissionService } from '../placement/admission.service';
import { SessionRouter } from '../placement/session-router.service';
import { JobName } from '../jobs/job.types';
import type { StatusBody } from '../engine/http/status';

const SESSION_PATH = /^\/k8s\/([0-9a-fA-F-]{36})(\/[^?]*)?(?:\?(.*))?$/;
const FIRST_BYTE_TIMEOUT_MS = 30_000;
/** What Go's TLS server answers to a plain HTTP request (net/http), as the API server does. */
const PLAIN_HTTP_ANSWER =
  'HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n' +
  'Client sent an HTTP request to an HTTPS server.\n';

/** A request on its way: where it goes and what it is, as known before the cluster answers. */
interface Admitted {
  labSessionId: string;
  principal: KubeApiPrincipal;
  apiPath: string;
  query: string;
  classified: ClassifiedRequest;
}

/**
 * The Kubernetes API of every lab session over HTTPS (issue 20), on a listener of its own in the API process:
 * `https://HOST:KUBE_API_PORT/k8s/<labSessionId>/…`. It owns a request from its arrival to its end: it checks the
 * bearer token, the body size and the session's limits, sends the request to the worker relay that serves the
 * session's cluster (RelayDirectoryRepository), streams the answer back, and announces the finished request to
 * the history (ApiRequestObserver). The worker side is KubeApiRelayService.
 */
@Injectable()
export class KubeApiListenerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KubeApiListener');
  private tcp: net.Server | undefined;
  private tls: https.Server | undefined;
  private boundPort: number | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly certificates: ServingCertificateService,
    private readonly tokens: KubeApiTokenService,
    private readonly limits: SessionLimitsService,
    private readonly relays: RelayDirectoryRepository,
    private readonly admission: AdmissionService,
    private readonly router: SessionRouter,
    @Optional() @Inject(API_REQUEST_OBSERVER) private readonly observer?: ApiRequestObserver,
  ) {}

  /** The URL kubeconfigs name (without the session's path), once the listener is up. */
  serverUrl(): string | undefined {
    if (this.config.kubeApi.publicUrl) return this.config.kubeApi.publicUrl.replace(/\/+$/, '');
    if (this.boundPort === undefined) return undefined;
    const host = this.config.kubeApi.host === '0.0.0.0' ? '127.0.0.1' : this.config.kubeApi.host;
    return `https://${host}:${this.boundPort}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.listen();
    } catch (error) {
      // The rest of the platform works without it: the workspace then says the API is not available.
      this.logger.error({ msg: 'Kubernetes API listener not started', error: (error as Error).message });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.agent.destroy();
    const tcp = this.tcp;
    this.tcp = undefined;
    this.tls?.closeAllConnections();
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    const { cert, key } = await this.certificates.certificate();
    const tls = https.createServer({ cert, key }, (req, res) => void this.onRequest(req, res));
    tls.on(
      'upgrade',
      (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void this.onUpgrade(req, socket, head),
    );
    tls.keepAliveTimeout = 30_000;
    tls.on('tlsClientError', () => undefined);
    this.tls = tls;
    // One port for both: a TLS ClientHello starts with 0x16; anything else is a plain-HTTP client, answered as Go does.
    const tcp = net.createServer((socket) => {
      // A client that connects and says nothing is not kept.
      socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
      socket.once('data', (first: Buffer) => {
        socket.setTimeout(0);
        socket.pause();
        if (first[0] !== 0x16) {
          socket.end(PLAIN_HTTP_ANSWER);
          return;
        }
        socket.unshift(first);
        tls.emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
      socket.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(this.config.kubeApi.port, this.config.kubeApi.host, () => resolve());
    });
    this.tcp = tcp;
    this.boundPort = (tcp.address() as net.AddressInfo).port;
    this.logger.log({ msg: 'Kubernetes API listening', url: this.serverUrl() });
  }

  /**
   * Authentication, the session's path, the token's rights and the limits. A request refused before its session is
   * known (401, 404) has no session to be recorded in; one refused after (403, 429) is recorded as answered.
   */
  private async admit(req: http.IncomingMessage): Promise<Admission> {
    const match = SESSION_PATH.exec(req.url ?? '');
    if (!match) return { refused: { status: notFound() } };
    const labSessionId = match[1].toLowerCase();
    const auth = await this.tokens.authenticate(bearerToken(req.headers.authorization), labSessionId);
    if (!auth.ok) return { refused: { status: auth.code === 401 ? unauthorized() : notFound() } };
    const apiPath = match[2] ?? '/';
    const query = match[3] ?? '';
    const classified = classifyRequest(req.method ?? 'GET', apiPath, new URLSearchParams(query));
    const admitted: Admitted = { labSessionId, principal: auth.principal, apiPath, query, classified };
    this.started(admitted, req);
    const reads = ['get', 'list', 'watch'];
    if (auth.principal.readOnly && !reads.includes(classified.attributes.verb))
      return { refused: { status: forbidden(auth.principal.userName, classified.attributes) }, admitted };
    const verdict = await this.limits.admit(labSessionId, classified.kind);
    if (!verdict.ok) {
      const retry = String(verdict.retryAfterSeconds);
      const status = tooManyRequests(verdict.retryAfterSeconds, verdict.why);
      return { refused: { status, headers: { 'Retry-After': retry } }, admitted };
    }
    // The platform's overload (issue 21): the session's worker is beyond its bound; kubectl prints the message.
    // Judged on the queue the session's commands go to (its worker's, or its cluster's Docker host's).
    const target = await this.router.targetFor(JobName.CommandRun, labSessionId).catch(() => undefined);
    const load = await this.admission.check(target);
    if (!load.ok) {
      verdict.release();
      const status = platformBusy(load.retryAfterSeconds, load.reason);
      return { refused: { status, headers: { 'Retry-After': String(load.retryAfterSeconds) } }, admitted };
    }
    return { admitted, release: verdict.release };
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let admission: Admission;
    try {
      admission = await this.admit(req);
    } catch (error) {
      this.logger.error({ msg: 'request not admitted', error: (error as Error).message });
      discardBody(req);
      sendStatus(res, unavailable('the lab platform could not check this request; try again'));
      return;
    }
    if ('refused' in admission) {
      discardBody(req);
      sendStatus(res, admission.refused.status, admission.refused.headers);
      if (admission.admitted) this.announce(admission.admitted, req, res.statusCode);
      return;
    }
    const { admitted, release } = admission;
    res.once('close', release);
    const body = await readLimited(req);
    if (body === 'too-large') {
      // The rest is read and dropped, as Go's server does: closing with it unread would reset the connection, and
      // kubectl, still sending, would print "connection reset by peer" instead of this answer.
      discardBody(req);
      sendStatus(res, tooLarge());
      this.announce(admitted, req, 413);
      return;
    }
    if (body === 'aborted') {
      this.announce(admitted, req, 499);
      return;
    }
    res.once('close', () => this.announce(admitted, req, res.statusCode, body));
    await this.forward(admitted, req, res, body);
  }

  /** Sends the request to the session's relay and streams its answer back; a relay that is gone is forgotten. */
  private async forward(
    admitted: Admitted,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
  ): Promise<void> {
    const relay = await this.relays.relayFor(admitted.labSessionId).catch(() => undefined);
    if (!relay) {
      sendStatus(res, unavailable('no lab worker is serving Kubernetes APIs right now; try again shortly'), {
        'Retry-After': '5',
      });
      return;
    }
    const outgoing = http.request(this.relayUrl(relay, admitted), {
      method: req.method,
      agent: this.agent,
      headers: relayRequestHeaders(req.headers, relay, admitted, body.length),
    });
    outgoing.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.flushHeaders();
      relayToClient(answer, res, this.stallMs(), () => this.cutOff(admitted, res));
      answer.on('error', () => res.destroy());
    });
    outgoing.on('error', (error) => {
      if (!res.headersSent) {
        void this.relays.forget(admitted.labSessionId, relay.workerId).catch(() => undefined);
        this.logger.warn({ msg: 'relay unreachable', workerId: relay.workerId, error: error.message });
        sendStatus(res, unavailable('the lab worker serving this cluster did not answer; try again'), {
          'Retry-After': '1',
        });
      } else res.destroy();
    });
    // The client went away (Ctrl-C on `get -w`): the relay's request ends, and the cluster's watch with it.
    res.once('close', () => outgoing.destroy());
    outgoing.end(body);
  }

  private async onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    let admission: Admission;
    try {
      admission = await this.admit(req);
    } catch {
      sendStatusOnSocket(socket, unavailable('the lab platform could not check this request; try again'));
      return;
    }
    if ('refused' in admission) {
      sendStatusOnSocket(socket, admission.refused.status, admission.refused.headers);
      if (admission.admitted) this.announce(admission.admitted, req, admission.refused.status.code);
      return;
    }
    const { admitted, release } = admission;
    socket.once('close', release);
    const relay = await this.relays.relayFor(admitted.labSessionId).catch(() => undefined);
    if (!relay) {
      sendStatusOnSocket(
        socket,
        unavailable('no lab worker is serving Kubernetes APIs right now; try again shortly'),
      );
      this.announce(admitted, req, 503);
      return;
    }
    const outgoing = http.request(this.relayUrl(relay, admitted), {
      method: req.method,
      headers: relayRequestHeaders(req.headers, relay, admitted, undefined),
    });
    outgoing.on('upgrade', (answer, relaySocket, relayHead) => {
      const lines = [`HTTP/1.1 101 ${answer.statusMessage ?? 'Switching Protocols'}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2)
        lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (relayHead.length) socket.write(relayHead);
      if (head.length) relaySocket.write(head);
      relayToClient(relaySocket, socket, this.stallMs(), () => this.cutOff(admitted, socket));
      socket.pipe(relaySocket);
      relaySocket.on('error', () => socket.destroy());
      socket.once('close', () => relaySocket.destroy());
      relaySocket.once('close', () => socket.destroy());
      this.announce(admitted, req, 101);
    });
    outgoing.on('response', (answer) => {
      // Not upgraded: the relay's answer (a Status) goes back as it came.
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        socket.end(
          `HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ''}\r\nContent-Type: ${answer.headers['content-type'] ?? 'application/json'}\r\n` +
            `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
        );
        this.announce(admitted, req, answer.statusCode ?? 502);
      });
    });
    outgoing.on('error', () => {
      void this.relays.forget(admitted.labSessionId, relay.workerId).catch(() => undefined);
      sendStatusOnSocket(
        socket,
        unavailable('the lab worker serving this cluster did not answer; try again'),
      );
      this.announce(admitted, req, 503);
    });
    outgoing.end();
  }

  private stallMs(): number {
    return this.config.kubeApi.stalledClientSeconds * 1000;
  }

  /** A client that stopped reading: its answer ends here, and with it the relay's request and the cluster's watch. */
  private cutOff(admitted: Admitted, client: { destroy(): void }): void {
    this.logger.warn({
      msg: 'client stopped reading: answer cut off',
      labSessionId: admitted.labSessionId,
      path: admitted.apiPath,
      seconds: this.config.kubeApi.stalledClientSeconds,
    });
    client.destroy();
  }

  private relayUrl(relay: RelayAddress, admitted: Admitted): string {
    return `${relay.url}${admitted.apiPath}${admitted.query ? `?${admitted.query}` : ''}`;
  }

  /** A request arrived on a session's path with a valid token: the history holds its invocation open. */
  private started(admitted: Admitted, req: http.IncomingMessage): void {
    if (!this.observer?.started || admitted.principal.readOnly) return;
    try {
      this.observer.started(admitted.labSessionId, {
        ...identityOf(req),
        path: admitted.apiPath,
        at: Date.now(),
      });
    } catch (error) {
      this.logger.warn({ msg: 'request start not recorded', error: (error as Error).message });
    }
  }

  /**
   * A finished request, to the session's history (grouped into kubectl invocations there). The one place a
   * request's end is announced; an instructor's reads are not the student's history.
   */
  private announce(admitted: Admitted, req: http.IncomingMessage, status: number, body?: Buffer): void {
    if (!this.observer || admitted.principal.readOnly) return;
    const method = (req.method ?? 'GET').toUpperCase();
    const mutating = isMutatingRequest(method, admitted.apiPath);
    try {
      this.observer.observe(admitted.labSessionId, {
        method,
        path: admitted.apiPath,
        query: admitted.query,
        ...identityOf(req),
        status,
        mutating,
        at: Date.now(),
        ...(mutating && body?.length ? { summary: summaryOf(body, req.headers['content-type']) } : {}),
      });
    } catch (error) {
      this.logger.warn({ msg: 'request not recorded', error: (error as Error).message });
    }
  }
}

type Admission =
  | { refused: { status: StatusBody; headers?: Record<string, string> }; admitted?: Admitted }
  | { admitted: Admitted; release: () => void };

function identityOf(req: http.IncomingMessage): {
  kubectlCommand?: string;
  kubectlSession?: string;
  userAgent?: string;
} {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    kubectlCommand: header('kubectl-command'),
    kubectlSession: header('kubectl-session'),
    userAgent: header('user-agent'),
  };
}

/** What a write's body says for its history line; a body the engine cannot decode says nothing. */
function summaryOf(body: Buffer, contentType: string | undefined): object | undefined {
  try {
    return summarizeRequestBody(decodeBody(body, contentType), contentType);
  } catch {
    return undefined;
  }
}

/** The whole body, up to MAX_REQUEST_BODY_BYTES (requests are small; a larger one is answered 413). */
async function readLimited(req: http.IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BODY_BYTES) return 'too-large';
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) settle('too-large');
      else chunks.push(chunk);
    };
    const onEnd = () => settle(Buffer.concat(chunks));
    const onAbort = () => settle('aborted');
    function settle(value: Buffer | 'too-large' | 'aborted'): void {
      req.off('data', onData).off('end', onEnd).off('aborted', onAbort).off('error', onAbort);
      if (value === 'too-large') req.pause();
      resolve(value);
    }
    req.on('data', onData).on('end', onEnd).on('aborted', onAbort).on('error', onAbort);
  });
}

/** The most of a refused request's body read and dropped; a client that sends more is disconnected. */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Reads and drops the rest of a refused request's body, so the connection can carry the answer (and the next
 * request): a socket closed with data unread is reset, and the client may lose the answer with it.
 */
function discardBody(req: http.IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_LIMIT_BYTES) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}
