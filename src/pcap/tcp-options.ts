interface OptionBase<K extends string> {
  readonly kind: K;
  /** Byte offset of the option's kind octet in the frame. */
  readonly offset: number;
  readonly length: number;
}

/** TCP options (RFC 9293 3.2; RFC 7323 window scale and timestamps; RFC 2018 SACK). */
export type TcpOption =
  | OptionBase<'eol'>
  | OptionBase<'nop'>
  | (OptionBase<'mss'> & { readonly value: number })
  | (OptionBase<'window-scale'> & { readonly shift: number })
  | OptionBase<'sack-permitted'>
  | (OptionBase<'sack'> & { readonly blocks: readonly { readonly left: number; readonly right: number }[] })
  | (OptionBase<'timestamps'> & { readonly value: number; readonly echoReply: number })
  | (OptionBase<'unknown'> & { readonly type: number })
  /** An option whose length octet is impossible: it and the rest of the options area. */
  | (OptionBase<'malformed'> & { readonly type: number });

/** Option kinds (IANA tcp-parameters). */
const EOL = 0;
const NOP = 1;
const MSS = 2;
const WINDOW_SCALE = 3;
const SACK_PERMITTED = 4;
const SACK = 5;
const TIMESTAMPS = 8;

/** A header without options (most of them without timestamps): one array for all; never changed. */
const NO_OPTIONS: TcpOption[] = [];
/** NOP options by frame offset: the same two before Linux's timestamps in nearly every segment. */
const NOPS: TcpOption[] = [];

function nopAt(offset: number): TcpOption {
  if (offset >= 256) return { kind: 'nop', offset, length: 1 };
  return (NOPS[offset] ??= { kind: 'nop', offset, length: 1 });
}

/** Parses the options area `[start, end)` of a TCP header (shared objects where they do not vary: read only). */
export function parseTcpOptions(data: Buffer, start: number, end: number): TcpOption[] {
  if (start >= end) return NO_OPTIONS;
  const options: TcpOption[] = [];
  let at = start;
  while (at < end) {
    const type = data.readUInt8(at);
    if (type === EOL) {
      // End of Option List: the rest of the header is padding.
      options.push({ kind: 'eol', offset: at, length: end - at });
      break;
    }
    if (type === NOP) {
      options.push(nopAt(at));
      at += 1;
      continue;
    }
    const length = at + 1 < end ? data.readUInt8(at + 1) : 0;
    if (length < 2 || at + length > end) {
      // Keep the segment (its ports and payload still matter) and mark the rest of the options area.
      options.push({ kind: 'malformed', offset: at, length: end - at, type });
      break;
    }
    options.push(readOption(data, type, at, length));
    at += length;
  }
  return options;
}

function readOption(data: Buffer, type: number, offset: number, length: number): TcpOption {
  const value = offset + 2;
  if (type === MSS && length === 4) return { kind: 'mss', offset, length, value: data.readUInt16BE(value) };
  if (type === WINDOW_SCALE && length === 3) {
    return { kind: 'window-scale', offset, length, shift: data.readUInt8(value) };
  }
  if (type === SACK_PERMITTED && length === 2) return { kind: 'sack-permitted', offset, length };
  if (type === SACK && (length - 2) % 8 === 0) {
    const blocks: { left: number; right: number }[] = [];
    for (let at = value; at < offset + length; at += 8) {
      blocks.push({ left: data.readUInt32BE(at), right: data.readUInt32BE(at + 4) });
    }
    return { kind: 'sack', offset, length, blocks };
  }
  if (type === TIMESTAMPS && length === 10) {
    return {
      kind: 'timestamps',
      offset,
      length,
      value: data.readUInt32BE(value),
      echoReply: data.readUInt32BE(value + 4),
    };
  }
  return { kind: 'unknown', offset, length, type };
}
