import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeEvent } from '../../protocol/index.js';
import type { FakeConnection } from '../../../test/support/fake-server.js';
import { FakeServer } from '../../../test/support/fake-server.js';
import { FakeTerminal } from '../../../test/support/fake-terminal.js';
import { TerminalClient } from './terminal-client.js';

let server: FakeServer;

beforeEach(async () => {
  server = await FakeServer.start();
});
afterEach(async () => {
  await server.close();
});

interface Session {
  conn: FakeConnection;
  input: PassThrough;
  screen: FakeTerminal;
  term: TerminalClient;
}

async function start(color = false, columns = 80): Promise<Session> {
  const { client, conn } = await server.open();
  const input = new PassThrough();
  const screen = new FakeTerminal(columns);
  const term = new TerminalClient(client, { input, output: screen, terminal: true, color });
  term.start();
  return { conn, input, screen, term };
}

/** Waits (by turns of the event loop, not by time) until the screen shows what the test expects. */
async function until(screen: FakeTerminal, check: (rows: string[]) => boolean): Promise<void> {
  for (let turn = 0; turn < 2000; turn++) {
    if (check(screen.render().rows)) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`the screen never showed what was expected:\n${screen.render().rows.join('\n')}`);
}
const shows = (text: string) => (rows: string[]) => rows.some((r) => r.includes(text));

async function loggedIn(s: Session, body: object = {}): Promise<void> {
  s.input.write('/login alice pw1234\r');
  const login = await s.conn.nextRequest('LOGIN');
  const reply = { user: { name: 'alice' }, rooms: [{ name: 'lab' }], notifications: 0, ...body };
  await s.conn.write(`${login.tag} 200 OK ${JSON.stringify(reply)}\n`);
  await until(s.screen, (rows) => rows.at(-1) === 'alice@lab>');
}

describe('the terminal client', () => {
  it('prints a message arriving while a line is half typed above it, and the line stays intact', async () => {
    const s = await start();
    await loggedIn(s);
    s.input.write('hel');
    await until(s.screen, (rows) => rows.at(-1) === 'alice@lab> hel');
    const before = s.screen.bytes.length;
    await s.conn.write(encodeEvent('MSG', { room: 'lab', from: 'bob', text: 'hi | there', id: 1 }));
    await until(s.screen, shows('[lab] bob: hi | there'));

    const { rows, row, col } = s.screen.render();
    expect(rows.slice(-4)).toEqual([
      'guest@-> /login alice pw1234',
      'logged in as alice; your rooms: lab; 0 notification(s)',
      '[lab] bob: hi | there',
      'alice@lab> hel',
    ]);
    expect([row, col]).toEqual([rows.length - 1, 'alice@lab> hel'.length]);
    // The bytes: back to column 1, erase below, the message, then the prompt and the typed text again.
    expect(s.screen.bytes.slice(before)).toBe(
      '\x1b[1G\x1b[0J[lab] bob: hi | there\n\x1b[1G\x1b[0Jalice@lab> hel\x1b[15G',
    );

    s.input.write('lo\r');
    expect(await s.conn.nextRequest('SAY')).toMatchObject({ args: 'lab hello' });
  });

  it('keeps a typed line that wraps over two rows, and the cursor inside it, intact', async () => {
    const s = await start(false, 40);
    await loggedIn(s);
    const typed = 'z'.repeat(35) + 'y'.repeat(10);
    s.input.write(typed); // pasted: readline writes it at once, without redrawing the prompt
    s.input.write('\x1b[D\x1b[D\x1b[D'); // three times the left arrow
    await until(s.screen, shows('zyyyy'));
    await s.conn.write(encodeEvent('JOIN', { room: 'lab', user: 'bob' }));
    await until(s.screen, shows('* bob joined lab'));
    const { rows, row, col } = s.screen.render();
    const full = `alice@lab> ${typed}`;
    expect(rows.slice(-3)).toEqual(['* bob joined lab', full.slice(0, 40), full.slice(40)]);
    expect(rows.filter((r) => r.includes('z'))).toEqual([full.slice(0, 40), full.slice(40)]); // no leftovers
    expect([row, col]).toEqual([rows.length - 1, full.length - 40 - 3]);
    s.input.write('\r');
    expect((await s.conn.nextRequest('SAY')).args).toBe(`lab ${typed}`);
  });

  it('shows errors with their code, refuses bad commands locally, and shows notifications at login', async () => {
    const s = await start();
    await loggedIn(s, { notifications: 1 });
    await s.conn.write(encodeEvent('NOTIFY', { id: 1, kind: 'invite', room: 'secret', from: 'carol' }));
    await until(s.screen, shows('! carol invites you to secret — /accept secret or /reject secret'));

    s.input.write('/frob now\r/join\r/join nope\r');
    const join = await s.conn.nextRequest();
    expect(join).toMatchObject({ verb: 'JOIN', args: 'nope' }); // nothing was sent for the first two
    await s.conn.write(`${join.tag} 404 Not Found {"code":"NO_SUCH_ROOM","message":"no room named nope"}\n`);
    await until(s.screen, shows('error 404 NO_SUCH_ROOM: no room named nope'));
    const rows = s.screen.render().rows;
    expect(rows).toContain('unknown command /frob; /help lists the commands');
    expect(rows).toContain('missing <room>; usage: /join <room> [<password>]');

    const file = { id: 3, name: 'notes.txt', size: 1234, sha256: 'ab', from: 'bob', to: '#lab' };
    await s.conn.write(encodeEvent('FILE', { file }));
    await until(s.screen, shows('* file 3 "notes.txt" (1.2 KiB) from bob to #lab — /get 3'));
  });

  it('strips control characters a peer puts in a message', async () => {
    const s = await start();
    await loggedIn(s);
    await s.conn.write(encodeEvent('MSG', { room: 'lab', from: 'eve', text: 'a\x1b[2Jb\rc' }));
    await until(s.screen, shows('[lab] eve: a[2Jbc'));
  });

  it('colours only when asked, on a terminal; a pipe gets plain lines and no prompt', async () => {
    const coloured = await start(true);
    await coloured.conn.write(encodeEvent('MSG', { room: 'lab', from: 'bob', text: 'hi' }));
    await until(coloured.screen, shows('[lab] bob: hi'));
    expect(coloured.screen.bytes).toContain('\x1b[36m[lab]\x1b[39m \x1b[1mbob\x1b[22m: hi');

    const { client, conn } = await server.open();
    let written = '';
    const pipe = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.toString();
        callback();
      },
    });
    new TerminalClient(client, { input: new PassThrough(), output: pipe, color: true }).start();
    await conn.write(encodeEvent('MSG', { room: 'lab', from: 'bob', text: 'hi' }));
    await client.waitForEvent('MSG');
    expect(written).toBe(
      'connected to fake-server 9.9.9 (CHATLAB/1)\n' +
        'type /help for the commands; plain text goes to the current room\n' +
        '[lab] bob: hi\n',
    );
  });
});
