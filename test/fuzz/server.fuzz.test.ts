import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { ChatClient } from '../../src/client/index.js';
import { LIMITS } from '../../src/protocol/index.js';
import { ServerFixture } from '../support/server-fixture.js';
import type { CaseOptions } from '../support/fuzz/fuzz-case.js';
import { hostileCase, randomCuts, split } from '../support/fuzz/fuzz-case.js';
import { caseFailure, fuzzSettings } from '../support/fuzz/fuzz-config.js';
import { FuzzConnection } from '../support/fuzz/fuzz-connection.js';
import { caseSeed, Rng } from '../support/fuzz/rng.js';

// Fuzzing the server (issue 7): raw connections send seeded random, mutated and truncated frame streams
// while two well-behaved clients chat. Every bad frame is answered with its documented status code, or the
// connection is closed after `* BYE` with its reason (docs/PROTOCOL.md §5, §8); no 500; the server keeps
// serving; the clients get every message, in order.

const FILE = 'test/fuzz/server.fuzz.test.ts';
const settings = fuzzSettings(300);
const WORKERS = 4;
/** Hang detection only: an answer normally takes a few milliseconds. */
const HANG_MS = 15_000;
/** All workers but the last log in, so that requests reach the handlers behind AUTH_REQUIRED. */
const loggedIn = (worker: number): boolean => worker < WORKERS - 1;
const NAMES = {
  rooms: ['lobby', 'r0', 'r1', 'r2', 'nowhere'],
  users: ['alice', 'bob', 'fz0', 'fz1', 'fz2', 'nobody'],
};
/** Verbs that cost an scrypt hash (or end the session) are rarer, to keep the run short; uploads more common. */
const VERB_WEIGHTS: Readonly<Record<string, number>> = {
  LOGIN: 0.2,
  REGISTER: 0.3,
  CREATE: 0.5,
  QUIT: 0.3,
  LOGOUT: 0.2,
  UPLOAD: 4,
  CANCEL: 2,
  DELETE: 2,
};
/** Reply codes and close reasons seen, to show what the run reached (printed in a long run). */
const seen = new Map<string, number>();
let fixture: ServerFixture;
let alice: ChatClient;
let bob: ChatClient;

beforeAll(async () => {
  fixture = await ServerFixture.start({
    requestsPerSecond: 1e6,
    requestBurst: 1e6,
    refusalsPerSecond: 1e6,
    loginFailures: 1e6,
  });
  alice = await fixture.user('alice');
  bob = await fixture.user('bob');
  await alice.call('CREATE', 'lobby');
  await bob.call('JOIN', 'lobby');
  // A file the fuzz users may download (file 1): downloads then run into everything else they send.
  await alice.upload('#lobby', randomBytes(150_000), 'shared.bin');
});

afterAll(async () => {
  await fixture.stop();
});

/** A new raw connection for a worker, greeted, and logged in as fz<worker> unless it is the anonymous one. */
async function open(worker: number, registered: boolean): Promise<FuzzConnection> {
  const conn = new FuzzConnection(await fixture.raw());
  const name = `fz${worker}`;
  let setup = 'HELLO fuzz\n';
  if (loggedIn(worker) && !registered) setup += `REGISTER ${name} ${name}@example.org ${name}-pw1\n`;
  // Each logged-in worker owns a room (again, if a case deleted it), so that DELETE and HANDOVER succeed too.
  if (loggedIn(worker)) setup += `LOGIN ${name} ${name}-pw1\nJOIN lobby\nCREATE r${worker}\n`;
  conn.send(Buffer.from(setup));
  await conn.settle(HANG_MS);
  return conn;
}

