import { createContext, runInContext } from 'node:vm';
import type { Decoded, Frame, FrameDecoderOptions } from '../../../src/protocol/index.js';
import { FrameDecoder, LIMITS } from '../../../src/protocol/index.js';

/** What a decoder made of a byte stream. */
export interface Decoding {
  items: Decoded[];
  pendingBytes: number;
  stopped: boolean;
}

const PROBLEM_CODES = new Set(['BAD_FRAME', 'BAD_ENCODING', 'FRAME_TOO_LARGE']);
const FATAL_CODES = new Set(['BAD_FRAME', 'FRAME_TOO_LARGE']);
const LF = 0x0a;

const sandbox = createContext({ task: undefined });

/**
 * Runs synchronous code with a watchdog: the decoder is synchronous, so a loop that never ends would block
 * the test runner's own timeouts. The VM's timeout interrupts it (hang detection, not a timed assertion).
 */
export function withinTime(ms: number, task: () => void): void {
  (sandbox as { task: () => void }).task = task;
  try {
    runInContext('task()', sandbox, { timeout: ms });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new Error(`did not return within ${ms} ms: the decoder hangs on this case`, { cause: error });
    }
    throw error;
  }
}

/** Feeds the segments to a fresh decoder, in order. */
export function decode(segments: readonly Buffer[], options: FrameDecoderOptions): Decoding {
  const decoder = new FrameDecoder(options);
  const items = segments.flatMap((segment) => decoder.push(segment));
  return { items, pendingBytes: decoder.pendingBytes, stopped: decoder.isStopped };
}

/** True for a line over the limit reported before its LF arrived: its end depends on where TCP cut. */
const cutShort = (item: Decoded, bytes: Buffer): boolean =>
  item.kind === 'problem' && item.code === 'FRAME_TOO_LARGE' && !item.fatal && bytes[item.end - 1] !== LF;

/**
 * The decoder's promises over any input (docs/PROTOCOL.md §1, src/protocol/frame.ts): only the documented
 * problem codes; a fatal problem is the last item; offsets increase, each item's bytes decode alone to the
 * same item, and the bytes between items are blank lines or the rest of an oversized line.
 * Returns what is wrong, or null.
 */
export function checkDecoding(bytes: Buffer, result: Decoding, options: FrameDecoderOptions): string | null {
  let position = 0;
  let afterOversized = false;
  for (const [i, item] of result.items.entries()) {
    const label = `item ${i} (${describe(item)})`;
    if (item.kind === 'problem') {
      if (!PROBLEM_CODES.has(item.code)) return `${label}: undocumented problem code`;
      if (item.fatal && (!FATAL_CODES.has(item.code) || i !== result.items.length - 1 || !result.stopped)) {
        return `${label}: a fatal problem must be BAD_FRAME or FRAME_TOO_LARGE, the last item, and stop the decoder`;
      }
    }
    if (!(item.start >= position && item.start < item.end && item.end <= bytes.length)) {
      return `${label}: offsets [${item.start}, ${item.end}) are not increasing within [${position}, ${bytes.length}]`;
    }
    const size = checkSize(item, bytes, options);
    if (size) return `${label}: ${size}`;
    const gap = checkGap(bytes.subarray(position, item.start), afterOversized, options);
    if (gap) return `bytes [${position}, ${item.start}) before ${label}: ${gap}`;
    const alone = decode([bytes.subarray(item.start, item.end)], options).items;
    const again =
      alone.length === 1 && alone[0]
        ? { ...alone[0], start: alone[0].start + item.start, end: alone[0].end + item.start }
        : null;
    if (!again || !sameItem(again, item, false)) {
      return `${label}: its bytes [${item.start}, ${item.end}) decode alone to ${alone.map(describe).join(', ') || 'nothing'}`;
    }
    position = item.end;
    afterOversized = cutShort(item, bytes);
  }
  if (result.stopped) {
    return result.pendingBytes === 0 ? null : `a stopped decoder keeps ${result.pendingBytes} bytes`;
  }
  const consumed = bytes.length - result.pendingBytes;
  if (consumed < position)
    return `${result.pendingBytes} bytes pending, but items end at ${position} of ${bytes.length}`;
  const gap = checkGap(bytes.subarray(position, consumed), afterOversized, options);
  return gap ? `bytes [${position}, ${consumed}) after the last item: ${gap}` : null;
}

