import { UseFilters } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { WsValidationPipe } from '../middleware/validation.pipe';
import { WsAckExceptionFilter } from '../middleware/ws-exception.filter';
import type { AuthUser } from '../services/auth.service';
import { ClientToServerEvents, draftRoom, ServerToClientEvents } from '../shared/events';
import { AuthoringWatchDto } from './authoring.dto';
import { AuthoringAccessService } from './services/authoring-access.service';

type AuthoringSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { user: AuthUser }
>;
type WatchPayload = Parameters<ClientToServerEvents['authoring.watch']>[0];

/**
 * Authors join a draft's room to see each other's saves and its proofs live. It shares the terminal
 * gateway's socket.io server (same path), whose handshake middleware already signed the user in.
 */
@WebSocketGateway({ path: '/socket.io' })
@UseFilters(WsAckExceptionFilter)
export class AuthoringGateway {
  constructor(private readonly access: AuthoringAccessService) {}

  @SubscribeMessage('authoring.watch')
  async watch(
    @ConnectedSocket() socket: AuthoringSocket,
    @MessageBody(new WsValidationPipe(AuthoringWatchDto)) body: WatchPayload,
  ) {
    try {
      await this.access.draftFor(socket.data.user, body.draftId);
      await socket.join(draftRoom(body.draftId));
      return { ok: true, data: null };
    } catch {
      return { ok: false, code: 'not_found', message: 'Draft not found.' };
    }
  }
}
