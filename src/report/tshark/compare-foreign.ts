import type { Answers, ChatMessage, Segment } from '../analysis/answers.js';
import { parseIrcLine } from '../analysis/irc-line.js';
import type { Disagreement } from './compare-with-tshark.js';
import { tsharkFields, tsharkLayers } from './tshark-runner.js';

type Differ = (
  q: Disagreement['question'],
  what: string,
  frame: number | null,
  ours: unknown,
  tshark: unknown,
) => void;

/**
 * The application-layer half of the comparison for any protocol but chatlab's, with Wireshark's own
 * dissectors (never chatlab.lua): IRC against its IRC dissector (irc.request, irc.response: the command of
 * every line, per frame, and the 002 numeric that names the server for A); anything else against
 * tcp.payload, segment by segment; F's application layer against where tshark puts it.
 */
export async function compareForeign(
  merged: string,
  answers: Answers,
  listings: { readonly segments: readonly Segment[]; readonly messages: readonly ChatMessage[] },
  differ: Differ,
): Promise<void> {
  if (answers.E.framing === 'irc') await compareIrc(merged, answers, listings, differ);
  else await comparePayloads(merged, answers, listings.segments, differ);
  if (answers.F.frame === null) return;
  const layers = await tsharkLayers(merged, answers.F.frame);
  for (const layer of answers.F.layers) {
    let found = layers.find((l) => l.name === layer.protocol);
    if (layer.protocol === 'data') {
      // Undissected bytes: PDML has no proto for them; they are what follows the TCP header.
      const tcp = layers.find((l) => l.name === 'tcp');
      const rows = await tsharkFields(merged, ['tcp.len'], { filter: `frame.number == ${answers.F.frame}` });
      const length = Number(rows[0]?.[0]?.[0] ?? NaN);
      found = tcp === undefined ? undefined : { name: 'data', pos: tcp.pos + tcp.size, size: length };
    }
    differ(
      'F',
      `${layer.name} offset and length`,
      answers.F.frame,
      [layer.offset, layer.length],
      found === undefined ? null : [found.pos, found.size],
    );
  }
}

async function compareIrc(
  merged: string,
  answers: Answers,
  listings: { readonly segments: readonly Segment[]; readonly messages: readonly ChatMessage[] },
  differ: Differ,
): Promise<void> {
  const rows = await tsharkFields(merged, ['frame.number', 'irc.request', 'irc.response'], { filter: 'irc' });
  const theirs = new Map<number, string[]>();
  for (const row of rows) {
    const frame = Number(row[0]?.[0]);
    const lines = [
      ...(row[1] ?? []).map((l) => `request ${parseIrcLine(l)?.command ?? '?'}`),
      ...(row[2] ?? []).map((l) => `response ${parseIrcLine(l)?.command ?? '?'}`),
    ];
    theirs.set(frame, lines.sort());
  }
  // Wireshark's IRC dissector reads each segment's own lines and does not reassemble one split across
  // segments: each piece is parsed as a line of its own. So a frame holds the messages it carried whole,
  // plus one piece per message split across it, whatever tshark makes of that piece.
  const ours = new Map<number, string[]>();
  const pieces = new Map<number, number>();
  for (const m of listings.messages) {
    if (m.frames.length !== 1) {
      for (const frame of new Set(m.frames)) pieces.set(frame, (pieces.get(frame) ?? 0) + 1);
      continue;
    }
    const list = ours.get(m.frame) ?? [];
    list.push(`${m.direction === 'client-to-server' ? 'request' : 'response'} ${m.irc?.command ?? '?'}`);
    ours.set(m.frame, list);
  }
  const chatFrames = new Set(listings.segments.map((s) => s.frame));
  for (const frame of [...new Set([...theirs.keys(), ...ours.keys()])].sort((a, b) => a - b)) {
    if (!chatFrames.has(frame)) continue; // IRC on another connection than the chat's
    const whole = (ours.get(frame) ?? []).sort();
    const split = pieces.get(frame) ?? 0;
    const left = [...(theirs.get(frame) ?? [])];
    const allFound = whole.every((line) => {
      const at = left.indexOf(line);
      if (at >= 0) left.splice(at, 1);
      return at >= 0;
    });
    if (allFound && left.length === split) continue;
    differ(
      'E',
      'IRC commands in the frame (irc.request, irc.response)',
      frame,
      [...whole, ...Array.from({ length: split }, () => '(a piece of a line split across segments)')],
      theirs.get(frame) ?? [],
    );
  }
  const named = rows.find((row) => (row[2] ?? []).some((l) => / 002 \S+ :.*running version /.test(l)));
  const line = named?.[2]?.find((l) => / 002 /.test(l));
  const version = line === undefined ? null : (/running version (\S+)/.exec(line)?.[1] ?? null);
  differ(
    'A',
    'the 002 numeric naming the server',
    answers.A.frame,
    [
      answers.A.frame,
      answers.A.application === null ? null : `${answers.A.application}-${answers.A.version ?? ''}`,
    ],
    [named === undefined ? null : Number(named[0]?.[0]), version],
  );
}

async function comparePayloads(
  merged: string,
  answers: Answers,
  segments: readonly Segment[],
  differ: Differ,
): Promise<void> {
  const port = answers.D.serverPort ?? 0;
  const rows = await tsharkFields(merged, ['frame.number', 'tcp.payload'], {
    filter: `tcp.port == ${port} && tcp.len > 0`,
  });
  const theirs = new Map(rows.map((row) => [Number(row[0]?.[0]), (row[1]?.[0] ?? '').replaceAll(':', '')]));
  for (const segment of segments) {
    if (segment.retransmission || segment.payloadHex === undefined) continue;
    differ(
      'E',
      'segment payload (tcp.payload)',
      segment.frame,
      segment.payloadHex,
      theirs.get(segment.frame) ?? null,
    );
  }
  if (answers.A.frame !== null && answers.A.payload !== null) {
    const hex = theirs.get(answers.A.frame) ?? '';
    const text = Buffer.from(hex, 'hex').toString('latin1');
    const line = Buffer.from(answers.A.payload, 'utf8').toString('latin1');
    differ(
      'A',
      'the text naming the application, in its frame',
      answers.A.frame,
      answers.A.payload,
      startsIn(text, line) ? answers.A.payload : Buffer.from(text, 'latin1').toString('utf8'),
    );
  }
}

/**
 * Whether the segment's payload holds the line A cites, or its beginning: A cites the frame where the line
 * starts, and a line cut across segments goes on in the next one (the segment ends with its first bytes).
 */
function startsIn(payload: string, line: string): boolean {
  if (payload.includes(line)) return true;
  for (let n = line.length - 1; n >= Math.min(8, line.length); n -= 1)
    if (payload.endsWith(line.slice(0, n))) return true;
  return false;
}
