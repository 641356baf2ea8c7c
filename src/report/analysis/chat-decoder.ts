import type { StreamChunk, TcpDirection, TcpStream } from '../../pcap/index.js';
import { type Decoded, FrameDecoder, LIMITS } from '../../protocol/index.js';
import type { ChatMessage, Direction } from './answers.js';

/**
 * A decoded message before it gets its id and time (0 and NaN until `decodeChat` sets them), with the
 * parsed JSON body the conformance check reads.
 */
export interface ChatItem {
  readonly message: ChatMessage;
  readonly timestampNs: bigint;
  readonly body?: Readonly<Record<string, unknown>>;
}

/** Bytes that were never captured: decoding of that direction stops there. */
export interface StreamGap {
  readonly stream: number;
  readonly direction: Direction;
  /** The first frame after the hole. */
  readonly frame: number;
  readonly offset: number;
}

const SUMMARY_LENGTH = 120;
const JSON_LENGTH = 2000;
const HTTP_REQUEST = /^[A-Z]{3,7} \S+ HTTP\/1\.[01]\r?\n/;

/**
 * Decodes both directions of one TCP connection to the chat server with the protocol's own FrameDecoder
 * (docs/PROTOCOL.md §1), from the reassembled bytes, and ties each frame to the TCP segments that carried
 * it. A connection whose first bytes are an HTTP request line is the status page (§7), not chat.
 */
export function decodeChatStream(
  stream: TcpStream,
  timeOf: (frame: number) => bigint,
): { items: ChatItem[]; gaps: StreamGap[] } {
  const items: ChatItem[] = [];
  const gaps: StreamGap[] = [];
  const http = HTTP_REQUEST.test(stream.clientToServer.read(0, 256).toString('latin1'));
  for (const direction of ['client-to-server', 'server-to-client'] as const) {
    const bytes = stream.direction(direction);
    if (bytes.length === 0) continue;
    if (http) {
      items.push(httpItem(stream, direction, bytes, timeOf));
      continue;
    }
    const decoder = new FrameDecoder({
      maxLine: direction === 'client-to-server' ? LIMITS.requestLine : LIMITS.serverLine,
      oversizedAt: 'lf', // as wireshark/chatlab.lua shows it: in the frame where the line ends
    });
    const { end, gap } = capturedRun(stream, direction, bytes);
    if (gap) gaps.push(gap);
    for (const chunk of bytes.chunks) {
      if (chunk.end > end) break;
      for (const decoded of decoder.push(chunk.data)) {
        items.push(toItem(stream, direction, bytes, decoded, timeOf));
      }
      if (decoder.isStopped) break;
    }
  }
  return { items, gaps };
}

