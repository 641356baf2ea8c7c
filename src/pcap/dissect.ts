import { dissectArp } from './arp.js';
import { EtherType, dissectEthernet, dissectVlan } from './ethernet.js';
import { dissectIcmp, dissectIcmpv6 } from './icmp.js';
import { dissectIpv4 } from './ipv4.js';
import { dissectIpv6 } from './ipv6.js';
import { dissectSll, dissectSll2 } from './linux-sll.js';
import type { Layer, Packet } from './packet.js';
import { PcapError } from './pcap-error.js';
import { LinkType, type PcapRecord } from './pcap-record.js';
import { dissectTcp } from './tcp.js';
import { dissectUdp } from './udp.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_ICMPV6 = 58;

/**
 * Dissects one frame into layers in wire order: link (Ethernet II + 802.1Q, Linux SLL/SLL2, raw IP),
 * network (ARP, IPv4, IPv6), transport (TCP, UDP, ICMP, ICMPv6).
 * Throws `PCAP_UNSUPPORTED_LINKTYPE` for other link types; a short or inconsistent header does not
 * throw but sets `malformed` and keeps the layers before it.
 * IP fragments are not reassembled: a fragmented datagram's transport header is not dissected.
 */
export function dissect(record: PcapRecord): Packet {
  const data = record.data;
  const layers: Layer[] = [];
  // Every property declared here, so that setting them below changes no object's shape (one a frame).
  const packet: Mutable<Packet> = {
    frame: record.index,
    timestampNs: record.timestampNs,
    data,
    layers,
    payload: NO_PAYLOAD,
    ip: undefined,
    tcp: undefined,
    udp: undefined,
    malformed: undefined,
  };
  let at = 0;
  let end = data.length;
  try {
    let etherType = linkLayer(record, layers);
    at = after(layers);
    while (etherType === EtherType.VLAN || etherType === EtherType.QINQ) {
      const vlan = dissectVlan(data, at, end);
      at = append(layers, vlan);
      etherType = vlan.fields.etherType;
    }
    let protocol = -1;
    if (etherType === EtherType.IPV4) {
      const ip = dissectIpv4(data, at, end);
      at = append(layers, ip);
      // Total Length bounds the datagram (Ethernet pads short frames); 0 means a TSO/GSO frame, no bound.
      if (ip.fields.totalLength >= ip.length) end = Math.min(end, ip.offset + ip.fields.totalLength);
      packet.ip = { version: 4, src: ip.fields.src, dst: ip.fields.dst };
      if (!ip.fields.isFragment) protocol = ip.fields.protocol;
    } else if (etherType === EtherType.IPV6) {
      const ip = dissectIpv6(data, at, end);
      if (ip.fields.payloadLength > 0) end = Math.min(end, ip.offset + 40 + ip.fields.payloadLength);
      at = append(layers, ip);
      packet.ip = { version: 6, src: ip.fields.src, dst: ip.fields.dst };
      if (ip.fields.fragment === undefined) protocol = ip.fields.protocol;
    } else if (etherType === EtherType.ARP) {
      at = append(layers, dissectArp(data, at, end));
    }
    if (protocol === IPPROTO_TCP) {
      const tcp = dissectTcp(data, at, end);
      at = append(layers, tcp);
      const { srcPort, dstPort, seq, ack, flags, window } = tcp.fields;
      packet.tcp = { srcPort, dstPort, seq, ack, flags, window };
    } else if (protocol === IPPROTO_UDP) {
      const udp = dissectUdp(data, at, end);
      at = append(layers, udp);
      if (udp.fields.length >= 8) end = Math.min(end, udp.offset + udp.fields.length);
      packet.udp = { srcPort: udp.fields.srcPort, dstPort: udp.fields.dstPort };
    } else if (protocol === IPPROTO_ICMP) {
      at = append(layers, dissectIcmp(data, at, end));
    } else if (protocol === IPPROTO_ICMPV6) {
      at = append(layers, dissectIcmpv6(data, at, end));
    }
  } catch (error) {
    if (!(error instanceof PcapError) || error.code !== 'PCAP_MALFORMED_PACKET') throw error;
    packet.malformed = {
      kind: String(error.details.kind),
      offset: Number(error.details.offset),
      reason: error.message,
    };
    at = after(layers);
  }
  packet.payload = { offset: at, length: Math.max(0, end - at) };
  return packet;
}

const NO_PAYLOAD = { offset: 0, length: 0 };

/** Appends a layer; returns the offset just past it. */
function append(layers: Layer[], layer: Layer): number {
  layers.push(layer);
  return layer.offset + layer.length;
}

/** The offset just past the last layer (0 without any). */
function after(layers: readonly Layer[]): number {
  const last = layers[layers.length - 1];
  return last === undefined ? 0 : last.offset + last.length;
}

/** Adds the link-layer header and returns the EtherType of what follows it. */
function linkLayer(record: PcapRecord, layers: Layer[]): number {
  const data = record.data;
  switch (record.linkType) {
    case LinkType.ETHERNET: {
      const eth = dissectEthernet(data, 0, data.length);
      layers.push(eth);
      return eth.fields.etherType;
    }
    case LinkType.LINUX_SLL: {
      const sll = dissectSll(data, 0, data.length);
      layers.push(sll);
      return sll.fields.protocol;
    }
    case LinkType.LINUX_SLL2: {
      const sll2 = dissectSll2(data, 0, data.length);
      layers.push(sll2);
      return sll2.fields.protocol;
    }
    case LinkType.RAW: {
      // No link header: the IP version nibble says which network layer follows.
      const version = (data[0] ?? 0) >>> 4;
      return version === 6 ? EtherType.IPV6 : EtherType.IPV4;
    }
    default:
      throw new PcapError(
        'PCAP_UNSUPPORTED_LINKTYPE',
        `frame ${record.index} has link type ${record.linkType}, which has no dissector (supported: ` +
          `1 Ethernet, 101 raw IP, 113 Linux SLL, 276 Linux SLL2). Capture on the container's own ` +
          `interface, e.g. "tcpdump -i eth0 -w file.pcap".`,
        { linkType: record.linkType, frame: record.index },
      );
  }
}
