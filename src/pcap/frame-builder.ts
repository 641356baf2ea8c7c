import { internetChecksum, onesComplementSum } from './internet-checksum.js';

export interface TcpFrameSpec {
  readonly srcMac?: string;
  readonly dstMac?: string;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack?: number;
  /** Control bits as letters: S(YN) A(CK) P(SH) F(IN) R(ST) U(RG), e.g. "SA", "PA", "FA". */
  readonly flags: string;
  readonly window?: number;
  /** Raw option bytes, already padded to a multiple of 4 (e.g. with NOPs). */
  readonly options?: Buffer;
  readonly payload?: Buffer | string;
  readonly ipId?: number;
  readonly ttl?: number;
}

const FLAG_BITS: Readonly<Record<string, number>> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20 };

/**
 * Encodes an Ethernet II / IPv4 / TCP frame with valid IPv4 and TCP checksums (RFC 791, RFC 9293 3.1
 * pseudo-header). The encoder side of the dissectors, used to build test traffic.
 */
export function buildTcpFrame(spec: TcpFrameSpec): Buffer {
  const options = spec.options ?? Buffer.alloc(0);
  if (options.length % 4 !== 0) throw new RangeError('TCP options must be padded to a multiple of 4 bytes');
  const payload =
    typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0));
  const tcpLength = 20 + options.length + payload.length;
  const frame = Buffer.alloc(14 + 20 + tcpLength);
  writeEthernet(frame, spec.dstMac ?? '02:42:ac:14:00:02', spec.srcMac ?? '02:42:ac:14:00:03', 0x0800);
  writeIpv4(frame, 14, { ...spec, protocol: 6, length: 20 + tcpLength });
  const t = 34;
  frame.writeUInt16BE(spec.srcPort, t);
  frame.writeUInt16BE(spec.dstPort, t + 2);
  frame.writeUInt32BE(spec.seq >>> 0, t + 4);
  frame.writeUInt32BE((spec.ack ?? 0) >>> 0, t + 8);
  let flags = 0;
  for (const letter of spec.flags) flags |= FLAG_BITS[letter] ?? 0;
  frame.writeUInt16BE((((20 + options.length) / 4) << 12) | flags, t + 12);
  frame.writeUInt16BE(spec.window ?? 64240, t + 14);
  options.copy(frame, t + 20);
  payload.copy(frame, t + 20 + options.length);
  frame.writeUInt16BE(transportChecksum(frame, 14, 6, t, tcpLength), t + 16);
  return frame;
}

/**
 * One end's IPv4 identifications as Linux gives them to a TCP connection's segments: a counter moved for every
 * segment sent, except the SYN-ACK, which the listener sends with identification 0 (an atomic datagram, RFC
 * 6864), so two SYN-ACKs can be byte for byte the same. For test traffic that looks like a real capture's.
 */
export class LinuxIpIds {
  constructor(private last: number) {}

  /** The identification of the next segment sent with these flags (letters, as `TcpFrameSpec.flags`). */
  next(flags: string): number {
    if (flags === 'SA') return 0;
    return (this.last = (this.last + 1) & 0xffff);
  }
}

export interface UdpFrameSpec {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Buffer;
  readonly ipId?: number;
}

/** Encodes an Ethernet II / IPv4 / UDP frame (RFC 768) with checksums. */
export function buildUdpFrame(spec: UdpFrameSpec): Buffer {
  const udpLength = 8 + spec.payload.length;
  const frame = Buffer.alloc(14 + 20 + udpLength);
  writeEthernet(frame, '02:42:ac:14:00:02', '02:42:ac:14:00:03', 0x0800);
  writeIpv4(frame, 14, { ...spec, protocol: 17, length: 20 + udpLength });
  frame.writeUInt16BE(spec.srcPort, 34);
  frame.writeUInt16BE(spec.dstPort, 36);
  frame.writeUInt16BE(udpLength, 38);
  spec.payload.copy(frame, 42);
  frame.writeUInt16BE(transportChecksum(frame, 14, 17, 34, udpLength) || 0xffff, 40);
  return frame;
}

function writeEthernet(frame: Buffer, dst: string, src: string, etherType: number): void {
  Buffer.from(dst.replaceAll(':', ''), 'hex').copy(frame, 0);
  Buffer.from(src.replaceAll(':', ''), 'hex').copy(frame, 6);
  frame.writeUInt16BE(etherType, 12);
}

function writeIpv4(
  frame: Buffer,
  at: number,
  ip: { src: string; dst: string; protocol: number; length: number; ipId?: number; ttl?: number },
): void {
  frame.writeUInt8(0x45, at); // Version 4, IHL 5
  frame.writeUInt16BE(ip.length, at + 2);
  frame.writeUInt16BE(ip.ipId ?? 0, at + 4);
  frame.writeUInt16BE(0x4000, at + 6); // DF
  frame.writeUInt8(ip.ttl ?? 64, at + 8);
  frame.writeUInt8(ip.protocol, at + 9);
  writeAddress(frame, at + 12, ip.src);
  writeAddress(frame, at + 16, ip.dst);
  frame.writeUInt16BE(internetChecksum(frame, at, at + 20), at + 10);
}

function writeAddress(frame: Buffer, at: number, address: string): void {
  address.split('.').forEach((part, i) => frame.writeUInt8(Number(part), at + i));
}

/** TCP/UDP checksum over the IPv4 pseudo-header (src, dst, zero, protocol, length) and the segment. */
function transportChecksum(
  frame: Buffer,
  ip: number,
  protocol: number,
  start: number,
  length: number,
): number {
  const pseudo = onesComplementSum(frame, ip + 12, ip + 20, protocol + length);
  return internetChecksum(frame, start, start + length, pseudo);
}
