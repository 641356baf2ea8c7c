import type { TcpDirection, TcpStream } from '../../pcap/index.js';
import type { Direction, ReportFraming } from './answers.js';
import { capturedRun, type ChatItem, completingFrame, type StreamGap } from './chat-decoder.js';
import { parseIrcLine } from './irc-line.js';

// eslint-disable-next-line no-control-regex -- the control characters are what it finds
const CONTROL = /[\x00-\x1f\x7f]/g;
const TEXT_LENGTH = 2000;
const HEX_BYTES = 512;
const SUMMARY_LENGTH = 120;
/** Length-prefixed framing: a 4-byte big-endian length, then that many bytes (Python's struct.pack('!I')). */
const LENGTH_BYTES = 4;

/**
 * Cuts one TCP connection of a protocol other than chatlab's into messages, judging nothing: `segment`
 * (what each TCP segment carried, as a program that takes one recv() for one message sees it), `line` and
 * `irc` (up to each LF; `irc` also parses the line, RFC 2812 §2.3.1) or `length` (4-byte length prefix).
 */
export function decodeForeignStream(
  stream: TcpStream,
  framing: Exclude<ReportFraming, 'chatlab'>,
  timeOf: (frame: number) => bigint,
): { items: ChatItem[]; gaps: StreamGap[] } {
  const items: ChatItem[] = [];
  const gaps: StreamGap[] = [];
  for (const direction of ['client-to-server', 'server-to-client'] as const) {
    const bytes = stream.direction(direction);
    const { end, gap } = capturedRun(stream, direction, bytes);
    if (gap) gaps.push(gap);
    const ranges =
      framing === 'segment'
        ? segments(bytes, end)
        : framing === 'length'
          ? lengths(bytes, end)
          : lines(bytes, end);
    for (const [start, stop, unfinished] of ranges)
      items.push(item(stream, direction, bytes, { start, end: stop, unfinished }, framing, timeOf));
  }
  return { items, gaps };
}

/** A message's byte range, and whether the capture ended before the message did. */
type Range = [start: number, end: number, unfinished: boolean];

function segments(bytes: TcpDirection, end: number): Range[] {
  return bytes.chunks.filter((c) => c.end <= end).map((c) => [c.start, c.end, false]);
}

function lines(bytes: TcpDirection, end: number): Range[] {
  const all = bytes.read(0, end);
  const ranges: Range[] = [];
  let start = 0;
  for (let lf = all.indexOf(0x0a); lf >= 0; lf = all.indexOf(0x0a, start)) {
    ranges.push([start, lf + 1, false]);
    start = lf + 1;
  }
  if (start < end) ranges.push([start, end, true]); // the last line never ended: shown as it is
  return ranges;
}

function lengths(bytes: TcpDirection, end: number): Range[] {
  const all = bytes.read(0, end);
  const ranges: Range[] = [];
  let start = 0;
  while (start + LENGTH_BYTES <= end) {
    const stop = start + LENGTH_BYTES + all.readUInt32BE(start);
    ranges.push([start, Math.min(stop, end), stop > end]);
    start = stop;
  }
  if (start < end) ranges.push([start, end, true]); // not even the whole length prefix
  return ranges;
}

function item(
  stream: TcpStream,
  direction: Direction,
  bytes: TcpDirection,
  { start, end, unfinished }: { start: number; end: number; unfinished: boolean },
  framing: Exclude<ReportFraming, 'chatlab'>,
  timeOf: (frame: number) => bigint,
): ChatItem {
  const raw = bytes.read(start, end);
  const body = framing === 'length' ? raw.subarray(LENGTH_BYTES) : raw;
  const text = printable(body);
  const line = text.replace(/(\\x0d)?\\x0a$/, '');
  const irc = framing === 'irc' ? parseIrcLine(body.toString('utf8').replace(/\r?\n$/, '')) : undefined;
  const frame = completingFrame(bytes.chunks, start, end);
  return {
    timestampNs: timeOf(frame),
    message: {
      id: 0,
      time: NaN,
      stream: stream.id,
      direction,
      kind: 'text',
      summary: cut(line, SUMMARY_LENGTH),
      frame,
      frames: bytes.framesFor(start, end),
      start,
      end,
      text: cut(text, TEXT_LENGTH),
      hex: raw.subarray(0, HEX_BYTES).toString('hex'),
      ...(unfinished ? { unfinished: true as const } : {}),
      ...(irc === undefined
        ? {}
        : {
            irc:
              irc === null
                ? null
                : { prefix: irc.prefix, command: irc.command, params: irc.params, ctcp: irc.ctcp },
            ...(irc === null ? {} : { verb: irc.command, args: irc.params.join(' ') }),
          }),
    },
  };
}

/** UTF-8 text with control characters (CR, LF, \x01 of CTCP...) written as `\xNN`, so nothing is hidden. */
export function printable(bytes: Buffer): string {
  return bytes
    .toString('utf8')
    .replace(CONTROL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function cut(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
