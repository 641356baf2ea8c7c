import type { ScriptLine } from '../../src/client/index.js';
import type { ScriptProcess } from '../../src/lab/index.js';
import type { Benchmark, BenchContext, BenchOutcome } from '../lib/benchmark.js';
import { BenchLab, dockerExec, prepareDocker, sha256Of } from '../lib/bench-lab.js';
import { run } from '../lib/command.js';
import { rawTcp, type RawTransfer, type RawWork } from '../lib/raw-tcp.js';
import { fmt, median, ratio } from '../lib/stats.js';

const SPEC = { project: 'chatlab-bench', subnet: '10.77.50.0/24', clients: 'alice,bob' };
const SIZE = 100 * 1048576;
const ROOM = 'transfer';
const FILE = '/tmp/bench-100MiB.bin';
const GOT = '/tmp/bench-got.bin';
/** The transfer floor's copies: the server's on its data volume, as chatlab's server stores a file; bob's in /tmp. */
const FLOOR_STORED = '/data/bench-floor.bin';
const FLOOR_GOT = '/tmp/bench-floor-got.bin';

interface ChatTransfer {
  uploadMs: number;
  downloadMs: number;
  /** Upload + download: the file from alice's disk to bob's, through the server. */
  endToEndMs: number;
  mibPerSecond: number;
  uploadMibPerSecond: number;
  downloadMibPerSecond: number;
}

interface Round {
  rawAliceBob: RawTransfer;
  rawAliceServer: RawTransfer;
  rawServerBob: RawTransfer;
  /** Raw TCP with the work a file transfer cannot skip (the floor): alice -> server, then server -> bob. */
  floorUp: RawTransfer;
  floorDown: RawTransfer;
  chat: ChatTransfer;
}

const mibps = (ms: number): number => SIZE / 1048576 / (ms / 1000);

/**
 * Writes what earlier transfers left in the page cache to the disk (`sync`, untimed) before the next timed one:
 * each chat transfer stores 200 MiB (the server's copy, bob's), which the kernel would otherwise write back at
 * a moment of its own choosing, during whichever transfer came next, raw or chat (bench/README.md, "transfer").
 */
async function settleDisk(): Promise<void> {
  await run('sync', []);
}

type ClientOutput = Record<string, unknown>;

/** Types one line and resolves with the output that completes it (`"line": n`), or throws on an error. */
async function command(client: ScriptProcess, text: string, timeoutMs = 300_000): Promise<ClientOutput> {
  const done = (await client.command(text, { timeoutMs, what: `"${text}"` })) as ClientOutput;
  const failed =
    done.type === 'error' || (typeof done.code === 'number' && done.code >= 400) || done.ok === false;
  if (failed) throw new Error(`${client.name}: ${text} -> ${JSON.stringify(done)}`);
  return done;
}

class Session {
  constructor(readonly client: ScriptProcess) {}
  async do(text: string, timeoutMs?: number): Promise<ClientOutput> {
    return command(this.client, text, timeoutMs);
  }
}

async function chatTransfer(
  alice: Session,
  bob: Session,
  round: number,
  /** The SHA-256 of alice's file, which bob's copy must have. */
  sha256: string,
): Promise<ChatTransfer> {
  const offers = bob.client.lines.length;
  await settleDisk();
  let started = performance.now();
  const sent = await alice.do(`/send #${ROOM} ${FILE}`);
  const uploadMs = performance.now() - started;
  const id = (sent.file as { id?: number } | undefined)?.id;
  if (id === undefined) throw new Error(`no file id in ${JSON.stringify(sent)}`);
  const offer = (o: ScriptLine): boolean =>
    o.type === 'event' &&
    o.event === 'FILE' &&
    (o.data as { file?: { id?: number } }).file?.id === id &&
    bob.client.lines.indexOf(o) >= offers;
  await bob.client.next(offer, { what: `the FILE offer of file ${id}` });
  await settleDisk();
  started = performance.now();
  await bob.do(`/get ${id} ${GOT}`);
  const downloadMs = performance.now() - started;
  if ((await sha256Of(`${SPEC.project}-bob-1`, GOT)) !== sha256)
    throw new Error(`round ${round}: bob's copy differs from alice's file`);
  await dockerExec(`${SPEC.project}-bob-1`, ['rm', '-f', GOT]);
  return {
    uploadMs,
    downloadMs,
    endToEndMs: uploadMs + downloadMs,
    mibPerSecond: mibps(uploadMs + downloadMs),
    uploadMibPerSecond: mibps(uploadMs),
    downloadMibPerSecond: mibps(downloadMs),
  };
}

