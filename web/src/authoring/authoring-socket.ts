import { useEffect, useRef } from 'react';
import { emitWithAck, getSocket } from '../lib/socket';
import type { DraftChangedEvent, ProofEvent } from './authoring-types';

/**
 * Joins the draft's room `draft:<id>` (again after every reconnect) and hands its events to the page; the latest
 * handlers are used without re-subscribing on each render. `onJoined` runs after each join, so the page can catch
 * up with what it missed while disconnected.
 */
export function useDraftRoom(
  draftId: string,
  handlers: {
    onDraft(event: DraftChangedEvent): void;
    onProof(event: ProofEvent): void;
    onJoined(): void;
    onRefused(message: string): void;
  },
): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const socket = getSocket();
    const join = () => {
      emitWithAck(socket, 'authoring.watch', { draftId }).then(
        (result) => (result.ok ? latest.current.onJoined() : latest.current.onRefused(result.message)),
        (error: unknown) => latest.current.onRefused(String(error)),
      );
    };
    const onDraft = (event: DraftChangedEvent) => {
      if (event.draftId === draftId) latest.current.onDraft(event);
    };
    const onProof = (event: ProofEvent) => {
      if (event.draftId === draftId) latest.current.onProof(event);
    };
    socket.on('authoring.draft', onDraft);
    socket.on('authoring.proof', onProof);
    socket.on('connect', join);
    if (socket.connected) join();
    return () => {
      socket.off('authoring.draft', onDraft);
      socket.off('authoring.proof', onProof);
      socket.off('connect', join);
    };
  }, [draftId]);
}
