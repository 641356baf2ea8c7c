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

/** `DATA <transfer> <offset> <length>` LF followed by the bytes, as one buffer. */
export function encodeData(transfer: number, offset: number, bytes: Buffer): Buffer {
  if (bytes.length === 0) throw new RangeError('a data frame carries at least one byte');
  const header = Buffer.from(`DATA ${transfer} ${offset} ${bytes.length}\n`, 'ascii');
  return Buffer.concat([header, bytes]);
}
