import { createHash } from 'node:crypto';
import { type MergedFrame, type Packet, payloadBytes } from '../../../pcap/index.js';

/** A datagram the sender's capture has and the receiver's lacks. */
export interface LostDatagram {
  readonly frame: number;
  /** Seconds after frame 1. */
  readonly time: number;
  readonly from: string;
  readonly to: string;
  readonly src: string;
  readonly dst: string;
  readonly length: number;
}

export interface UdpLossAnswer {
  /** UDP datagrams in the merged capture. */
  readonly datagrams: number;
  /** Those sent by one captured host to another: the ones whose delivery the captures can check. */
  readonly checked: number;
  readonly lostCount: number;
  /** The first lost datagrams, in capture order. */
  readonly lost: readonly LostDatagram[];
}

/** Lost datagrams listed in answers.json; the count has them all. */
export const LOST_LISTED = 100;

interface Copy {
  readonly frame: number;
  readonly timestampNs: bigint;
  readonly hosts: readonly string[];
  readonly src: string;
  readonly dst: string;
  readonly length: number;
}

/**
 * Which UDP datagrams were lost between two captured hosts. A datagram is its 5-tuple and payload bytes
 * (a hash of them): the sender's copy and the receiver's match even when the merge kept them apart (a
 * different link type or TTL). Sender copies the receiver has no copy of are lost.
 */
export class UdpLossFinder {
  private readonly byKey = new Map<string, Copy[]>();
  private datagrams = 0;

  push(frame: MergedFrame, packet: Packet): void {
    if (packet.udp === undefined || packet.ip === undefined) return;
    this.datagrams += 1;
    const payload = payloadBytes(packet);
    const src = `${packet.ip.src}:${packet.udp.srcPort}`;
    const dst = `${packet.ip.dst}:${packet.udp.dstPort}`;
    const key = `${src}>${dst}#${createHash('sha1').update(payload).digest('base64')}`;
    let copies = this.byKey.get(key);
    if (copies === undefined) this.byKey.set(key, (copies = []));
    copies.push({
      frame: frame.index,
      timestampNs: frame.timestampNs,
      hosts: frame.hosts,
      src,
      dst,
      length: payload.length,
    });
  }

  /** `hostOfIp`: the captured host that owns each address. */
  result(hostOfIp: ReadonlyMap<string, string>, firstNs: bigint): UdpLossAnswer {
    const lost: LostDatagram[] = [];
    let checked = 0;
    const host = (endpoint: string): string | undefined =>
      hostOfIp.get(endpoint.slice(0, endpoint.lastIndexOf(':')));
    for (const copies of this.byKey.values()) {
      const first = copies[0];
      if (first === undefined) continue;
      const from = host(first.src);
      const to = host(first.dst);
      if (from === undefined || to === undefined || from === to) continue;
      checked += copies.filter((c) => c.hosts.includes(from)).length;
      // A copy in both captures was merged into one frame; a receiver's copy kept apart pairs with one
      // sender-only copy.
      const senderOnly = copies.filter((c) => c.hosts.includes(from) && !c.hosts.includes(to));
      const receiverOnly = copies.filter((c) => c.hosts.includes(to) && !c.hosts.includes(from)).length;
      for (const copy of senderOnly.slice(receiverOnly)) {
        lost.push({
          frame: copy.frame,
          time: Number(copy.timestampNs - firstNs) / 1e9,
          from,
          to,
          src: copy.src,
          dst: copy.dst,
          length: copy.length,
        });
      }
    }
    lost.sort((a, b) => a.frame - b.frame);
    return { datagrams: this.datagrams, checked, lostCount: lost.length, lost: lost.slice(0, LOST_LISTED) };
  }
}
