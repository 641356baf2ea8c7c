import { type LayerBase, requireBytes } from './layer-base.js';

interface IcmpFields {
  readonly type: number;
  readonly code: number;
  readonly checksum: number;
  /** Echo request/reply Identifier and Sequence Number; undefined for other types. */
  readonly identifier?: number;
  readonly sequence?: number;
}

export type IcmpLayer = LayerBase<'icmp', IcmpFields>;
export type Icmpv6Layer = LayerBase<'icmpv6', IcmpFields>;

/** ICMP (RFC 792): Type, Code, Checksum, then 4 type-specific bytes; echo (8) / echo reply (0) carry id and seq. */
export function dissectIcmp(data: Buffer, offset: number, end: number): IcmpLayer {
  return { kind: 'icmp', offset, length: 8, fields: readFields('icmp', data, offset, end, [0, 8]) };
}

/** ICMPv6 (RFC 4443 2.1): Type, Code, Checksum, message body; echo request 128 / reply 129 carry id and seq. */
export function dissectIcmpv6(data: Buffer, offset: number, end: number): Icmpv6Layer {
  return { kind: 'icmpv6', offset, length: 8, fields: readFields('icmpv6', data, offset, end, [128, 129]) };
}

function readFields(
  kind: string,
  data: Buffer,
  offset: number,
  end: number,
  echoTypes: readonly number[],
): IcmpFields {
  requireBytes(kind, offset, 8, end);
  const type = data.readUInt8(offset);
  const common = { type, code: data.readUInt8(offset + 1), checksum: data.readUInt16BE(offset + 2) };
  if (!echoTypes.includes(type)) return common;
  return { ...common, identifier: data.readUInt16BE(offset + 4), sequence: data.readUInt16BE(offset + 6) };
}
