import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChatClient } from '../../src/client/index.js';
import { type ChatServer, startServer } from '../../src/server/index.js';
import { RawConnection } from '../support/server-fixture.js';
import { SERVER_APP, VERSION } from '../../src/version.js';
import { ClientRelay } from './client-relay.js';
import { LoopbackCapture } from './loopback-capture.js';
import { dissectedKey, projectFrames } from './project-decoder.js';
import {
  DISSECTOR,
  type DissectedFrame,
  dissectedFrames,
  expertMessages,
  fieldRows,
  infoColumn,
  requireTshark,
  run,
} from './tshark.js';

// wireshark/chatlab.lua read by tshark from real captures: a chatlab server on 127.0.0.1, its traffic
// captured on the loopback interface with dumpcap, then `tshark -X lua_script:... -o chatlab.port:N`.
// Needs tshark and dumpcap (Debian package tshark) and the right to capture (root): without them the
// suite fails and says how to install them.

const HOST = '127.0.0.1';
const SLOW = 60_000;
const FILE_SIZE = 200 * 1024;

let dir: string | undefined;
let server: ChatServer | undefined;
let port: number;
/** Settles once the tools are found and the server runs; every capture waits for it, so a missing tshark
 * fails each test with the one message that says how to install it. */
let ready: Promise<string>;

beforeAll(async () => {
  ready = (async () => {
    await requireTshark();
    dir = mkdtempSync(join(tmpdir(), 'chatlab-wireshark-'));
    server = await startServer({ host: HOST, port: 0, dataDir: join(dir, 'data') });
    port = server.port;
    return dir;
  })();
  await ready;
}, SLOW);

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Captures what `traffic` sends to and from `tcpPort` into `<dir>/<name>.pcapng`. */
async function capture(name: string, tcpPort: number, traffic: () => Promise<void>): Promise<string> {
  const file = join(await ready, `${name}.pcapng`);
  const running = await LoopbackCapture.start(file, tcpPort);
  try {
    await traffic();
  } finally {
    await running.stop();
  }
  return file;
}

async function rawConnection(tcpPort: number): Promise<RawConnection> {
  const socket = connect(tcpPort, HOST);
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return new RawConnection(socket);
}

const ofKind = (frames: DissectedFrame[], kind: string): DissectedFrame[] =>
  frames.filter((f) => f.kind === kind);
const inStream = (frames: DissectedFrame[], stream: number): DissectedFrame[] =>
  frames.filter((f) => f.stream === stream);
const sum = (values: (number | undefined)[]): number => values.reduce<number>((a, b) => a + (b ?? 0), 0);

