import { type LayerBase, requireBytes } from './layer-base.js';

export type UdpLayer = LayerBase<
  'udp',
  {
    readonly srcPort: number;
    readonly dstPort: number;
    /** Length: header plus data, in bytes. */
    readonly length: number;
    readonly checksum: number;
  }
>;

/** UDP header (RFC 768): Source Port, Destination Port, Length, Checksum. */
export function dissectUdp(data: Buffer, offset: number, end: number): UdpLayer {
  requireBytes('udp', offset, 8, end);
  return {
    kind: 'udp',
    offset,
    length: 8,
    fields: {
      srcPort: data.readUInt16BE(offset),
      dstPort: data.readUInt16BE(offset + 2),
      length: data.readUInt16BE(offset + 4),
      checksum: data.readUInt16BE(offset + 6),
    },
  };
}
