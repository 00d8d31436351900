import { io, Socket } from 'socket.io-client';
import { useEffect, useState } from 'react';
import type { ClientToServerEvents, ServerToClientEvents } from '@shared/events';

export type KubelabSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionState =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'disconnected' }
  | { state: 'refused'; message: string };

let socket: KubelabSocket | undefined;
let connection: ConnectionState = { state: 'connecting' };
const watchers = new Set<(state: ConnectionState) => void>();

function setConnection(next: ConnectionState): void {
  connection = next;
  watchers.forEach((watcher) => watcher(next));
}

/**
 * The one websocket of the signed-in user (same origin; the session cookie authenticates the
 * handshake). socket.io reconnects by itself; screens re-join their rooms on every 'connect'.
 */
export function getSocket(): KubelabSocket {
  if (socket) return socket;
  const created: KubelabSocket = io({
    path: '/socket.io',
    withCredentials: true,
    transports: ['websocket', 'polling'],
  });
  created.on('connect', () => setConnection({ state: 'connected' }));
  created.on('disconnect', (reason) => {
    // A server-side disconnect is not retried by socket.io: ask again (the cookie may have been renewed).
    if (reason === 'io server disconnect') created.connect();
    setConnection({ state: 'disconnected' });
  });
  created.on('connect_error', (error) => {
    if (created.active) setConnection({ state: 'disconnected' });
    else setConnection({ state: 'refused', message: error.message });
  });
  socket = created;
  return created;
}

/** Closes the socket (on sign-out), so the next user gets a fresh handshake. */
export function closeSocket(): void {
  socket?.disconnect();
  socket = undefined;
  setConnection({ state: 'connecting' });
}

export function useConnection(): ConnectionState {
  const [state, setState] = useState(connection);
  useEffect(() => {
    watchers.add(setState);
    setState(connection);
    return () => {
      watchers.delete(setState);
    };
  }, []);
  return state;
}

/** Acknowledged emit as a promise; rejects when the server does not answer within the timeout. */
export function emitWithAck<E extends keyof ClientToServerEvents>(
  target: KubelabSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
  timeoutMs = 15000,
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  type Result = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
  return new Promise((resolve, reject) => {
    // socket.io's typed emit cannot follow a generic event name; the payload and ack types above are checked.
    const timed = target.timeout(timeoutMs) as unknown as {
      emit(name: string, body: unknown, ack: (error: Error | null, result: Result) => void): void;
    };
    timed.emit(event, payload, (error, result) => (error ? reject(error) : resolve(result)));
  });
}