/** Runs this worker's share of the cases, one connection after the other as the server closes them. */
async function fuzzWorker(worker: number): Promise<number> {
  let conn: FuzzConnection | null = null;
  let connections = 0;
  for (let i = worker; i < settings.cases; i += WORKERS) {
    if (!conn || conn.isClosed) {
      if (conn) tally(conn);
      conn = await open(worker, connections > 0);
      connections++;
    }
    const seed = caseSeed(settings.seed, i);
    const options: CaseOptions = {
      lineLimit: LIMITS.requestLine,
      names: NAMES,
      verbWeight: (verb) => VERB_WEIGHTS[verb] ?? 1,
      maxPayload: 2048,
      maxTransfer: 64,
      transfers: [...conn.oracle.uploads].map(([transfer, u]) => ({ transfer, ...u })),
      hostility: 0.4,
      // Each new connection of a logged-in worker costs a LOGIN (scrypt): close those less often.
      fatalWeight: loggedIn(worker) ? 0.2 : 1,
    };
    const fuzzCase = hostileCase(seed, options);
    const start = conn.sentBytes;
    try {
      conn.send(
        fuzzCase.bytes,
        split(fuzzCase.bytes, randomCuts(new Rng(seed ^ 0x5bd1e995), fuzzCase.bytes.length)),
      );
      conn.sendSentinel();
      await conn.settle(HANG_MS);
    } catch (error) {
      const where = `case ${i} of the run with seed ${settings.seed} and ${settings.cases} cases (worker ${worker}, connection ${connections}, from its byte ${start})`;
      throw caseFailure(fuzzCase, FILE, `${where}: ${String(error)}`);
    }
  }
  if (conn) tally(conn);
  return connections;
}

function tally(conn: FuzzConnection): void {
  for (const [code, n] of conn.oracle.codes) seen.set(code, (seen.get(code) ?? 0) + n);
}

/** Sends numbered messages to the room and to the other client until told to stop; returns the texts. */
async function chat(
  from: ChatClient,
  to: string,
  running: () => boolean,
): Promise<{ room: string[]; direct: string[] }> {
  const sent = { room: [] as string[], direct: [] as string[] };
  for (let i = 0; (running() || i < 20) && i < 5000; i++) {
    const text = `${to} ${i} | a:b {"x":1} ✓`;
    if (i % 3 === 2) {
      await from.call('TELL', `${to} ${text}`);
      sent.direct.push(text);
    } else {
      await from.call('SAY', `lobby ${text}`);
      sent.room.push(text);
    }
    await new Promise((resolve) => setTimeout(resolve, 5)); // pacing, so the chat lasts as long as the fuzz
  }
  return sent;
}

/** What a client received from `from`: room messages and direct ones, in order of arrival. */
function receivedFrom(client: ChatClient, from: string): { room: string[]; direct: string[] } {
  const texts = (event: string): string[] =>
    client.events
      .filter((e) => e.event === event && e.body.from === from && (event === 'DM' || e.body.room === 'lobby'))
      .map((e) => String(e.body.text));
  return { room: texts('MSG'), direct: texts('DM') };
}

describe(`server fuzz (seed ${settings.seed}, ${settings.cases} cases)`, () => {
  it(
    'answers every bad frame with its code or a BYE, never 500, and the clients chat on undisturbed',
    async () => {
      let fuzzing = true;
      const chats = Promise.all([chat(alice, 'bob', () => fuzzing), chat(bob, 'alice', () => fuzzing)]);
      void chats.catch(() => undefined); // awaited below; if a fuzz case fails first, the server stops under it
      const workers = Array.from({ length: WORKERS }, (_, w) => fuzzWorker(w));
      const connections = await Promise.all(workers).finally(() => {
        fuzzing = false;
      });
      const [fromAlice, fromBob] = await chats;

      // Every message arrived, in order: a PING answered after the last one proves nothing is still queued.
      await Promise.all([alice.call('PING'), bob.call('PING')]);
      expect(receivedFrom(bob, 'alice')).toEqual(fromAlice);
      expect(receivedFrom(alice, 'bob')).toEqual(fromBob);
      expect([alice.bye, bob.bye]).toEqual([undefined, undefined]);

      // The server still serves: new connections, new accounts, logins.
      const carol = await fixture.user('carol');
      expect(await carol.call('PING')).toHaveProperty('time');
      expect(await carol.call('MEMBERS', 'lobby').catch((e: unknown) => e)).toMatchObject({ status: 403 });
      expect(fixture.logLines.filter((line) => / 500( |$)/.test(line))).toEqual([]);
      if (settings.custom) {
        const total = connections.reduce((a, b) => a + b, 0);
        const answers = [...seen].sort().map(([code, n]) => `${code}: ${n}`);
        console.log(
          `server fuzz: ${settings.cases} cases over ${total} connections; ` +
            `chat ${fromAlice.room.length + fromBob.room.length} room and ` +
            `${fromAlice.direct.length + fromBob.direct.length} direct messages; answers ${answers.join(', ')}`,
        );
      }
    },
    60_000 + settings.cases * 200,
  );
});
