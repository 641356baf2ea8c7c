import {
  readStamp,
  type HandshakeStep,
  type LoadUser,
  type ProtocolAdapter,
  type ProtocolSession,
  type RunLine,
  type SessionOptions,
} from './protocol.js';

// Tags of the handshake requests (docs/PROTOCOL.md §1: the reply repeats the tag).
const REGISTER = '4';
const LOGIN = '1';
const JOIN = '2';
const CREATE = '3';

/** `<tag> <code> ...` -> [tag, code]; events (`* ...`) and other lines give undefined. */
function reply(line: string): [string, number] | undefined {
  const space = line.indexOf(' ');
  if (space <= 0 || line.startsWith('*')) return undefined;
  return [line.slice(0, space), Number(line.slice(space + 1, space + 4))];
}

class ChatlabSession implements ProtocolSession {
  constructor(
    private readonly user: LoadUser,
    private readonly options: SessionOptions,
  ) {}

  start(): string {
    const { name, password } = this.user;
    if (this.options.register === true)
      return `${REGISTER} REGISTER ${name} ${name}@bench.test ${password}\n`;
    return this.#login();
  }

  #login(): string {
    return `${LOGIN} LOGIN ${this.user.name} ${this.user.password}\n`;
  }

  onLine(line: string): HandshakeStep {
    const parsed = reply(line);
    if (parsed === undefined) return { kind: 'wait' };
    const [tag, code] = parsed;
    const room = this.options.room;
    switch (tag) {
      case REGISTER: // 201 Created, or 409 NAME_TAKEN from an earlier run: log in either way
        return code === 201 || code === 409 ? { kind: 'send', line: this.#login() } : fail(line);
      case LOGIN:
        if (code !== 200) return fail(line);
        return room === undefined ? { kind: 'done' } : { kind: 'send', line: `${JOIN} JOIN ${room}\n` };
      case JOIN: // 409 ALREADY_MEMBER is as good as joined; 404: nobody created the room yet
        if (code === 200 || code === 409) return { kind: 'done' };
        return code === 404 ? { kind: 'send', line: `${CREATE} CREATE ${room ?? ''}\n` } : fail(line);
      case CREATE: // 409 ROOM_EXISTS: another connection created it meanwhile
        if (code === 201) return { kind: 'done' };
        return code === 409 ? { kind: 'send', line: `${JOIN} JOIN ${room ?? ''}\n` } : fail(line);
      default:
        return { kind: 'wait' };
    }
  }
}

function fail(line: string): HandshakeStep {
  return { kind: 'fail', reason: line.slice(0, 200) };
}

/** CHATLAB/1 (docs/PROTOCOL.md): LOGIN, JOIN, then untagged `SAY <room> <text>`; deliveries are `* MSG`. */
export const chatlabAdapter: ProtocolAdapter = {
  name: 'chatlab',
  session: (user, options) => new ChatlabSession(user, options),
  say: (room, text) => `SAY ${room} ${text}\n`,
  classify(line): RunLine {
    if (line.startsWith('* ')) {
      if (line.startsWith('* MSG ')) return { kind: 'delivery', stampMs: readStamp(line) };
      if (line.startsWith('* BYE ')) return { kind: 'closing', line };
      return { kind: 'other' };
    }
    const code = reply(line)?.[1];
    if (code === undefined || Number.isNaN(code)) return { kind: 'other' };
    if (code < 300) return { kind: 'ok' };
    if (code === 429) return { kind: 'rate-limited' };
    return { kind: 'error', line };
  },
};
