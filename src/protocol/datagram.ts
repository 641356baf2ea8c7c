import type { Decoded } from './frame.js';
import type { FrameDecoderOptions } from './frame-decoder.js';
import { FrameDecoder, leadingTag } from './frame-decoder.js';
import { LIMITS } from './limits.js';

/** CHATLAB/1 over UDP (docs/PROTOCOL.md §10): one frame a datagram. */
export const UDP_LIMITS = {
  /**
   * The payload of one DATA frame over UDP: with its header (at most 36 bytes) and the UDP and IPv4 headers
   * (28 bytes) a DATA datagram stays under Ethernet's 1500-byte MTU, so IP never fragments it.
   */
  dataChunk: 1200,
  /** The largest UDP payload over IPv4 (65535 - 20 - 8): a longer frame cannot be one datagram. */
  datagram: 65507,
} as const;

/**
 * Cuts a byte stream into whole frames, each as its exact bytes, where the decoder finds their ends: however
 * the bytes were written, a line comes out whole and a DATA header with its payload. Blank lines (which every
 * decoder skips) come out as nothing.
 */
export class FrameCutter {
  private decoder = new FrameDecoder({ maxLine: LIMITS.serverLine });
  /** Bytes pushed and not yet cut off as a frame, and the stream offset of the first of them. */
  private held: Buffer = Buffer.alloc(0);
  private heldFrom = 0;

  push(bytes: Buffer): Buffer[] {
    this.held = this.held.length === 0 ? bytes : Buffer.concat([this.held, bytes]);
    const frames: Buffer[] = [];
    let cut = this.heldFrom;
    for (const item of this.decoder.push(bytes)) {
      frames.push(this.held.subarray(item.start - this.heldFrom, item.end - this.heldFrom));
      cut = item.end;
    }
    if (this.decoder.isStopped) {
      // Bytes that are no frame at all (never from chatlab's own code): passed on as they are, and cutting
      // starts again on what comes next.
      frames.push(this.held.subarray(cut - this.heldFrom));
      cut = this.heldFrom + this.held.length;
      this.decoder = new FrameDecoder({ maxLine: LIMITS.serverLine });
      this.heldFrom = 0;
      this.held = Buffer.alloc(0);
      return frames.filter((f) => f.length > 0);
    }
    const kept = this.decoder.unfinished === null ? this.heldFrom + this.held.length : cut;
    this.held = this.held.subarray(kept - this.heldFrom);
    this.heldFrom = kept;
    return frames;
  }
}

/**
 * Decodes CHATLAB/1 datagrams (docs/PROTOCOL.md §10), each on its own: a datagram holds whole frames. One that
 * ends inside a frame yields the frames before it, then a `BAD_FRAME` problem for the rest; nothing of it is
 * continued by the next datagram, and no problem stops the decoding of the next one (a datagram cannot leave
 * the stream out of step, as a bad DATA header on TCP does).
 */
export class DatagramDecoder {
  /** Offset of the next datagram's first byte, as if the datagrams were one stream. */
  private position = 0;

  constructor(private readonly options: FrameDecoderOptions = {}) {}

  push(datagram: Buffer): Decoded[] {
    const decoder = new FrameDecoder(this.options);
    const base = this.position;
    this.position += datagram.length;
    const items: Decoded[] = decoder.push(datagram).map((item) => ({
      ...item,
      ...(item.kind === 'problem' ? { fatal: false } : {}),
      start: base + item.start,
      end: base + item.end,
    }));
    const rest = decoder.unfinished;
    if (rest === null || decoder.isStopped) return items;
    const start = items.at(-1)?.end ?? base;
    const problem: Decoded = {
      kind: 'problem',
      code: 'BAD_FRAME',
      fatal: false,
      start,
      end: this.position,
      message:
        rest.kind === 'line'
          ? `the datagram ends inside a line (no LF after its last ${rest.bytes} bytes): over UDP a datagram holds whole frames and the next one never continues it; nothing of that line was kept`
          : `the datagram ends inside DATA ${rest.transfer} ${rest.offset} ${rest.length} (${rest.received} of its ${rest.length} bytes): over UDP a DATA header and its bytes travel in one datagram; none of them was kept`,
    };
    const tag =
      rest.kind === 'line' ? leadingTag(datagram.subarray(datagram.length - rest.bytes)) : undefined;
    return [...items, tag === undefined ? problem : { ...problem, tag }];
  }
}
