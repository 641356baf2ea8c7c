import { formatMac } from './address-format.js';
import { type LayerBase, requireBytes } from './layer-base.js';

interface SllCommon {
  /** 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us. */
  readonly packetType: number;
  /** ARPHRD_ type of the interface (1 = Ethernet, 772 = loopback). */
  readonly arphrdType: number;
  readonly addressLength: number;
  /** Link-layer source address (first `addressLength` of the 8 address bytes). */
  readonly address: string;
  /** EtherType of the payload. */
  readonly protocol: number;
}

export type SllLayer = LayerBase<'sll', SllCommon>;
export type Sll2Layer = LayerBase<'sll2', SllCommon & { readonly interfaceIndex: number }>;

/**
 * LINKTYPE_LINUX_SLL (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html): packet type (2), ARPHRD type (2),
 * address length (2), address (8), protocol type (2).
 */
export function dissectSll(data: Buffer, offset: number, end: number): SllLayer {
  requireBytes('sll', offset, 16, end);
  const addressLength = data.readUInt16BE(offset + 4);
  return {
    kind: 'sll',
    offset,
    length: 16,
    fields: {
      packetType: data.readUInt16BE(offset),
      arphrdType: data.readUInt16BE(offset + 2),
      addressLength,
      address: formatMac(data, offset + 6, Math.min(addressLength, 8)),
      protocol: data.readUInt16BE(offset + 14),
    },
  };
}

/**
 * LINKTYPE_LINUX_SLL2: protocol type (2), reserved (2), interface index (4), ARPHRD type (2),
 * packet type (1), address length (1), address (8).
 */
export function dissectSll2(data: Buffer, offset: number, end: number): Sll2Layer {
  requireBytes('sll2', offset, 20, end);
  const addressLength = data.readUInt8(offset + 11);
  return {
    kind: 'sll2',
    offset,
    length: 20,
    fields: {
      protocol: data.readUInt16BE(offset),
      interfaceIndex: data.readUInt32BE(offset + 4),
      arphrdType: data.readUInt16BE(offset + 8),
      packetType: data.readUInt8(offset + 10),
      addressLength,
      address: formatMac(data, offset + 12, Math.min(addressLength, 8)),
    },
  };
}
