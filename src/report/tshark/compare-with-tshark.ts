import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PORT } from '../../protocol/index.js';
import type { Answers, ChatMessage } from '../analysis/answers.js';
import { readListings } from '../analysis/listings-file.js';
import { compareForeign } from './compare-foreign.js';
import { tsharkFields, tsharkLayers } from './tshark-runner.js';

/** One fact on which answers.json and tshark's dissection of merged.pcapng differ. */
export interface Disagreement {
  readonly question: 'meta' | 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
  readonly what: string;
  readonly frame: number | null;
  readonly ours: unknown;
  readonly tshark: unknown;
}

export interface CompareOptions {
  /** The Lua dissector; default the repository's `wireshark/chatlab.lua`. */
  readonly dissector?: string;
}

const DISSECTOR = fileURLToPath(new URL('../../../wireshark/chatlab.lua', import.meta.url));

interface Row {
  readonly frame: number;
  readonly transport: 'tcp' | 'udp' | 'other';
  readonly ethSrc: string | undefined;
  readonly ipSrc: string | undefined;
  readonly ipDst: string | undefined;
  readonly srcPort: number | undefined;
  readonly dstPort: number | undefined;
  readonly tcpLen: number | undefined;
  readonly stream: number | undefined;
}

/**
 * Compares a run's answers.json (written by `writeReport`) with tshark's own dissection of the same
 * `merged.pcapng`: frame count, addresses and MACs (B), transport counts (C), client ports and streams (D),
 * every payload segment's frame, endpoints and `tcp.len` and every chat message per frame as the Lua
 * dissector decodes it (E), the greeting (A), and the layer offsets and lengths of F (PDML pos/size).
 * Resolves with the disagreements, none when the two agree. Needs tshark with Lua.
 */
export async function compareWithTshark(
  runDir: string,
  options: CompareOptions = {},
): Promise<Disagreement[]> {
  const answers = JSON.parse(await readFile(join(runDir, 'answers.json'), 'utf8')) as Answers;
  const listings = await readListings(runDir, answers);
  const merged = join(runDir, answers.meta.merged.file);
  const port = answers.D.serverPort ?? DEFAULT_PORT;
  // Absent in an answers.json of an older report: that one is chatlab's.
  const framing = (answers.E as Partial<Answers['E']>).framing ?? 'chatlab';
  const foreign = framing !== 'chatlab';
  // chatlab.lua only for chatlab: on any other port it would replace Wireshark's own dissector.
  const lua = foreign
    ? []
    : ['-X', `lua_script:${options.dissector ?? DISSECTOR}`, '-o', `chatlab.port:${port}`];
  const out: Disagreement[] = [];
  const differ = (
    question: Disagreement['question'],
    what: string,
    frame: number | null,
    ours: unknown,
    tshark: unknown,
  ) => {
    if (JSON.stringify(ours) !== JSON.stringify(tshark)) out.push({ question, what, frame, ours, tshark });
  };
  const rows = await frameRows(merged);
  const byFrame = new Map(rows.map((r) => [r.frame, r]));
  differ('meta', 'number of frames', null, answers.meta.merged.frames, rows.length);

  // C: frames by transport.
  const count = (t: Row['transport']) => rows.filter((r) => r.transport === t).length;
  differ('C', 'transport counts', null, answers.C.counts, {
    tcp: count('tcp'),
    udp: count('udp'),
    other: count('other'),
  });

  // B: each host's MAC on every frame it sent, and the evidence frame.
  const hosts = [...(answers.B.server === null ? [] : [answers.B.server]), ...answers.B.clients];
  for (const host of hosts) {
    const macs = [...new Set(rows.filter((r) => r.ipSrc === host.ip).map((r) => r.ethSrc))];
    differ('B', `MAC addresses of ${host.name} (${host.ip})`, null, [host.mac], macs);
    if (host.frame !== null) {
      const row = byFrame.get(host.frame);
      differ(
        'B',
        `addresses in ${host.name}'s frame`,
        host.frame,
        [host.ip, host.mac],
        [row?.ipSrc, row?.ethSrc],
      );
    }
  }

  // D: client endpoints towards the server's port, and each connection's first frame.
  const server = answers.B.server;
  const toServer = rows.filter(
    (r) => r.ipDst === server?.ip && r.dstPort === port && r.srcPort !== undefined,
  );
  const theirs = [...new Set(toServer.map((r) => `${r.ipSrc ?? ''}:${r.srcPort ?? ''}`))].sort();
  const ours = answers.D.clients.flatMap((cl) => cl.sourcePorts.map((p) => `${cl.ip}:${p}`)).sort();
  differ('D', 'client endpoints (IP:source port) towards the server port', null, ours, theirs);
  for (const client of answers.D.clients) {
    for (const conn of client.connections) {
      const row = byFrame.get(conn.frame);
      // A UDP "connection" is the datagrams from one source port: it has no stream number to compare.
      differ(
        'D',
        'connection',
        conn.frame,
        [client.ip, conn.sourcePort, port, conn.transport === 'UDP' ? 'udp' : conn.stream],
        [row?.ipSrc, row?.srcPort, row?.dstPort, conn.transport === 'UDP' ? row?.transport : row?.stream],
      );
    }
  }

  // E: the payload segments, one by one.
  const isChat = (r: Row) =>
    (r.tcpLen ?? 0) > 0 &&
    ((r.ipSrc === server?.ip && r.srcPort === port) || (r.ipDst === server?.ip && r.dstPort === port));
  differ(
    'E',
    'frames of the payload segments',
    null,
    listings.segments.map((s) => s.frame),
    rows.filter(isChat).map((r) => r.frame),
  );
  for (const s of listings.segments) {
    const row = byFrame.get(s.frame);
    differ(
      'E',
      'segment',
      s.frame,
      [s.src.ip, s.src.port, s.dst.ip, s.dst.port, s.payloadLength, s.stream],
      [row?.ipSrc, row?.srcPort, row?.ipDst, row?.dstPort, row?.tcpLen, row?.stream],
    );
  }
  if (foreign) {
    await compareForeign(merged, answers, listings, differ);
    return out;
  }
  await compareMessages(merged, lua, listings.messages, differ);

  // A: the first greeting.
  const hello = await tsharkFields(merged, ['frame.number', 'chatlab.app', 'chatlab.version'], {
    filter: 'chatlab.event == "HELLO"',
    extra: lua,
  });
  const first = hello[0];
  differ(
    'A',
    'first greeting',
    answers.A.frame,
    [answers.A.frame, answers.A.application, answers.A.version],
    first === undefined
      ? [null, null, null]
      : [Number(first[0]?.[0]), first[1]?.[0] ?? null, first[2]?.[0] ?? null],
  );

  // F: where each layer lies in the frame.
  if (answers.F.frame !== null) {
    const layers = await tsharkLayers(merged, answers.F.frame, lua);
    for (const layer of answers.F.layers) {
      const found = layers.find((l) => l.name === layer.protocol);
      differ(
        'F',
        `${layer.name} offset and length`,
        answers.F.frame,
        [layer.offset, layer.length],
        found === undefined ? null : [found.pos, found.size],
      );
    }
  }
  return out;
}

