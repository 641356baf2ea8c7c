import { formatMac } from './address-format.js';
import { type LayerBase, requireBytes } from './layer-base.js';

/** EtherTypes this library follows (IEEE 802.3 / IANA ieee-802-numbers). */
export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  IPV6: 0x86dd,
} as const;

export type EthernetLayer = LayerBase<
  'ethernet',
  {
    /** Destination MAC address. */
    readonly dst: string;
    /** Source MAC address. */
    readonly src: string;
    /** EtherType of what follows (0x8100 when an 802.1Q tag follows). */
    readonly etherType: number;
  }
>;

export type VlanLayer = LayerBase<
  'vlan',
  {
    /** Priority Code Point (802.1p), 3 bits. */
    readonly priority: number;
    /** Drop Eligible Indicator, 1 bit. */
    readonly dropEligible: boolean;
    /** VLAN Identifier, 12 bits. */
    readonly vlanId: number;
    /** EtherType of what follows the tag. */
    readonly etherType: number;
  }
>;

/** Ethernet II header (IEEE 802.3 clause 3): destination (6), source (6), EtherType (2). */
export function dissectEthernet(data: Buffer, offset: number, end: number): EthernetLayer {
  requireBytes('ethernet', offset, 14, end);
  return {
    kind: 'ethernet',
    offset,
    length: 14,
    fields: {
      dst: formatMac(data, offset),
      src: formatMac(data, offset + 6),
      etherType: data.readUInt16BE(offset + 12),
    },
  };
}

/** 802.1Q tag after TPID 0x8100 (or 802.1ad 0x88a8): TCI (PCP 3, DEI 1, VID 12), then EtherType. */
export function dissectVlan(data: Buffer, offset: number, end: number): VlanLayer {
  requireBytes('vlan', offset, 4, end);
  const tci = data.readUInt16BE(offset);
  return {
    kind: 'vlan',
    offset,
    length: 4,
    fields: {
      priority: tci >>> 13,
      dropEligible: (tci & 0x1000) !== 0,
      vlanId: tci & 0x0fff,
      etherType: data.readUInt16BE(offset + 2),
    },
  };
}
