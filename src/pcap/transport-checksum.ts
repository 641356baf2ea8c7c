import { onesComplementSum } from './internet-checksum.js';
import { findLayer, type Packet } from './packet.js';

/**
 * How a header's checksum compares with the one computed from the captured bytes: `correct`, `incorrect`,
 * `absent` (a UDP checksum of 0 over IPv4: the sender chose not to compute one, RFC 768), or `unverifiable`
 * (the capture lacks bytes the checksum covers: a snap length cut, or a TSO/GSO buffer with no IP length).
 */
export type ChecksumStatus = 'correct' | 'incorrect' | 'absent' | 'unverifiable';

export interface ChecksumCheck {
  readonly layer: 'ipv4' | 'tcp' | 'udp';
  readonly status: ChecksumStatus;
  /** The value in the header. */
  readonly value: number;
  /** The value the sender should have written, computed here (null when unverifiable). */
  readonly expected: number | null;
  /** Frame offset of the 2-byte checksum field. */
  readonly fieldOffset: number;
}

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** The IPv4 Header Checksum (RFC 791 3.1): one's complement of the one's complement sum of the header. */
export function checkIpv4Checksum(packet: Packet): ChecksumCheck | undefined {
  const ip = findLayer(packet, 'ipv4');
  if (ip === undefined) return undefined;
  const fieldOffset = ip.offset + 10;
  const expected = complementExcluding(packet.data, ip.offset, ip.offset + ip.length, fieldOffset, 0);
  const value = ip.fields.checksum;
  return {
    layer: 'ipv4',
    status: value === expected ? 'correct' : 'incorrect',
    value,
    expected,
    fieldOffset,
  };
}

/**
 * The TCP (RFC 9293 3.1) or UDP (RFC 768) checksum: over a pseudo-header (source and destination address,
 * protocol, segment length; RFC 8200 8.1 for IPv6) and the whole segment, header and data.
 */
export function checkTransportChecksum(packet: Packet): ChecksumCheck | undefined {
  const transport = findLayer(packet, 'tcp') ?? findLayer(packet, 'udp');
  if (transport === undefined) return undefined;
  const layer = transport.kind;
  const fieldOffset = transport.offset + (layer === 'tcp' ? 16 : 6);
  const value = transport.fields.checksum;
  const protocol = layer === 'tcp' ? IPPROTO_TCP : IPPROTO_UDP;
  const ipv4 = findLayer(packet, 'ipv4');
  const ipv6 = ipv4 === undefined ? findLayer(packet, 'ipv6') : undefined;
  let end: number;
  let pseudo: number;
  if (ipv4 !== undefined) {
    if (layer === 'udp' && value === 0)
      return { layer, status: 'absent', value, expected: null, fieldOffset };
    end = ipv4.offset + ipv4.fields.totalLength;
    if (ipv4.fields.totalLength < ipv4.length) return unverifiable(layer, value, fieldOffset);
    pseudo = onesComplementSum(
      packet.data,
      ipv4.offset + 12,
      ipv4.offset + 20,
      protocol + (end - transport.offset),
    );
  } else if (ipv6 !== undefined) {
    if (ipv6.fields.payloadLength === 0) return unverifiable(layer, value, fieldOffset);
    end = ipv6.offset + 40 + ipv6.fields.payloadLength;
    const length = end - transport.offset;
    pseudo = onesComplementSum(
      packet.data,
      ipv6.offset + 8,
      ipv6.offset + 40,
      protocol + (length >>> 16) + (length & 0xffff),
    );
  } else {
    return unverifiable(layer, value, fieldOffset);
  }
  if (end > packet.data.length) return unverifiable(layer, value, fieldOffset);
  let expected = complementExcluding(packet.data, transport.offset, end, fieldOffset, pseudo);
  // UDP sends a computed 0 as 0xffff, since 0 means "no checksum" (RFC 768).
  if (layer === 'udp' && expected === 0) expected = 0xffff;
  // 0xffff and 0x0000 are the same number (zero) in one's complement arithmetic, and the receiver's sum over
  // the segment comes out the same with either: Linux writes a computed TCP 0 as 0xffff when it fills in the
  // checksum itself (skb_checksum_help, CSUM_MANGLED_0; about one segment in 65,536). Wireshark flags it citing
  // RFC 1624, but it is a correct checksum.
  const correct = value === expected || (layer === 'tcp' && expected === 0 && value === 0xffff);
  return { layer, status: correct ? 'correct' : 'incorrect', value, expected, fieldOffset };
}

function unverifiable(layer: 'tcp' | 'udp', value: number, fieldOffset: number): ChecksumCheck {
  return { layer, status: 'unverifiable', value, expected: null, fieldOffset };
}

/** The checksum over [start, end) with the 16-bit field at `field` taken as zero (`field - start` is even). */
function complementExcluding(
  data: Buffer,
  start: number,
  end: number,
  field: number,
  initial: number,
): number {
  const before = onesComplementSum(data, start, field, initial);
  return ~onesComplementSum(data, field + 2, end, before) & 0xffff;
}
