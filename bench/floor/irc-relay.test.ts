import { describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { freePort } from '../lib/servers.js';
import { ircAdapter } from '../load/irc-adapter.js';
import { Relay, startRelay, type Client } from './irc-relay.js';

function client(): Client & { sent: string[]; closed: boolean } {
  const c = {
    nick: '*',
    registered: false,
    rooms: new Set<string>(),
    rest: '',
    sent: [] as string[],
    closed: false,
    send(line: string | Buffer) {
      c.sent.push(line.toString());
    },
    close() {
      c.closed = true;
    },
  };
  return c;
}

describe('the floor relay', () => {
  it('registers, joins and relays a PRIVMSG to every other member, once each', () => {
    const relay = new Relay();
    const [a, b, c] = [client(), client(), client()];
    for (const [who, nick] of [
      [a, 'u0'],
      [b, 'u1'],
      [c, 'u2'],
    ] as const) {
      relay.data(who, `NICK ${nick}\r\nUSER ${nick} 0 * :x\r\nJOIN #bench\r\n`);
      expect(who.sent[0]).toMatch(new RegExp(`^:floor.relay 001 ${nick} `));
      expect(who.sent[1]).toMatch(/ 366 /);
    }
    relay.data(a, 'PRIVMSG #bench :ts=1;hel');
    expect(b.sent).toHaveLength(2); // the line is not complete yet
    relay.data(a, 'lo\r\n');
    expect(b.sent[2]).toBe(':u0!u0@relay PRIVMSG #bench :ts=1;hello\r\n');
    expect(c.sent[2]).toBe(b.sent[2]);
    expect(a.sent).toHaveLength(2); // not to the sender
    relay.data(b, 'PING x\nQUIT\n');
    expect(b.sent[3]).toMatch(/PONG floor.relay x/);
    expect(b.closed).toBe(true);
    relay.gone(b);
    relay.data(a, 'PRIVMSG #bench :again\r\n');
    expect(b.sent).toHaveLength(4);
    expect(c.sent).toHaveLength(4);
  });

  it('is driven by the load generator’s IRC adapter as ngircd is: registered, joined, a delivery', async () => {
    const port = await freePort();
    const stop = await startRelay(port);
    const lines = (socket: ReturnType<typeof connect>, out: string[]): void => {
      let rest = '';
      socket.on('data', (chunk: Buffer) => {
        const all = rest + chunk.toString('latin1');
        const parts = all.split('\r\n');
        rest = parts.pop() ?? '';
        out.push(...parts);
      });
    };
    const users = ['u0', 'u1'].map((name) => {
      const session = ircAdapter.session({ name, password: '' }, { room: 'bench' });
      const socket = connect({ host: '127.0.0.1', port });
      const got: string[] = [];
      lines(socket, got);
      socket.write(session.start());
      return { session, socket, got };
    });
    try {
      for (const u of users) {
        for (let step = 0; ; step++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          const line = u.got.shift();
          if (line === undefined) {
            if (step > 200) throw new Error('no handshake');
            continue;
          }
          const next = u.session.onLine(line);
          if (next.kind === 'send') u.socket.write(next.line);
          if (next.kind === 'done') break;
          expect(next.kind).not.toBe('fail');
        }
      }
      const [a, b] = users;
      a?.socket.write(ircAdapter.say('bench', 'ts=123.5;hello'));
      for (let i = 0; i < 200 && b?.got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(ircAdapter.classify(b?.got[0] ?? '')).toMatchObject({ kind: 'delivery', stampMs: 123.5 });
    } finally {
      for (const u of users) u.socket.destroy();
      stop();
    }
  });
});
