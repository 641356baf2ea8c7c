import {
  readStamp,
  type HandshakeStep,
  type LoadUser,
  type ProtocolAdapter,
  type ProtocolSession,
  type RunLine,
  type SessionOptions,
} from './protocol.js';

/** `:prefix COMMAND params` or `COMMAND params` -> the command (or numeric) word. */
export function ircCommand(line: string): string {
  let start = 0;
  if (line.startsWith(':')) {
    start = line.indexOf(' ') + 1;
    if (start === 0) return '';
  }
  const end = line.indexOf(' ', start);
  return line.slice(start, end < 0 ? line.length : end);
}

/** The reply to a server PING (RFC 2812 3.7.2): PONG with the same parameter. */
export function pongFor(line: string): string | undefined {
  return line.startsWith('PING') ? `PONG${line.slice(4)}\r\n` : undefined;
}

class IrcSession implements ProtocolSession {
  constructor(
    private readonly user: LoadUser,
    private readonly options: SessionOptions,
  ) {}

  start(): string {
    const nick = this.user.name;
    return `NICK ${nick}\r\nUSER ${nick} 0 * :chatlab bench\r\n`;
  }

  onLine(line: string): HandshakeStep {
    const pong = pongFor(line);
    if (pong !== undefined) return { kind: 'send', line: pong };
    const command = ircCommand(line);
    const room = this.options.room;
    if (command === '001') {
      // RPL_WELCOME: registered
      return room === undefined ? { kind: 'done' } : { kind: 'send', line: `JOIN #${room}\r\n` };
    }
    if (command === '366') return { kind: 'done' }; // RPL_ENDOFNAMES: the JOIN is complete
    if (command === 'ERROR' || /^4\d\d$/.test(command)) return { kind: 'fail', reason: line.slice(0, 200) };
    return { kind: 'wait' };
  }
}

/** IRC (RFC 2812): NICK/USER, JOIN #room, `PRIVMSG #room :text`; deliveries are PRIVMSG lines from others. */
export const ircAdapter: ProtocolAdapter = {
  name: 'irc',
  session: (user, options) => new IrcSession(user, options),
  say: (room, text) => `PRIVMSG #${room} :${text}\r\n`,
  classify(line): RunLine {
    if (line.startsWith(':')) {
      const command = ircCommand(line);
      if (command === 'PRIVMSG') return { kind: 'delivery', stampMs: readStamp(line) };
      if (/^[45]\d\d$/.test(command)) return { kind: 'error', line };
      return { kind: 'other' };
    }
    const pong = pongFor(line);
    if (pong !== undefined) return { kind: 'reply', line: pong };
    if (line.startsWith('ERROR')) return { kind: 'closing', line };
    return { kind: 'other' };
  },
};
