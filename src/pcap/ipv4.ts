import { formatIpv4 } from './address-format.js';
import { onesComplementSum } from './internet-checksum.js';
import { type LayerBase, malformed, requireBytes } from './layer-base.js';

export interface Ipv4Option {
  /** Option-type octet (copied flag, class, number), e.g. 1 NOP, 7 Record Route, 148 Router Alert. */
  readonly type: number;
  readonly offset: number;
  readonly length: number;
}

export type Ipv4Layer = LayerBase<
  'ipv4',
  {
    readonly version: 4;
    /** IHL in bytes (the 4-bit field times 4). */
    readonly headerLength: number;
    /** Type of Service octet split per RFC 2474 / 3168. */
    readonly dscp: number;
    readonly ecn: number;
    /** Total Length: header plus data, in bytes. */
    readonly totalLength: number;
    readonly identification: number;
    /** Flags: bit 0 reserved, DF (don't fragment), MF (more fragments). */
    readonly reservedFlag: boolean;
    readonly dontFragment: boolean;
    readonly moreFragments: boolean;
    /** Fragment Offset converted to bytes (the field counts 8-byte units). */
    readonly fragmentOffset: number;
    /** True when this datagram is one fragment of a larger one (MF set or offset > 0). */
    readonly isFragment: boolean;
    readonly ttl: number;
    /** Protocol of the data (6 TCP, 17 UDP, 1 ICMP). */
    readonly protocol: number;
    readonly checksum: number;
    /** Header Checksum verified over the header (RFC 791 3.1; RFC 1071). */
    readonly checksumValid: boolean;
    readonly src: string;
    readonly dst: string;
    readonly options: readonly Ipv4Option[];
  }
>;

/**
 * IPv4 header (RFC 791 3.1): Version, IHL, Type of Service, Total Length, Identification, Flags,
 * Fragment Offset, Time to Live, Protocol, Header Checksum, Source, Destination, Options.
 */
export function dissectIpv4(data: Buffer, offset: number, end: number): Ipv4Layer {
  requireBytes('ipv4', offset, 20, end);
  const versionIhl = data.readUInt8(offset);
  if (versionIhl >>> 4 !== 4) throw malformed('ipv4', offset, `has version ${versionIhl >>> 4}, not 4`);
  const headerLength = (versionIhl & 0x0f) * 4;
  if (headerLength < 20) throw malformed('ipv4', offset, `has IHL ${headerLength / 4} (minimum 5)`);
  requireBytes('ipv4', offset, headerLength, end);
  const tos = data.readUInt8(offset + 1);
  const totalLength = data.readUInt16BE(offset + 2);
  const flagsFragment = data.readUInt16BE(offset + 6);
  const moreFragments = (flagsFragment & 0x2000) !== 0;
  const fragmentOffset = (flagsFragment & 0x1fff) * 8;
  return {
    kind: 'ipv4',
    offset,
    length: headerLength,
    fields: {
      version: 4,
      headerLength,
      dscp: tos >>> 2,
      ecn: tos & 0x03,
      totalLength,
      identification: data.readUInt16BE(offset + 4),
      reservedFlag: (flagsFragment & 0x8000) !== 0,
      dontFragment: (flagsFragment & 0x4000) !== 0,
      moreFragments,
      fragmentOffset,
      isFragment: moreFragments || fragmentOffset > 0,
      ttl: data.readUInt8(offset + 8),
      protocol: data.readUInt8(offset + 9),
      checksum: data.readUInt16BE(offset + 10),
      checksumValid: onesComplementSum(data, offset, offset + headerLength) === 0xffff,
      src: formatIpv4(data, offset + 12),
      dst: formatIpv4(data, offset + 16),
      options: headerLength === 20 ? NO_OPTIONS : readOptions(data, offset + 20, offset + headerLength),
    },
  };
}

/** The options of a header without any (nearly every one): one array for all. */
const NO_OPTIONS: readonly Ipv4Option[] = [];

/** Options (RFC 791 3.1): End of Option List (0) and No Operation (1) are one octet; others type-length-value. */
function readOptions(data: Buffer, start: number, end: number): Ipv4Option[] {
  const options: Ipv4Option[] = [];
  let at = start;
  while (at < end) {
    const type = data.readUInt8(at);
    if (type === 0 || type === 1) {
      options.push({ type, offset: at, length: 1 });
      at += 1;
      if (type === 0) break;
      continue;
    }
    const length = at + 1 < end ? data.readUInt8(at + 1) : 0;
    if (length < 2 || at + length > end)
      throw malformed('ipv4', at, `has option ${type} with bad length ${length}`);
    options.push({ type, offset: at, length });
    at += length;
  }
  return options;
}