function toItem(
  stream: TcpStream,
  direction: Direction,
  bytes: TcpDirection,
  decoded: Decoded,
  timeOf: (frame: number) => bigint,
): ChatItem {
  const { start, end } = decoded;
  const frame = completingFrame(bytes.chunks, start, end);
  const frames = bytes.framesFor(start, end);
  const timestampNs = timeOf(frame);
  // Each message is one object literal, its fields in the order answers have always had them (no spread:
  // a report builds 150,000 of these).
  const id = 0;
  // NaN, not 0, until decodeChat sets it: the field holds a double from the start (writing a double
  // where a small integer was makes V8 migrate every message object).
  const time = NaN;
  switch (decoded.kind) {
    case 'request': {
      const line = lineOf(bytes, decoded);
      const summary = cut(line, SUMMARY_LENGTH);
      // The arguments end the line: taken from this line, which the summary keeps anyway, rather than
      // from the decoder's copy of it (which they would keep alive too).
      const args = line.endsWith(decoded.args) ? line.slice(line.length - decoded.args.length) : decoded.args;
      const message = {
        id,
        time,
        stream: stream.id,
        direction,
        frame,
        frames,
        start,
        end,
        kind: 'request' as const,
        summary,
        tag: decoded.tag,
        verb: decoded.verb,
        args,
      };
      return { timestampNs, message };
    }
    case 'reply': {
      const line = lineOf(bytes, decoded);
      const summary = cut(line, SUMMARY_LENGTH);
      const { tag, code: status, reason } = decoded;
      // `json` is undefined when the line has no JSON body: JSON.stringify leaves it out of answers.json.
      const json = jsonOf(line);
      const message = {
        id,
        time,
        stream: stream.id,
        direction,
        frame,
        frames,
        start,
        end,
        kind: 'reply' as const,
        summary,
        tag,
        status,
        reason,
        json,
      };
      return { timestampNs, body: decoded.body, message };
    }
    case 'event': {
      const line = lineOf(bytes, decoded);
      const summary = cut(line, SUMMARY_LENGTH);
      const { event } = decoded;
      const json = jsonOf(line);
      const message = {
        id,
        time,
        stream: stream.id,
        direction,
        frame,
        frames,
        start,
        end,
        kind: 'event' as const,
        summary,
        event,
        json,
      };
      // Of the events' bodies only the greeting's is read (A): the others are not kept (72,000 MSG on 100 MB).
      return event === 'HELLO' ? { timestampNs, body: decoded.body, message } : { timestampNs, message };
    }
    case 'data': {
      const summary = `DATA ${decoded.transfer} ${decoded.offset} ${decoded.data.length} (+${decoded.data.length} bytes)`;
      const message = {
        id,
        time,
        stream: stream.id,
        direction,
        frame,
        frames,
        start,
        end,
        kind: 'data' as const,
        summary,
        transfer: decoded.transfer,
        offset: decoded.offset,
        dataLength: decoded.data.length,
      };
      return { timestampNs, message };
    }
    case 'problem': {
      const summary = cut(`${decoded.code}: ${decoded.message}: ${lineOf(bytes, decoded)}`, SUMMARY_LENGTH);
      const message = {
        id,
        time,
        stream: stream.id,
        direction,
        frame,
        frames,
        start,
        end,
        kind: 'malformed' as const,
        summary,
        problem: decoded.code,
      };
      return { timestampNs, message };
    }
  }
}

/** The message's first line (at most its first 4096 bytes), without CR LF. */
function lineOf(bytes: TcpDirection, decoded: Decoded): string {
  return firstLine(bytes.read(decoded.start, Math.min(decoded.end, decoded.start + 4096)));
}

function httpItem(
  stream: TcpStream,
  direction: Direction,
  bytes: TcpDirection,
  timeOf: (frame: number) => bigint,
): ChatItem {
  const end = bytes.length;
  const frame = completingFrame(bytes.chunks, 0, end);
  return {
    timestampNs: timeOf(frame),
    message: {
      id: 0,
      time: NaN,
      stream: stream.id,
      direction,
      kind: 'http',
      summary: cut(firstLine(bytes.read(0, Math.min(end, 512))).replace(/\r$/, ''), SUMMARY_LENGTH),
      frame,
      frames: bytes.framesFor(0, end),
      start: 0,
      end,
    },
  };
}

/**
 * How far one direction's bytes were captured from its start without a hole, and where the first hole begins
 * (decoding of that direction stops there), if there is one.
 */
export function capturedRun(
  stream: TcpStream,
  direction: Direction,
  bytes: TcpDirection,
): { end: number; gap?: StreamGap } {
  let end = 0;
  for (const chunk of bytes.chunks) {
    if (chunk.start !== end) {
      return { end, gap: { stream: stream.id, direction, frame: chunk.frames[0] ?? 0, offset: end } };
    }
    end = chunk.end;
  }
  return { end };
}

/** The frame that delivered the last missing byte of `[start, end)`: where Wireshark shows the message. */
export function completingFrame(chunks: readonly StreamChunk[], start: number, end: number): number {
  let low = 0;
  let high = chunks.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((chunks[mid]?.end ?? 0) > start) high = mid;
    else low = mid + 1;
  }
  let frame = 0;
  for (let i = low; i < chunks.length; i += 1) {
    const chunk = chunks[i];
    if (chunk === undefined || chunk.start >= end) break;
    frame = Math.max(frame, chunk.frames[0] ?? 0);
  }
  return frame;
}

function firstLine(bytes: Buffer): string {
  const lf = bytes.indexOf(0x0a);
  const text = bytes.toString('utf8', 0, lf < 0 ? bytes.length : lf);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function jsonOf(line: string): string | undefined {
  const brace = line.indexOf('{');
  return brace < 0 ? undefined : cut(line.slice(brace), JSON_LENGTH);
}

function cut(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
