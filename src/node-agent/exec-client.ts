/**
 * `kubelab-exec`: the client the Docker driver runs through `docker exec` in the control-plane container.
 *
 *   kubelab-exec [--id ID] LINE     run one terminal line; streams its stdout/stderr; exits with its code
 *   kubelab-exec --cancel ID        abort the command started with --id ID (it then exits 130)
 *   kubelab-exec --objects JSON     print the objects an ObjectQuery selects, as a JSON array
 *   kubelab-exec --status           print the agent's status as JSON
 *   kubelab-exec --claim JSON       record {clusterId, labSessionId, ownerId} for a warm-pool cluster
 *   kubelab-exec --framed           send the request read from stdin (one JSON line, which may carry a home
 *                                   of megabytes: more than an argument holds) and print the agent's reply
 *                                   lines as they come; exits 0 once the agent has answered (the driver reads
 *                                   the line's own exit code from the replies)
 *
 * Exits 125 when the agent cannot be reached or answers with an error. Kept free of heavy imports:
 * it starts once per command, so its start-up time is part of every command's latency.
 */
import net from 'node:net';
import {
  type AgentReply,
  type AgentRequest,
  CLIENT_FAILURE_EXIT,
  DEFAULT_AGENT_SOCKET,
  encode,
  LineSplitter,
} from './protocol';

const USAGE =
  'usage: kubelab-exec [--id ID] LINE | --cancel ID | --objects JSON | --status | --claim JSON | --framed';

function requestFrom(argv: string[]): AgentRequest {
  const [flag, value, ...rest] = argv;
  const extra = rest.length > 0 ? rest : undefined;
  if (flag === '--status' && value === undefined) return { type: 'status' };
  if (flag === '--cancel' && value !== undefined && !extra) return { type: 'cancel', id: value };
  if (flag === '--objects' && value !== undefined && !extra)
    return { type: 'objects', query: parseJson(value) };
  if (flag === '--claim' && value !== undefined && !extra) return { type: 'claim', claim: parseJson(value) };
  if (flag === '--id' && value !== undefined && rest.length === 1)
    return { type: 'run', id: value, line: rest[0] };
  if (flag !== undefined && !flag.startsWith('--') && value === undefined) {
    // No node:crypto here: loading it costs start-up time on every command; a local id only needs to be unique now.
    return { type: 'run', id: `local-${process.pid}-${Date.now()}`, line: flag };
  }
  throw new Error(USAGE);
}

function parseJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not valid JSON: ${text}`);
  }
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (text += chunk));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

/** --framed: the request as the driver wrote it, the replies as the agent wrote them. */
function relay(raw: string, socketPath: string): Promise<number> {
  return new Promise((resolve) => {
    let answered = false;
    let failed = false;
    const socket = net.createConnection(socketPath, () =>
      socket.write(raw.endsWith('\n') ? raw : `${raw}\n`),
    );
    socket.on('error', (error) => {
      failed = true;
      process.stderr.write(`kubelab-exec: agent unreachable at ${socketPath}: ${error.message}\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      answered = true;
      process.stdout.write(chunk);
    });
    socket.on('close', () => {
      if (!failed && !answered)
        process.stderr.write('kubelab-exec: the agent closed the connection without an answer\n');
      resolve(answered && !failed ? 0 : CLIENT_FAILURE_EXIT);
    });
  });
}

function send(request: AgentRequest, socketPath: string): Promise<number> {
  return new Promise((resolve) => {
    let failed = false;
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      process.stderr.write(`kubelab-exec: ${message}\n`);
      resolve(CLIENT_FAILURE_EXIT);
    };
    const lines = new LineSplitter();
    let exitCode: number | undefined;
    const socket = net.createConnection(socketPath, () => socket.write(encode(request)));
    socket.setEncoding('utf8');
    socket.on('error', (error) => fail(`agent unreachable at ${socketPath}: ${error.message}`));
    socket.on('data', (chunk: string) => {
      for (const line of lines.push(chunk)) {
        const reply = JSON.parse(line) as AgentReply;
        if (reply.type === 'stdout') process.stdout.write(reply.data);
        else if (reply.type === 'stderr') process.stderr.write(reply.data);
        else if (reply.type === 'exit') exitCode = reply.code;
        else if (reply.type === 'home' || reply.type === 'home-needed' || reply.type === 'effects')
          continue; // only for a request that carried a home or asked for effects (--framed)
        else if (reply.type === 'error') {
          process.stderr.write(`kubelab-exec: ${reply.message}\n`);
          exitCode = CLIENT_FAILURE_EXIT;
        } else if (reply.type === 'objects') {
          process.stdout.write(JSON.stringify(reply.objects) + '\n');
          exitCode = 0;
        } else if (reply.type === 'status') {
          process.stdout.write(JSON.stringify(reply.status) + '\n');
          exitCode = 0;
        } else {
          process.stdout.write(JSON.stringify(reply) + '\n');
          exitCode = 0;
        }
      }
    });
    socket.on('close', () => {
      if (exitCode === undefined) fail('the agent closed the connection without an answer');
      else resolve(exitCode);
    });
  });
}

const socketPath = process.env.KUBELAB_AGENT_SOCKET ?? DEFAULT_AGENT_SOCKET;
// Let stdout/stderr drain before exiting (they are pipes to `docker exec`): set the code, do not exit.
const done = (code: number) => (process.exitCode = code);
if (process.argv.length === 3 && process.argv[2] === '--framed') {
  readStdin().then(
    (raw) => relay(raw, socketPath).then(done),
    (error: Error) => {
      process.stderr.write(`kubelab-exec: reading the request: ${error.message}\n`);
      done(CLIENT_FAILURE_EXIT);
    },
  );
} else {
  let request: AgentRequest | undefined;
  try {
    request = requestFrom(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`kubelab-exec: ${(error as Error).message}\n`);
    process.exit(2);
  }
  void send(request, socketPath).then(done);
}