async function measure(context: BenchContext, lab: BenchLab): Promise<Round[]> {
  const bobIp = lab.lab.host('bob').ip;
  const serverIp = lab.lab.host('server').ip;
  const alice = lab.container('alice');
  const bob = lab.container('bob');
  const server = lab.container('server');
  await dockerExec(alice, ['sh', '-c', `head -c ${SIZE} /dev/urandom > ${FILE}`]);
  const sha256 = await sha256Of(alice, FILE);
  // The floor: what chatlab must do besides moving the bytes, done by the raw programs. Up: alice reads the file
  // and hashes it as she sends it; the server hashes and stores it. Down: the server reads its copy (chatlab's
  // server does not hash it again); bob hashes and stores it.
  const floorUp: RawWork = { readFrom: FILE, hashAtSender: true, storeTo: FLOOR_STORED, sha256 };
  const floorDown: RawWork = { readFrom: FLOOR_STORED, hashAtSender: false, storeTo: FLOOR_GOT, sha256 };
  const a = new Session(lab.lab.scriptedClient('alice'));
  const b = new Session(lab.lab.scriptedClient('bob'));
  try {
    await a.do('/register alice alice@bench.test secret-alice');
    await a.do('/login alice secret-alice');
    await a.do(`/create ${ROOM}`);
    await b.do('/register bob bob@bench.test secret-bob');
    await b.do('/login bob secret-bob');
    await b.do(`/join ${ROOM}`);
    const rounds: Round[] = [];
    for (let round = 1; round <= (context.quick ? 1 : 3); round++) {
      await settleDisk();
      const rawAliceBob = await rawTcp(alice, bob, bobIp, SIZE);
      const chat = await chatTransfer(a, b, round, sha256);
      await settleDisk();
      const rawAliceServer = await rawTcp(alice, server, serverIp, SIZE);
      await settleDisk();
      const rawServerBob = await rawTcp(server, bob, bobIp, SIZE);
      await settleDisk();
      const floorUpRound = await rawTcp(alice, server, serverIp, SIZE, floorUp);
      await settleDisk();
      const floorDownRound = await rawTcp(server, bob, bobIp, SIZE, floorDown);
      await Promise.all([
        dockerExec(server, ['rm', '-f', FLOOR_STORED]),
        dockerExec(bob, ['rm', '-f', FLOOR_GOT]),
      ]);
      context.log(
        `transfer: round ${round}: raw alice->bob ${fmt(rawAliceBob.mibPerSecond)} MiB/s, chat ${fmt(chat.mibPerSecond)} MiB/s ` +
          `(upload ${fmt(chat.uploadMibPerSecond)}, download ${fmt(chat.downloadMibPerSecond)}), raw alice->server ` +
          `${fmt(rawAliceServer.mibPerSecond)}, server->bob ${fmt(rawServerBob.mibPerSecond)} MiB/s; the floor ` +
          `${fmt(floorUpRound.mibPerSecond)} up, ${fmt(floorDownRound.mibPerSecond)} down`,
      );
      rounds.push({
        rawAliceBob,
        rawAliceServer,
        rawServerBob,
        floorUp: floorUpRound,
        floorDown: floorDownRound,
        chat,
      });
    }
    return rounds;
  } finally {
    await a.client.close().catch(() => undefined);
    await b.client.close().catch(() => undefined);
  }
}