describe('a chat session with a 200 KB file, captured and read by tshark', () => {
  const payload = randomBytes(FILE_SIZE);
  let file: string;
  let frames: DissectedFrame[];
  let aliceEvents: string[];
  let bobEvents: string[];
  let fileId: number;

  beforeAll(async () => {
    file = await capture('session', port, async () => {
      const alice = await ChatClient.connect({ host: HOST, port });
      await alice.call('REGISTER', 'alice alice@example.org s3cret!');
      await alice.call('LOGIN', 'alice s3cret!');
      await alice.call('CREATE', 'general');
      const bob = await ChatClient.connect({ host: HOST, port });
      await bob.call('REGISTER', 'bob bob@example.org s3cret!');
      await bob.call('LOGIN', 'bob s3cret!');
      await bob.call('JOIN', 'general');
      await alice.waitForEvent('JOIN');
      await alice.call('SAY', 'general hello');
      await bob.waitForEvent('MSG');
      const uploaded = await alice.upload('#general', payload, 'f.bin');
      fileId = uploaded.file.id;
      await bob.waitForEvent('FILE');
      const downloaded = await bob.download(fileId);
      expect(downloaded.data.equals(payload)).toBe(true);
      await alice.quit();
      await bob.quit();
      aliceEvents = alice.events.map((e) => e.event);
      bobEvents = bob.events.map((e) => e.event);
    });
    frames = await dissectedFrames(file, port);
  }, SLOW);

  const streamOf = (user: string): DissectedFrame[] => {
    const register = frames.find((f) => f.verb === 'REGISTER' && f.args?.startsWith(`${user} `) === true);
    if (register === undefined) throw new Error(`no REGISTER ${user} among ${JSON.stringify(frames)}`);
    return inStream(frames, register.stream);
  };

  it('decodes every request and reply of the uploader, matched by tag, in order', () => {
    const alice = streamOf('alice');
    const requests = ofKind(alice, 'request');
    expect(requests.map((f) => `${f.tag ?? '-'} ${f.verb ?? ''}`)).toEqual([
      '1 HELLO',
      '2 REGISTER',
      '3 LOGIN',
      '4 CREATE',
      '5 SAY',
      '6 UPLOAD',
      '- DIGEST', // the client's upload gives - for the SHA-256, which follows the bytes (PROTOCOL.md §4)
      '7 QUIT',
    ]);
    expect(requests.find((f) => f.verb === 'SAY')?.args).toBe('general hello');
    const replies = ofKind(alice, 'reply');
    expect(
      replies.map((f) => `${f.tag ?? '-'} ${String(f.status)} ${f.reason ?? ''} ${f.requestVerb ?? ''}`),
    ).toEqual([
      '1 200 OK HELLO',
      '2 201 Created REGISTER',
      '3 200 OK LOGIN',
      '4 201 Created CREATE',
      '5 200 OK SAY',
      '6 100 Continue UPLOAD',
      '6 201 Created UPLOAD',
      '7 200 OK QUIT',
    ]);
    // Each reply points back at the frame of its request.
    for (const reply of replies) {
      const request = requests.find((f) => f.tag === reply.tag);
      expect(reply.requestIn).toBe(request?.frame);
    }
  });

  it('decodes every event each client received, the greeting naming the server', () => {
    expect(ofKind(streamOf('alice'), 'event').map((f) => f.event)).toEqual(aliceEvents);
    expect(ofKind(streamOf('bob'), 'event').map((f) => f.event)).toEqual(bobEvents);
    expect(bobEvents).toEqual(['HELLO', 'MSG', 'FILE']);
    const hello = ofKind(streamOf('alice'), 'event')[0];
    expect(hello).toMatchObject({ event: 'HELLO', app: SERVER_APP, version: VERSION });
    expect(JSON.parse(hello?.json ?? '')).toMatchObject({ app: SERVER_APP, protocol: 'CHATLAB/1' });
  });

  it('decodes the upload and the download as data frames that cover the file', () => {
    const up = ofKind(streamOf('alice'), 'data');
    const down = ofKind(streamOf('bob'), 'data');
    for (const data of [up, down]) {
      expect(data.map((f) => f.offset)).toEqual([0, 65536, 131072, 196608]);
      expect(data.map((f) => f.length)).toEqual([65536, 65536, 65536, FILE_SIZE - 3 * 65536]);
      expect(sum(data.map((f) => f.length))).toBe(FILE_SIZE);
      expect(new Set(data.map((f) => f.transfer)).size).toBe(1);
    }
    expect(ofKind(streamOf('bob'), 'request').map((f) => `${f.verb ?? ''} ${f.args ?? ''}`)).toContain(
      `DOWNLOAD ${fileId}`,
    );
  });

  it('reassembles data frames that span several TCP segments', async () => {
    const rows = await fieldRows(file, port, 'chatlab.kind == "data"', ['frame.number', 'tcp.segment']);
    const spanning = rows.filter(([, segments = []]) => segments.length > 1);
    expect(spanning.length).toBeGreaterThan(0);
  });

  it('writes a readable Info column per frame', async () => {
    const info = [...(await infoColumn(file, port)).values()];
    expect(info).toContain('Request 5 SAY general hello');
    expect(info).toContain('Reply 5 200 OK');
    expect(info).toContain('Reply 6 100 Continue');
    expect(info.some((line) => line.split('; ').includes('Event MSG'))).toBe(true);
    expect(info.some((line) => /(^|; )Data transfer \d+ offset 0 len 65536(;|$)/.test(line))).toBe(true);
  });

  it('answers the filters of wireshark/README.md', async () => {
    const says = await fieldRows(file, port, 'chatlab.verb == "SAY"', ['chatlab.args']);
    expect(says).toEqual([[['general hello']]]);
    expect(await fieldRows(file, port, 'chatlab.status >= 400', ['frame.number'])).toEqual([]);
    const hello = await fieldRows(file, port, 'chatlab.event == "HELLO"', ['chatlab.app', 'chatlab.version']);
    expect(hello).toEqual([
      [[SERVER_APP], [VERSION]],
      [[SERVER_APP], [VERSION]],
    ]);
  });

  it('finds nothing wrong with a well-behaved session', async () => {
    const problems =
      'chatlab.malformed || chatlab.too_large || chatlab.wrong_direction || chatlab.reason_mismatch';
    expect(await expertMessages(file, port, problems)).toEqual([]);
  });

  it('agrees frame by frame with the project’s own reassembly and FrameDecoder', async () => {
    const ours = await projectFrames(file, port);
    expect(frames.map(dissectedKey)).toEqual(ours);
    // alice: 8 requests, 8 replies, 2 events, 4 data frames; bob: 6 requests, 6 replies, 3 events, 4 data.
    expect(ours).toHaveLength(22 + 19);
  });

  it('follows the chatlab.port preference', async () => {
    // Without the preference the dissector sits on 3300 and leaves this server's port alone.
    const out = await run('tshark', ['-r', file, '-X', `lua_script:${DISSECTOR}`, '-Y', 'chatlab']);
    expect(port).not.toBe(3300);
    expect(out.trim()).toBe('');
  });
});

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
/** A pattern met once `line` has begun `n` lines of the text (a line's start, as `^` in multiline mode). */
const nth = (line: string, n: number): RegExp => new RegExp(`(?:^${line}.*\\n[^]*){${n - 1}}^${line}`, 'm');
const requestsAndReplies = (frames: DissectedFrame[]): string[] =>
  frames
    .filter((f) => f.kind === 'request' || f.kind === 'reply')
    .map((f) =>
      f.kind === 'request'
        ? `${f.tag ?? '-'} ${f.verb ?? ''}`
        : `${f.tag ?? '-'} ${String(f.status)} ${f.requestVerb ?? '?'}`,
    );