/**
 * The limits of docs/PROTOCOL.md §1 "Sizes", exactly: a line of `maxLine` bytes (LF included) is accepted,
 * one byte more is FRAME_TOO_LARGE; a data frame carries 1 to `maxData` bytes.
 */
function checkSize(item: Decoded, bytes: Buffer, options: FrameDecoderOptions): string | null {
  const maxLine = options.maxLine ?? LIMITS.serverLine;
  const maxData = options.maxData ?? LIMITS.dataChunk;
  const length = item.end - item.start;
  if (item.kind === 'data') {
    const header = length - item.data.length;
    if (item.data.length < 1 || item.data.length > maxData)
      return `a payload of ${item.data.length} bytes accepted`;
    return header > maxLine ? `a data header of ${header} bytes accepted` : null;
  }
  if (item.kind !== 'problem' || item.code !== 'FRAME_TOO_LARGE') {
    return length > maxLine ? `a line of ${length} bytes (limit ${maxLine}) not refused as too large` : null;
  }
  if (item.fatal) return null; // a data header announcing too much: its own length is within the limit
  const over = cutShort(item, bytes) ? length >= maxLine : length > maxLine;
  return over ? null : `a line of ${length} bytes (limit ${maxLine}) refused as too large`;
}

/** Bytes the decoder consumed without yielding anything: blank lines, a data header waiting for its bytes, the rest of an oversized line. */
function checkGap(gap: Buffer, afterOversized: boolean, options: FrameDecoderOptions): string | null {
  let rest = gap;
  if (afterOversized) {
    const lf = gap.indexOf(LF);
    rest = lf < 0 ? Buffer.alloc(0) : gap.subarray(lf + 1);
  }
  if (rest.length === 0) return null;
  if (rest[rest.length - 1] !== LF) return 'consumed bytes that end inside a line';
  const items = decode([rest], options).items;
  return items.length === 0 ? null : `skipped bytes that decode to ${items.map(describe).join(', ')}`;
}

/** Same frame, same offsets; with `loose`, a line cut short by the limit may end anywhere. */
export function sameItem(a: Decoded, b: Decoded, loose: boolean): boolean {
  if (a.start !== b.start) return false;
  if (a.end !== b.end && !(loose && a.kind === 'problem' && a.code === 'FRAME_TOO_LARGE' && !a.fatal))
    return false;
  if (a.kind === 'problem') {
    return b.kind === 'problem' && a.code === b.code && a.message === b.message && a.fatal === b.fatal;
  }
  if (b.kind === 'problem') return false;
  return sameFrame(a, b);
}

export function sameFrame(a: Frame, b: Frame): boolean {
  switch (a.kind) {
    case 'request':
      return b.kind === 'request' && a.tag === b.tag && a.verb === b.verb && a.args === b.args;
    case 'reply':
      return (
        b.kind === 'reply' &&
        a.tag === b.tag &&
        a.code === b.code &&
        a.reason === b.reason &&
        JSON.stringify(a.body) === JSON.stringify(b.body)
      );
    case 'event':
      return b.kind === 'event' && a.event === b.event && JSON.stringify(a.body) === JSON.stringify(b.body);
    case 'data':
      return b.kind === 'data' && a.transfer === b.transfer && a.offset === b.offset && a.data.equals(b.data);
  }
}

/** Compares two decodings of the same bytes; returns the first difference, or null. */
export function compareDecodings(a: Decoding, b: Decoding, loose: boolean): string | null {
  const length = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < length; i++) {
    const x = a.items[i];
    const y = b.items[i];
    if (!x || !y || !sameItem(x, y, loose)) {
      return `item ${i}: ${x ? describe(x) : 'nothing'} whole, ${y ? describe(y) : 'nothing'} split`;
    }
  }
  return a.stopped === b.stopped ? null : `stopped ${a.stopped} whole, ${b.stopped} split`;
}

export function describe(item: Decoded | Frame): string {
  const at = 'start' in item ? ` [${item.start}, ${item.end})` : '';
  switch (item.kind) {
    case 'problem':
      return `problem ${item.code}${item.fatal ? ' fatal' : ''}${at}`;
    case 'request':
      return `request ${item.tag ?? '-'} ${item.verb} ${JSON.stringify(item.args.slice(0, 60))}${at}`;
    case 'reply':
      return `reply ${item.tag ?? '-'} ${item.code}${at}`;
    case 'event':
      return `event ${item.event}${at}`;
    case 'data':
      return `data ${item.transfer} ${item.offset} +${item.data.length}${at}`;
  }
}
