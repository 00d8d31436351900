import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { SessionSnapshot } from '@shared/events';
import { useI18n } from '../i18n/i18n';
import { getSocket } from '../lib/socket';
import { FinishedRun, TerminalSession, TerminalTexts } from './terminal-session';

interface Props {
  labSessionId: string;
  onSnapshot(snapshot: SessionSnapshot): void;
  onCommandFinished(run: FinishedRun): void;
}

const THEME = {
  background: '#14161b',
  foreground: '#e6e6e6',
  cursor: '#7ee0b5',
  selectionBackground: '#3a5f8a',
  red: '#ff7b72',
  yellow: '#f2cc60',
  green: '#7ee787',
  blue: '#79c0ff',
};

export function TerminalPane({ labSessionId, onSnapshot, onCommandFinished }: Props) {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  // The terminal lives as long as the session is open; language changes and callbacks reach it through refs.
  const [busy, setBusy] = useState(false);
  // An instructor's terminal only watches: its help line says so instead of how to type.
  const [readOnly, setReadOnly] = useState(false);
  const callbacks = useRef({ onSnapshot, onCommandFinished, t });
  callbacks.current = { onSnapshot, onCommandFinished, t };

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const terminal = new Terminal({
      fontFamily: '"DejaVu Sans Mono", "Noto Sans Mono CJK SC", "Cascadia Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      lineHeight: 1.15,
      cursorBlink: true,
      scrollback: 5000,
      theme: THEME,
      allowProposedApi: false,
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(element);
    fit.fit();
    terminal.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown') return true;
      // Esc lets keyboard users leave the terminal (Tab is completion inside it).
      if (event.key === 'Escape') {
        terminal.blur();
        element.focus();
        return false;
      }
      // Ctrl-C with a selection copies, as in desktop terminals; without one it interrupts.
      if (event.ctrlKey && event.key === 'c' && terminal.hasSelection()) {
        void navigator.clipboard?.writeText(terminal.getSelection()).catch(() => undefined);
        return false;
      }
      return true;
    });
    const texts: TerminalTexts = {
      rejected: (message, rejection) => {
        const tr = callbacks.current.t;
        if (rejection?.code === 'rate_limited' && rejection.retryAfterSeconds)
          return `✗ ${tr('term.rateLimited', { seconds: rejection.retryAfterSeconds })}`;
        return `✗ ${tr('term.rejected')}: ${message}`;
      },
      busyRetrying: (seconds) => callbacks.current.t('term.busyRetrying', { seconds }),
      endedWith: (status) => {
        const tr = callbacks.current.t;
        if (status === 'cancelled') return '^C';
        if (status === 'timed_out') return `(${tr('term.timedOut')})`;
        if (status === 'interrupted') return `(${tr('term.interrupted')})`;
        if (status === 'rejected') return `(${tr('term.rejected')})`;
        return undefined;
      },
      joinFailed: (message) => callbacks.current.t('term.joinFailed', { message }),
      ownClient: (client) =>
        client === 'kubectl'
          ? callbacks.current.t('replay.ownKubectl')
          : callbacks.current.t('replay.ownClient', { client }),
      get readOnly() {
        return callbacks.current.t('term.readOnly');
      },
    };
    const session = new TerminalSession({
      terminal,
      socket: getSocket(),
      labSessionId,
      texts,
      onSnapshot: (snapshot) => {
        setReadOnly(snapshot.readOnly);
        callbacks.current.onSnapshot(snapshot);
      },
      onCommandFinished: (run) => callbacks.current.onCommandFinished(run),
      onBusyChange: setBusy,
    });
    session.start();
    const observer = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        // The element is being removed; nothing to fit.
      }
    });
    observer.observe(element);
    terminal.focus();
    return () => {
      observer.disconnect();
      session.dispose();
      terminal.dispose();
    };
  }, [labSessionId]);

  return (
    <div className="terminal-frame">
      <div
        ref={host}
        className="terminal-host"
        role="region"
        aria-label={t('term.label')}
        aria-describedby="terminal-help"
        tabIndex={-1}
        data-testid="terminal"
      />
      <p id="terminal-help" className="terminal-help" aria-live="polite" data-busy={busy}>
        {readOnly ? t('term.watching') : busy ? t('term.busy') : `${t('term.help')} ${t('term.focus')}`}
      </p>
    </div>
  );
}
