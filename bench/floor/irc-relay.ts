// The fan-out benchmark's floor: the least a chat relay on Node's `net` sockets can do for the load generator's
// IRC mode, so it is driven exactly as ngircd is. It speaks just enough IRC (RFC 2812) for that: NICK/USER ->
// 001, JOIN #room -> the JOIN echo, 353 and 366, PRIVMSG #room -> the line to every other member of the room,
// PING -> PONG, QUIT. No storage, no accounts, no limits, no checks beyond these: what is left of a server's CPU
// per delivery is Node's own (a turn of the event loop per read, a JS `socket.write` and a write(2) per delivery).
// Its sockets are chatlab's (TCP_NODELAY), so chatlab/floor is chatlab's own cost, not Nagle's; `--nagle` leaves
// Nagle's algorithm on, as ngircd does (an experiment: what TCP_NODELAY costs).
//   node irc-relay.mjs <port> [host, default 127.0.0.1] [--nagle]
// Bundled with esbuild (lib/bundle.ts: floorRelayBundle) and run as a child process, as the servers are.
import { createServer, type Socket } from 'node:net';

const SERVER = 'floor.relay';

/** One client: its nick once registered, the rooms it joined, the bytes of a line not yet ended. */
export interface Client {
  nick: string;
  registered: boolean;
  rooms: Set<string>;
  rest: string;
  send(line: string | Buffer): void;
  close(): void;
}

/** The relay's state and its handling of one line: no sockets, so a test drives it with plain objects. */
export class Relay {
  readonly rooms = new Map<string, Set<Client>>();

  /** Splits `text` (a socket's chunk) into lines, CR LF or LF; a partial last line waits for the next chunk. */
  data(client: Client, text: string): void {
    let start = 0;
    const all = client.rest === '' ? text : client.rest + text;
    for (let end = all.indexOf('\n'); end >= 0; end = all.indexOf('\n', start)) {
      const line = all.charCodeAt(end - 1) === 13 ? all.slice(start, end - 1) : all.slice(start, end);
      start = end + 1;
      if (line !== '') this.line(client, line);
    }
    client.rest = start === 0 ? all : all.slice(start);
  }

  line(client: Client, line: string): void {
    const space = line.indexOf(' ');
    const command = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const params = space < 0 ? '' : line.slice(space + 1);
    switch (command) {
      case 'PRIVMSG': {
        const target = params.slice(0, params.indexOf(' '));
        const members = this.rooms.get(target);
        if (members === undefined || !client.registered) return;
        // Encoded once for the room, written to each member but the sender: one write each, as ngircd does.
        const out = Buffer.from(`:${client.nick}!${client.nick}@relay PRIVMSG ${params}\r\n`);
        for (const member of members) if (member !== client) member.send(out);
        return;
      }
      case 'NICK':
        client.nick = params.split(' ')[0] ?? '';
        return;
      case 'USER':
        client.registered = true;
        client.send(`:${SERVER} 001 ${client.nick} :Welcome\r\n`);
        return;
      case 'JOIN': {
        if (!client.registered) return;
        const room = params.split(' ')[0] ?? '';
        let members = this.rooms.get(room);
        if (members === undefined) this.rooms.set(room, (members = new Set()));
        members.add(client);
        client.rooms.add(room);
        client.send(
          `:${client.nick}!${client.nick}@relay JOIN ${room}\r\n` +
            `:${SERVER} 353 ${client.nick} = ${room} :${client.nick}\r\n` +
            `:${SERVER} 366 ${client.nick} ${room} :End of NAMES list\r\n`,
        );
        return;
      }
      case 'PING':
        client.send(`:${SERVER} PONG ${SERVER} ${params}\r\n`);
        return;
      case 'QUIT':
        client.close();
        return;
      default:
    }
  }

  /** The client left: it is no member of any room any more. */
  gone(client: Client): void {
    for (const room of client.rooms) {
      const members = this.rooms.get(room);
      members?.delete(client);
      if (members?.size === 0) this.rooms.delete(room);
    }
    client.rooms.clear();
  }
}

function socketClient(socket: Socket): Client {
  return {
    nick: '*',
    registered: false,
    rooms: new Set(),
    rest: '',
    send: (line) => {
      if (!socket.destroyed) socket.write(line);
    },
    close: () => {
      socket.end();
    },
  };
}

/** Listens on host:port; resolves once listening. */
export function startRelay(port: number, host = '127.0.0.1', noDelay = true): Promise<() => void> {
  const relay = new Relay();
  const server = createServer({ noDelay }, (socket) => {
    const client = socketClient(socket);
    socket.setEncoding('latin1'); // IRC is bytes; latin1 keeps them as they came
    socket.on('data', (text: string) => {
      relay.data(client, text);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      relay.gone(client);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve(() => server.close());
    });
  });
}

// Run as a program (the bundle), not when a test imports the module.
if (process.argv[1]?.endsWith('irc-relay.mjs') === true) {
  const port = Number(process.argv[2]);
  const [host = '127.0.0.1'] = process.argv.slice(3).filter((a) => !a.startsWith('--'));
  const stop = await startRelay(port, host, !process.argv.includes('--nagle'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(0);
    });
  }
}
