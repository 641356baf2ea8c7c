import type { StatusCode } from './status.js';
import { reasonPhrase } from './status.js';

/**
 * Encoders for the frames of docs/PROTOCOL.md §1. Each returns the exact bytes to write; the decoder reads them
 * back to the same frame.
 */

/** `[<tag> ]<VERB>[ <arguments>]` LF. Arguments must already be valid for the verb (see `formatRequest`). */
export function encodeRequest(tag: number | null, verb: string, args = ''): Buffer {
  if (/[\r\n]/.test(args)) throw new TypeError('request arguments cannot contain a line break');
  const head = tag === null ? verb : `${tag} ${verb}`;
  return Buffer.from(args === '' ? `${head}\n` : `${head} ${args}\n`, 'utf8');
}

/** `<tag> <code> <reason>[ <json>]` LF; a null tag is written `-`. */
export function encodeReply(tag: number | string | null, code: StatusCode, body?: object): Buffer {
  const head = `${tag ?? '-'} ${code} ${reasonPhrase(code)}`;
  const json = body === undefined || Object.keys(body).length === 0 ? '' : ` ${JSON.stringify(body)}`;
  return Buffer.from(`${head}${json}\n`, 'utf8');
}

/** `* <EVENT> <json>` LF. */
export function encodeEvent(event: string, body: object): Buffer {
  return Buffer.from(`* ${event} ${JSON.stringify(body)}\n`, 'utf8');
}

/** `DATA <transfer> <offset> <length>` LF: the line that starts a data frame; `length` bytes follow it. */
export function encodeDataHeader(transfer: number, offset: number, length: number): Buffer {
  if (length === 0) throw new RangeError('a data frame carries at least one byte');
  return Buffer.from(`DATA ${transfer} ${offset} ${length}\n`, 'ascii');
}

/** `DATA <transfer> <offset> <length>` LF followed by the bytes, as one buffer. */
export function encodeData(transfer: number, offset: number, bytes: Buffer): Buffer {
  return Buffer.concat([encodeDataHeader(transfer, offset, bytes.length), bytes]);
}

/** What `writeDataFrame` writes to: a socket, or a stream standing in for one. */
export interface FrameSink {
  cork(): void;
  uncork(): void;
  write(bytes: Buffer): boolean;
}

/**
 * Writes a data frame as its header and its bytes, corked so they leave together (one `writev`, one segment
 * when they fit) without copying the bytes into a new buffer as `encodeData` does: a file's bytes are not
 * copied once more on their way out (issue 14). Returns what the second write returned.
 */
export function writeDataFrame(sink: FrameSink, transfer: number, offset: number, bytes: Buffer): boolean {
  const header = encodeDataHeader(transfer, offset, bytes.length);
  sink.cork();
  sink.write(header);
  const more = sink.write(bytes);
  sink.uncork();
  return more;
}