describe('an upload whose SHA-256 follows the bytes (UPLOAD ... -, then DIGEST, PROTOCOL.md §4)', () => {
  it(
    "dissects chatlab's client's DIGEST as part of its upload, and an untagged request after it gets its own reply",
    async () => {
      const payload = randomBytes(100 * 1024);
      let transfer = NaN;
      const file = await capture('digest', port, async () => {
        // Through a relay, so that raw lines can be written on the client's own connection.
        const relay = await ClientRelay.start(port);
        try {
          const dora = await ChatClient.connect({ host: HOST, port: relay.port });
          await dora.call('REGISTER', 'dora dora@example.org s3cret!');
          await dora.call('LOGIN', 'dora s3cret!');
          await dora.call('CREATE', 'digests');
          await dora.upload('#digests', payload, 'd.bin');
          const upstream = await relay.upstream;
          transfer = Number(/^\d+ 100 Continue \{"transfer":(\d+)/m.exec(upstream.received)?.[1]);
          upstream.write('PING\n'); // untagged, as typed in nc
          await upstream.until(/^- 200 /m);
          upstream.write(`DIGEST ${transfer} ${sha256(payload)}\n`); // its upload is over: a 404 of its own
          await upstream.until(/^- 404 /m);
          await dora.quit();
          await upstream.untilClosed();
        } finally {
          await relay.close();
        }
      });
      expect(Number.isInteger(transfer)).toBe(true);
      const frames = await dissectedFrames(file, port);
      expect(new Set(frames.map((f) => f.stream)).size).toBe(1);
      expect(requestsAndReplies(frames)).toEqual([
        '1 HELLO',
        '1 200 HELLO',
        '2 REGISTER',
        '2 201 REGISTER',
        '3 LOGIN',
        '3 200 LOGIN',
        '4 CREATE',
        '4 201 CREATE',
        '5 UPLOAD',
        '5 100 UPLOAD',
        '- DIGEST',
        '5 201 UPLOAD', // the DIGEST's outcome, with the UPLOAD's tag
        '- PING',
        '- 200 PING', // not taken by the DIGEST before it
        '- DIGEST',
        '- 404 DIGEST',
        '6 QUIT',
        '6 200 QUIT',
      ]);
      const requests = ofKind(frames, 'request');
      const replies = ofKind(frames, 'reply');
      const upload = requests.find((f) => f.verb === 'UPLOAD');
      const [digest, late] = requests.filter((f) => f.verb === 'DIGEST');
      const ping = requests.find((f) => f.verb === 'PING');
      expect(upload?.args).toBe(`#digests ${payload.length} - d.bin`);
      expect(digest).toMatchObject({ transfer, sha256: sha256(payload), uploadIn: upload?.frame });
      expect(late).toMatchObject({ transfer, sha256: sha256(payload) });
      expect(late?.uploadIn).toBeUndefined();
      // Each reply names the frame of its request; the transfer's replies name the transfer.
      const created = replies.find((f) => f.status === 201 && f.tag === upload?.tag);
      expect(created).toMatchObject({ requestIn: upload?.frame, transfer });
      expect(replies.find((f) => f.status === 100)).toMatchObject({ requestIn: upload?.frame, transfer });
      expect(replies.find((f) => f.tag === '-' && f.status === 200)?.requestIn).toBe(ping?.frame);
      expect(replies.find((f) => f.status === 404)).toMatchObject({
        requestIn: late?.frame,
        errorCode: 'NO_SUCH_TRANSFER',
      });

      const info = await infoColumn(file, port);
      expect(info.get(digest?.frame ?? 0)?.split('; ')).toContain(
        `Request - DIGEST ${transfer} ${sha256(payload).slice(0, 16)}... (ends UPLOAD ${upload?.tag ?? ''})`,
      );
      // Read twice, the requests point at their final replies: the UPLOAD at its 201, the DIGEST that ends it at
      // none (it has no reply of its own), the late DIGEST at its 404.
      const responses = await fieldRows(
        file,
        port,
        'chatlab.verb == "UPLOAD" || chatlab.verb == "DIGEST"',
        ['chatlab.verb', 'chatlab.response_in'],
        { twoPass: true },
      );
      expect(responses).toEqual([
        [['UPLOAD'], [String(created?.frame)]],
        [['DIGEST'], []],
        [['DIGEST'], [String(replies.find((f) => f.status === 404)?.frame)]],
      ]);
      const byTransfer = await fieldRows(file, port, `chatlab.transfer == ${transfer}`, ['chatlab.kind']);
      expect(byTransfer.flatMap(([kinds = []]) => kinds)).toEqual(
        expect.arrayContaining(['reply', 'data', 'request']),
      );
      expect(frames.map(dissectedKey)).toEqual(await projectFrames(file, port));
    },
    SLOW,
  );

  it(
    'matches the untagged replies of an upload typed by hand, with requests during it and a CANCEL',
    async () => {
      const file = await capture('digest-raw', port, async () => {
        const raw = await rawConnection(port);
        raw.write('1 REGISTER erin erin@example.org s3cret!\n2 LOGIN erin s3cret!\n3 CREATE erins\n');
        await raw.until(/^3 201 /m);
        raw.write('UPLOAD #erins 5 - a.txt\n');
        await raw.until(nth('- 100 ', 1));
        const first = /^- 100 Continue \{"transfer":(\d+)/m.exec(raw.received)?.[1] ?? '';
        raw.write(`DATA ${first} 0 5\nhello`);
        raw.write('PING\n'); // while the upload waits for its DIGEST
        await raw.until(nth('- 200 ', 1));
        raw.write(`DIGEST ${first} ${sha256('hello')}\n`);
        await raw.until(/^- 201 /m);
        raw.write('PING\n');
        await raw.until(nth('- 200 ', 2));
        raw.write('UPLOAD #erins 5 - b.txt\n');
        await raw.until(nth('- 100 ', 2));
        const second = [...raw.received.matchAll(/^- 100 Continue \{"transfer":(\d+)/gm)][1]?.[1] ?? '';
        raw.write(`CANCEL ${second}\n`);
        await raw.until(nth('- 200 ', 3));
        raw.write(`DIGEST ${second} ${sha256('hello')}\n`); // cancelled: a 404 of its own
        await raw.until(/^- 404 /m);
        raw.write('QUIT\n');
        await raw.untilClosed();
      });
      const frames = await dissectedFrames(file, port);
      expect(requestsAndReplies(frames)).toEqual([
        '1 REGISTER',
        '2 LOGIN',
        '3 CREATE',
        '1 201 REGISTER',
        '2 200 LOGIN',
        '3 201 CREATE',
        '- UPLOAD',
        '- 100 UPLOAD',
        '- PING',
        '- 200 PING', // the UPLOAD waits for its DIGEST; this reply is the PING's
        '- DIGEST',
        '- 201 UPLOAD',
        '- PING',
        '- 200 PING',
        '- UPLOAD',
        '- 100 UPLOAD',
        '- CANCEL',
        '- 200 CANCEL',
        '- DIGEST',
        '- 404 DIGEST', // its upload was cancelled
        '- QUIT',
        '- 200 QUIT',
      ]);
      const requests = ofKind(frames, 'request');
      const digests = requests.filter((f) => f.verb === 'DIGEST');
      const uploads = requests.filter((f) => f.verb === 'UPLOAD');
      expect(digests[0]?.uploadIn).toBe(uploads[0]?.frame);
      expect(digests[1]?.uploadIn).toBeUndefined();
      // Each reply names the frame of its own request.
      const [register, login, create, upload, ping, , again, second, cancel, late, quit] = requests.map(
        (f) => f.frame,
      );
      expect(ofKind(frames, 'reply').map((f) => f.requestIn)).toEqual([
        register,
        login,
        create,
        upload,
        ping,
        upload,
        again,
        second,
        cancel,
        late,
        quit,
      ]);
    },
    SLOW,
  );
});

describe('raw requests to the server', () => {
  it(
    'reassembles split requests, lists several frames of one segment, marks the malformed ones',
    async () => {
      const cutInUtf8 = Buffer.from('5 SAY general olá mundo\n');
      const file = await capture('raw', port, async () => {
        const raw = await rawConnection(port);
        raw.write('1 PING\n2 PING\n3 HELP SAY\n'); // one segment, three requests
        await raw.until(/^3 200 /m);
        raw.write('4 SA'); // one request in two segments
        await sleep(100);
        raw.write('Y general split\n');
        await raw.until(/^4 401 /m);
        raw.write(cutInUtf8.subarray(0, 17)); // cut between the two bytes of "á"
        await sleep(100);
        raw.write(cutInUtf8.subarray(17));
        await raw.until(/^5 401 /m);
        raw.write(Buffer.concat([Buffer.from('6 SAY general '), Buffer.from([0xff, 0x0a])]));
        await raw.until('BAD_ENCODING');
        raw.write('ping\r\n'); // untagged, lower case, CR LF (§1)
        await raw.until(/^- 200 /m);
        raw.write('%%% not a frame\n');
        await raw.until('BAD_FRAME');
        raw.write('QUIT\n');
        await raw.untilClosed();
      });
      const frames = await dissectedFrames(file, port);
      const requests = ofKind(frames, 'request');
      expect(requests.map((f) => `${f.tag ?? '-'} ${f.verb ?? ''}`)).toEqual([
        '1 PING',
        '2 PING',
        '3 HELP',
        '4 SAY',
        '5 SAY',
        '- PING',
        '- QUIT',
      ]);
      expect(requests.find((f) => f.tag === '5')?.args).toBe('general olá mundo');

      const info = await infoColumn(file, port);
      expect([...info.values()]).toContain('Request 1 PING; Request 2 PING; Request 3 HELP SAY');
      const split = requests.find((f) => f.tag === '4');
      expect(info.get(split?.frame ?? 0)).toBe('Request 4 SAY general split');
      const says = await fieldRows(file, port, 'chatlab.verb == "SAY"', ['tcp.segment']);
      expect(says.map(([segments = []]) => segments.length)).toEqual([2, 2]);
      expect(await fieldRows(file, port, 'chatlab.verb == "PING"', ['frame.number'])).toHaveLength(2);

      const replies = ofKind(frames, 'reply');
      const refusals = replies.filter((f) => (f.status ?? 0) >= 400);
      expect(
        refusals.map(
          (f) => `${f.tag ?? '-'} ${String(f.status)} ${f.errorCode ?? ''} ${f.requestVerb ?? ''}`,
        ),
      ).toEqual([
        '4 401 AUTH_REQUIRED SAY',
        '5 401 AUTH_REQUIRED SAY',
        '6 400 BAD_ENCODING ', // a bad line is answered with its tag when one can be read (PROTOCOL.md §5)
        '- 400 BAD_FRAME ',
      ]);
      expect(replies.find((f) => f.tag === '-' && f.status === 200)?.requestVerb).toBe('PING');

      expect(ofKind(frames, 'malformed')).toHaveLength(2);
      expect(await expertMessages(file, port, 'chatlab.malformed')).toEqual([
        'The line is not valid UTF-8 (§1; the server answers BAD_ENCODING)',
        'Not a request, reply, event or data header (§1)',
      ]);
    },
    SLOW,
  );

  it(
    'labels the HTTP status page on the chat port as HTTP and decodes nothing in it',
    async () => {
      const file = await capture('http', port, async () => {
        const raw = await rawConnection(port);
        raw.write(`GET /status.json HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
        await raw.untilClosed();
        expect(raw.received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      });
      const frames = await dissectedFrames(file, port);
      expect(new Set(frames.map((f) => f.kind))).toEqual(new Set(['http']));
      expect(frames.map((f) => f.http).filter((line) => line !== undefined)).toEqual([
        'GET /status.json HTTP/1.1',
        'HTTP/1.1 200 OK',
      ]);
      const protocols = await fieldRows(file, port, 'chatlab', ['_ws.col.Protocol']);
      expect(new Set(protocols.map(([protocol = []]) => protocol[0]))).toEqual(new Set(['HTTP']));
    },
    SLOW,
  );
});

describe('server frames cut at awkward places (a scripted peer)', () => {
  it(
    'decodes frames split and packed across segments, and marks the malformed ones',
    async () => {
      const segments = [
        '* HELLO {"app":"scripted","version":"9"}\nDATA 7 0 30\n\n* FAKE {}\nDATA 1 2',
        '3 4\n0123456* MSG {"room":"r","text":"a"}\n9 200 OK\n1 4',
        '04 Not Found {"code":"NO_SUCH_ROOM","message":"m"}\n2 200 Fine\nDATA 7 x\n!!garbage\n\n' +
          '* BYE {"code":"BAD_FRAME","message":"bye"}\n',
      ];
      const peer: Server = createServer((socket) => {
        socket.setNoDelay(true);
        void (async () => {
          for (const segment of segments) {
            socket.write(segment);
            await sleep(50);
          }
          socket.end();
        })();
      });
      await new Promise<void>((resolve) => peer.listen(0, HOST, resolve));
      const peerPort = (peer.address() as AddressInfo).port;
      try {
        const file = await capture('scripted', peerPort, async () => {
          const raw = await rawConnection(peerPort);
          await raw.untilClosed();
        });
        const frames = await dissectedFrames(file, peerPort);
        expect(frames.map((f) => f.kind)).toEqual([
          'event',
          'data',
          'event',
          'reply',
          'reply',
          'reply',
          'malformed',
          'malformed',
          'empty',
          'event',
        ]);
        // The data frame's bytes are never searched for markers: "\n* FAKE {}\n..." is payload (§1).
        expect(frames[1]).toMatchObject({ transfer: 7, offset: 0, length: 30 });
        expect(frames.map((f) => f.event).filter((e) => e !== undefined)).toEqual(['HELLO', 'MSG', 'BYE']);
        const info = [...(await infoColumn(file, peerPort)).values()];
        expect(info).toEqual([
          'Event HELLO',
          'Data transfer 7 offset 0 len 30; Event MSG; Reply 9 200 OK',
          'Reply 1 404 Not Found; Reply 2 200 Fine; Bad data header; Malformed: !!garbage; Event BYE',
        ]);
        const experts = await expertMessages(file, peerPort);
        expect(experts).toEqual(
          expect.arrayContaining([
            'Error reply 404 NO_SUCH_ROOM',
            'Status 200 is "OK" (§5), not "Fine"',
            'Data header is not `DATA <transfer> <offset> <length>` with length >= 1 (§1)',
            'Not a request, reply, event or data header (§1)',
            'Empty line: the server ignores it',
            'The server closes the connection: BAD_FRAME',
          ]),
        );
      } finally {
        await new Promise((resolve) => peer.close(resolve));
      }
    },
    SLOW,
  );
});