/** The frame-level fields the comparison reads, in one tshark pass (no dissector needed). */
export const FRAME_FIELDS = [
  'frame.number',
  'frame.protocols',
  'eth.src',
  'ip.src',
  'ip.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.len',
  'tcp.stream',
  'udp.srcport',
  'udp.dstport',
] as const;

async function frameRows(file: string): Promise<Row[]> {
  const rows = await tsharkFields(file, [...FRAME_FIELDS]);
  return rows.map((row) => {
    const first = (i: number): string | undefined => row[i]?.[0];
    const num = (i: number): number | undefined => (first(i) === undefined ? undefined : Number(first(i)));
    return {
      frame: Number(first(0)),
      transport: transportOf(first(1) ?? ''),
      ethSrc: first(2),
      ipSrc: first(3),
      ipDst: first(4),
      srcPort: num(5) ?? num(9),
      dstPort: num(6) ?? num(10),
      tcpLen: num(7),
      stream: num(8),
    };
  });
}

/** The outermost transport in `frame.protocols` (`eth:ethertype:ip:tcp:chatlab`), as the report counts. */
function transportOf(protocols: string): Row['transport'] {
  for (const protocol of protocols.split(':')) {
    if (protocol === 'tcp' || protocol === 'udp') return protocol;
    if (protocol === 'icmp' || protocol === 'icmpv6' || protocol === 'arp') return 'other';
  }
  return 'other';
}

/** Every chat message, per frame, against the Lua dissector's (HTTP exchanges left out). */
async function compareMessages(
  merged: string,
  lua: readonly string[],
  messages: readonly ChatMessage[],
  differ: (
    q: Disagreement['question'],
    what: string,
    frame: number | null,
    ours: unknown,
    tshark: unknown,
  ) => void,
): Promise<void> {
  const rows = await tsharkFields(
    merged,
    ['frame.number', 'chatlab.kind', 'chatlab.verb', 'chatlab.status', 'chatlab.event', '_ws.expert.message'],
    {
      filter: 'chatlab && !chatlab.http',
      extra: lua,
    },
  );
  const theirs = new Map<number, string[]>();
  for (const row of rows) {
    const frame = Number(row[0]?.[0]);
    const verbs = [...(row[2] ?? [])];
    const statuses = [...(row[3] ?? [])];
    const events = [...(row[4] ?? [])];
    const list = (row[1] ?? []).map((kind) => {
      const detail =
        kind === 'request'
          ? verbs.shift()
          : kind === 'reply'
            ? statuses.shift()
            : kind === 'event'
              ? events.shift()
              : '';
      return `${kind} ${detail ?? ''}`.trim();
    });
    // An oversized line: the dissector still decodes it (with an expert error), the report's decoder
    // (the server's) drops it as FRAME_TOO_LARGE. Both say "too large".
    const tooLarge = (row[5] ?? []).filter((message) => /at most \d+ \(§1 Sizes\)/.test(message)).length;
    for (let i = 0, left = tooLarge; i < list.length && left > 0; i += 1) {
      if (list[i]?.startsWith('request') === true) {
        list[i] = 'too-large';
        left -= 1;
      }
    }
    theirs.set(frame, list);
  }
  const ours = new Map<number, string[]>();
  for (const m of messages) {
    if (m.kind === 'http') continue;
    const detail =
      m.kind === 'request'
        ? m.verb
        : m.kind === 'reply'
          ? String(m.status)
          : m.kind === 'event'
            ? m.event
            : '';
    const list = ours.get(m.frame) ?? [];
    list.push(m.problem === 'FRAME_TOO_LARGE' ? 'too-large' : `${m.kind} ${detail ?? ''}`.trim());
    ours.set(m.frame, list);
  }
  const frames = [...new Set([...theirs.keys(), ...ours.keys()])].sort((a, b) => a - b);
  for (const frame of frames)
    differ(
      'E',
      'chat messages completed in the frame',
      frame,
      ours.get(frame) ?? [],
      theirs.get(frame) ?? [],
    );
}
