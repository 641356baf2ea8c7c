import type { ArpLayer } from './arp.js';
import type { EthernetLayer, VlanLayer } from './ethernet.js';
import type { IcmpLayer, Icmpv6Layer } from './icmp.js';
import type { Ipv4Layer } from './ipv4.js';
import type { Ipv6Layer } from './ipv6.js';
import type { Sll2Layer, SllLayer } from './linux-sll.js';
import type { TcpFlags, TcpLayer } from './tcp.js';
import type { UdpLayer } from './udp.js';

/** Every layer the dissector produces, discriminated on `kind`. */
export type Layer =
  | EthernetLayer
  | VlanLayer
  | SllLayer
  | Sll2Layer
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | TcpLayer
  | UdpLayer
  | IcmpLayer
  | Icmpv6Layer;

export type LayerKind = Layer['kind'];

/** A dissected frame: its layers in wire order and where the innermost payload lies. */
export interface Packet {
  /** Frame number (the record's `index`). */
  readonly frame: number;
  readonly timestampNs: bigint;
  /** The frame bytes (the record's `data`); offsets below index into it. */
  readonly data: Buffer;
  readonly layers: readonly Layer[];
  /**
   * Bytes after the last header: the TCP/UDP application data (bounded by IP Total Length / Payload
   * Length, so Ethernet padding is excluded), ICMP data, or whatever no dissector understood.
   */
  readonly payload: { readonly offset: number; readonly length: number };
  readonly ip?: { readonly version: 4 | 6; readonly src: string; readonly dst: string };
  readonly tcp?: {
    readonly srcPort: number;
    readonly dstPort: number;
    readonly seq: number;
    readonly ack: number;
    readonly flags: TcpFlags;
    readonly window: number;
  };
  readonly udp?: { readonly srcPort: number; readonly dstPort: number };
  /** Set when a header was too short or inconsistent; layers before it are valid. */
  readonly malformed?: { readonly kind: string; readonly offset: number; readonly reason: string };
}

/** The payload bytes of a packet (a view, not a copy). */
export function payloadBytes(packet: Packet): Buffer {
  return packet.data.subarray(packet.payload.offset, packet.payload.offset + packet.payload.length);
}

/** The first layer of a given kind, typed. */
export function findLayer<K extends LayerKind>(
  packet: Packet,
  kind: K,
): Extract<Layer, { kind: K }> | undefined {
  // A loop, not find(): this runs several times a frame, and a callback would be a closure each time.
  for (const layer of packet.layers) if (layer.kind === kind) return layer as Extract<Layer, { kind: K }>;
  return undefined;
}