export const transfer: Benchmark = {
  name: 'transfer',
  summary:
    '100 MiB file alice -> server -> bob over the lab bridge, against raw TCP between the same containers',
  async run(context): Promise<BenchOutcome> {
    await prepareDocker(context.log);
    const lab = await BenchLab.start(SPEC, context.log);
    let rounds: Round[];
    try {
      rounds = await measure(context, lab);
    } finally {
      await lab.stop();
    }
    const m = (pick: (r: Round) => number): number => median(rounds.map(pick));
    const raw = m((r) => r.rawAliceBob.mibPerSecond);
    const chat = m((r) => r.chat.mibPerSecond);
    const up = m((r) => r.chat.uploadMibPerSecond);
    const down = m((r) => r.chat.downloadMibPerSecond);
    const rawUp = m((r) => r.rawAliceServer.mibPerSecond);
    const rawDown = m((r) => r.rawServerBob.mibPerSecond);
    // A store-and-forward relay moves every byte twice, one leg after the other: at best it takes the
    // time of both raw legs.
    const relayLimit = 1 / (1 / rawUp + 1 / rawDown);
    const floorUp = m((r) => r.floorUp.mibPerSecond);
    const floorDown = m((r) => r.floorDown.mibPerSecond);
    const floorRelay = 1 / (1 / floorUp + 1 / floorDown);
    return {
      table: [
        ['path', 'chatlab MiB/s', 'raw TCP MiB/s', 'chatlab/raw'],
        ['alice -> server -> bob (end to end)', fmt(chat), fmt(raw), fmt(ratio(chat, raw), 3)],
        ['  against both raw legs in a row', fmt(chat), fmt(relayLimit), fmt(ratio(chat, relayLimit), 3)],
        ['alice -> server (UPLOAD)', fmt(up), fmt(rawUp), fmt(ratio(up, rawUp), 3)],
        ['server -> bob (DOWNLOAD)', fmt(down), fmt(rawDown), fmt(ratio(down, rawDown), 3)],
        [
          'the floor, end to end, against both raw legs',
          fmt(floorRelay),
          fmt(relayLimit),
          fmt(ratio(floorRelay, relayLimit), 3),
        ],
        ['  alice -> server: read, hash, store', fmt(floorUp), fmt(rawUp), fmt(ratio(floorUp, rawUp), 3)],
        [
          '  server -> bob: read, hash, store',
          fmt(floorDown),
          fmt(rawDown),
          fmt(ratio(floorDown, rawDown), 3),
        ],
        ['chatlab end to end against the floor', fmt(chat), fmt(floorRelay), fmt(ratio(chat, floorRelay), 3)],
      ],
      notes: [
        `${SIZE / 1048576} MiB of random bytes; medians of ${rounds.length} rounds, each: raw alice->bob, the chat transfer, raw alice->server, raw server->bob, the floor up and down.`,
        'chatlab: the scriptable client in the containers (`/send`, then `/get`), timed from the command to its completion line: reading the file, SHA-256 on both ends, the server storing it.',
        'raw TCP: `node -e` sender (bytes from memory) and receiver (first byte to FIN) in the same containers; the sniffers capture everything in both cases.',
        "the floor: the same raw programs doing the work chatlab cannot skip (lib/raw-tcp.ts, RawWork): alice reads the file 2 MiB at a time and hashes it as she sends it, the server hashes it and writes it to its data volume; then the server reads that copy and bob hashes it and writes it to /tmp; each digest checked. No framing, no protocol: what is left between the floor and chatlab is chatlab's own.",
        `Lab: project ${SPEC.project}, subnet ${SPEC.subnet}, torn down afterwards.`,
      ],
      data: {
        sizeBytes: SIZE,
        rounds,
        medians: { raw, chat, up, down, rawUp, rawDown, relayLimit, floorUp, floorDown, floorRelay },
      },
      headlines: {
        'transfer.storeAndForward': ratio(chat, relayLimit),
        'transfer.floor': ratio(floorRelay, relayLimit),
      },
    };
  },
};
