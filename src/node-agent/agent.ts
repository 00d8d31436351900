/**
 * NodeAgent: serves one cluster's lab terminal on a unix socket inside the control-plane container.
 *
 * Command lines run one at a time, in arrival order, because the terminal is stateful (an interactive
 * `kubectl exec -ti` shell changes what the next line means). A cancel aborts the named command whether
 * it is running or still waiting; a client that hangs up aborts its own command too.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Cluster, LabTerminal } from '../engine/index';
import { PaneEditor } from '../engine/terminal/pane-editor';
import { EffectsRecorder } from '../engine/kubectl/effects';
import type { AgentHome } from './agent-home';
import { queryObjects } from './object-query';
import {
  ABORTED_EXIT,
  type AgentReply,
  type AgentRequest,
  type AgentStatus,
  type ClaimInfo,
  encode,
  LineSplitter,
} from './protocol';

export interface NodeAgentOptions {
  socketPath: string;
  cluster: Cluster;
  terminal: LabTerminal;
  /** The terminal's home as this container keeps it (AgentHome.open with the terminal's home). */
  home: AgentHome;
  nodeCount: number;
  /** Where the claim (lab session, owner) is written, so an operator can read it inside the container. */
  claimFile: string;
}

export class NodeAgent {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly running = new Map<string, AbortController>();
  /** The page's editor pane of runs that have one (`editor` requests), by run id. */
  private readonly panes = new Map<string, PaneEditor>();
  private queue: Promise<unknown> = Promise.resolve();
  private claim: ClaimInfo | null = null;

  constructor(private readonly options: NodeAgentOptions) {}

  async listen(): Promise<void> {
    await fs.mkdir(path.dirname(this.options.socketPath), { recursive: true });
    await fs.rm(this.options.socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.socketPath, () => resolve());
    });
  }

  async close(): Promise<void> {
    for (const controller of this.running.values()) controller.abort();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const lines = new LineSplitter();
    let handled = false;
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      const [first] = lines.push(chunk);
      if (handled || first === undefined) return;
      handled = true;
      const reply = (message: AgentReply) => {
        if (!socket.destroyed) socket.write(encode(message));
      };
      this.handle(first, reply, socket)
        .catch((error: unknown) =>
          reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
        )
        .finally(() => socket.end());
    });
  }

  private async handle(raw: string, reply: (message: AgentReply) => void, socket: net.Socket): Promise<void> {
    const request = parseRequest(raw);
    switch (request.type) {
      case 'run':
        return this.run(request, reply, socket);
      case 'edited':
        return reply({ type: 'edited', found: this.panes.get(request.id)?.closed(request.text) ?? false });
      case 'cancel': {
        const controller = this.running.get(request.id);
        controller?.abort();
        return reply({ type: 'cancelled', found: controller !== undefined });
      }
      case 'objects':
        return reply({ type: 'objects', objects: queryObjects(this.options.cluster, request.query) });
      case 'status':
        return reply({ type: 'status', status: this.status() });
      case 'claim':
        await this.recordClaim(request.claim);
        return reply({ type: 'claimed' });
    }
  }

  private async run(
    { id, line, home, editor, effects }: Extract<AgentRequest, { type: 'run' }>,
    reply: (message: AgentReply) => void,
    socket: net.Socket,
  ) {
    if (this.running.has(id)) throw new Error(`a command with id "${id}" is already running`);
    const controller = new AbortController();
    this.running.set(id, controller);
    // The buffer goes to the driver on this connection; the text comes back on another (an `edited` request).
    const pane = editor
      ? new PaneEditor((file) => reply({ type: 'editor', name: file.name, text: file.text }))
      : undefined;
    if (pane) this.panes.set(id, pane);
    socket.on('close', () => controller.abort());
    // The home is brought up to date and read back inside the line's turn: no other line changes it meanwhile.
    const turn = this.queue.then(async (): Promise<number | undefined> => {
      if (controller.signal.aborted) return ABORTED_EXIT;
      const readiness = await this.options.home.prepare(home);
      if (!readiness.ready) {
        reply({ type: 'home-needed' });
        return undefined;
      }
      const contextNamespace = this.options.cluster.kubeconfig.namespace();
      const recorder = effects ? new EffectsRecorder() : undefined;
      const code = await this.options.terminal.run(line, {
        stdout: (data) => reply({ type: 'stdout', data }),
        stderr: (data) => reply({ type: 'stderr', data }),
        signal: controller.signal,
        editor: pane,
        effects: recorder,
      });
      const changed = await this.options.home.finish(readiness.before, home);
      if (changed) reply({ type: 'home', snapshot: changed });
      if (recorder) reply({ type: 'effects', effects: { contextNamespace, ...recorder.effects() } });
      return code;
    });
    this.queue = turn.catch(() => undefined);
    try {
      const code = await turn;
      if (code !== undefined) reply({ type: 'exit', code });
    } finally {
      this.running.delete(id);
      this.panes.delete(id);
    }
  }

  private status(): AgentStatus {
    return {
      ready: true,
      nodeCount: this.options.nodeCount,
      claim: this.claim,
      runningCommands: [...this.running.keys()],
    };
  }

  private async recordClaim(claim: ClaimInfo): Promise<void> {
    for (const key of ['clusterId', 'labSessionId', 'ownerId'] as const) {
      if (typeof claim?.[key] !== 'string' || claim[key] === '') throw new Error(`claim needs a "${key}"`);
    }
    if (this.claim && this.claim.clusterId !== claim.clusterId) {
      throw new Error(`this cluster is already claimed as ${this.claim.clusterId}`);
    }
    this.claim = { clusterId: claim.clusterId, labSessionId: claim.labSessionId, ownerId: claim.ownerId };
    await fs.writeFile(this.options.claimFile, JSON.stringify(this.claim) + '\n');
  }
}

function parseRequest(raw: string): AgentRequest {
  let request: AgentRequest;
  try {
    request = JSON.parse(raw) as AgentRequest;
  } catch {
    throw new Error('request is not JSON');
  }
  const known = ['run', 'cancel', 'edited', 'objects', 'status', 'claim'];
  if (!request || typeof request !== 'object' || !known.includes(request.type)) {
    throw new Error(`unknown request; expected one of ${known.join(', ')}`);
  }
  const needsId = ['run', 'cancel', 'edited'].includes(request.type);
  if (needsId && typeof (request as { id?: unknown }).id !== 'string') {
    throw new Error(`${request.type} needs an "id"`);
  }
  if (request.type === 'run' && typeof request.line !== 'string') throw new Error('run needs a "line"');
  if (request.type === 'edited' && typeof request.text !== 'string') throw new Error('edited needs a "text"');
  if (request.type === 'run' && request.home !== undefined && typeof request.home?.version !== 'number')
    throw new Error('run\'s "home" needs a "version"');
  return request;
}
