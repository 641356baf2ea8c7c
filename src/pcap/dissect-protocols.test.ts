import { describe, expect, it } from '@jest/globals';
import { dissect } from './dissect.js';
import { findLayer, payloadBytes } from './packet.js';
import { FRAME, hex, recordOf } from '../../test/support/test-frames.js';

function shape(data: Buffer | string, linkType?: number): [string, number, number][] {
  return dissect(recordOf(data, linkType)).layers.map((l) => [l.kind, l.offset, l.length]);
}

describe('dissect: other protocols', () => {
  it('decodes ARP (RFC 826)', () => {
    const packet = dissect(recordOf(FRAME.arp));
    expect(shape(FRAME.arp)).toEqual([
      ['ethernet', 0, 14],
      ['arp', 14, 28],
    ]);
    expect(findLayer(packet, 'arp')?.fields).toEqual({
      hardwareType: 1,
      protocolType: 0x0800,
      hardwareLength: 6,
      protocolLength: 4,
      operation: 1,
      senderMac: '02:42:ac:14:00:03',
      senderIp: '172.20.0.3',
      targetMac: '00:00:00:00:00:00',
      targetIp: '172.20.0.2',
    });
    expect(packet.ip).toBeUndefined();
    expect(packet.payload).toEqual({ offset: 42, length: 0 });
  });

  it('decodes a UDP datagram (RFC 768) and bounds the payload by its Length', () => {
    const packet = dissect(recordOf(FRAME.dns));
    expect(shape(FRAME.dns)).toEqual([
      ['ethernet', 0, 14],
      ['ipv4', 14, 20],
      ['udp', 34, 8],
    ]);
    expect(findLayer(packet, 'udp')?.fields).toEqual({
      srcPort: 53535,
      dstPort: 53,
      length: 40,
      checksum: 0xc50c,
    });
    expect(packet.udp).toEqual({ srcPort: 53535, dstPort: 53 });
    expect(packet.payload).toEqual({ offset: 42, length: 32 });
    expect(payloadBytes(packet).subarray(0, 2).toString('hex')).toBe('1234');
  });

  it('decodes an ICMP echo request', () => {
    const packet = dissect(recordOf(FRAME.icmp));
    expect(findLayer(packet, 'icmp')).toEqual({
      kind: 'icmp',
      offset: 34,
      length: 8,
      fields: { type: 8, code: 0, checksum: 0x3f37, identifier: 7, sequence: 1 },
    });
    expect(packet.payload).toEqual({ offset: 42, length: 16 });
  });

  it('decodes IPv6 (RFC 8200), skipping a Destination Options header, then TCP', () => {
    const packet = dissect(recordOf(FRAME.ipv6));
    expect(shape(FRAME.ipv6)).toEqual([
      ['ethernet', 0, 14],
      ['ipv6', 14, 48],
      ['tcp', 62, 20],
    ]);
    expect(findLayer(packet, 'ipv6')?.fields).toEqual({
      version: 6,
      trafficClass: 0,
      flowLabel: 0x12345,
      payloadLength: 37,
      nextHeader: 60,
      hopLimit: 64,
      src: 'fd00::3',
      dst: 'fd00::2',
      extensionHeaders: [{ type: 60, offset: 54, length: 8 }],
      protocol: 6,
    });
    expect(packet.ip).toEqual({ version: 6, src: 'fd00::3', dst: 'fd00::2' });
    expect(payloadBytes(packet).toString()).toBe('NICK ana\n');
  });

  it('decodes ICMPv6 echo (RFC 4443)', () => {
    // The IPv6 fixture's fixed header with Payload Length 8 and Next Header 58, then an echo request.
    const bytes = hex(FRAME.ipv6.slice(0, 54 * 2) + '80' + '00' + '0000' + '0001' + '0002');
    bytes.writeUInt16BE(8, 18);
    bytes.writeUInt8(58, 20);
    const packet = dissect(recordOf(bytes));
    expect(packet.layers.map((l) => [l.kind, l.offset])).toEqual([
      ['ethernet', 0],
      ['ipv6', 14],
      ['icmpv6', 54],
    ]);
    expect(findLayer(packet, 'icmpv6')?.fields).toEqual({
      type: 128,
      code: 0,
      checksum: 0,
      identifier: 1,
      sequence: 2,
    });
  });

  it('does not dissect the transport header of IPv4 fragments', () => {
    const first = dissect(recordOf(FRAME.fragment1));
    expect(findLayer(first, 'ipv4')?.fields).toMatchObject({
      identification: 0x5555,
      moreFragments: true,
      dontFragment: false,
      fragmentOffset: 0,
      isFragment: true,
      protocol: 17,
      checksumValid: true,
    });
    expect(first.layers.map((l) => l.kind)).toEqual(['ethernet', 'ipv4']);
    expect(first.udp).toBeUndefined();
    expect(first.payload).toEqual({ offset: 34, length: 24 });
    const last = dissect(recordOf(FRAME.fragment2));
    expect(findLayer(last, 'ipv4')?.fields).toMatchObject({ moreFragments: false, fragmentOffset: 24 });
    expect(last.payload).toEqual({ offset: 34, length: 16 });
  });

  it('decodes IPv4 options (Router Alert, RFC 2113)', () => {
    const packet = dissect(recordOf(FRAME.igmp));
    const ip = findLayer(packet, 'ipv4');
    expect(ip?.length).toBe(24);
    expect(ip?.fields).toMatchObject({ headerLength: 24, ttl: 1, protocol: 2, checksumValid: true });
    expect(ip?.fields.options).toEqual([{ type: 0x94, offset: 34, length: 4 }]);
    expect(packet.payload).toEqual({ offset: 38, length: 8 });
  });

  it('decodes an 802.1Q tag between Ethernet and IPv4', () => {
    const tagged = FRAME.icmp.slice(0, 24) + '8100' + 'a00a' + '0800' + FRAME.icmp.slice(28);
    const packet = dissect(recordOf(tagged));
    expect(packet.layers.map((l) => [l.kind, l.offset, l.length])).toEqual([
      ['ethernet', 0, 14],
      ['vlan', 14, 4],
      ['ipv4', 18, 20],
      ['icmp', 38, 8],
    ]);
    expect(findLayer(packet, 'vlan')?.fields).toEqual({
      priority: 5,
      dropEligible: false,
      vlanId: 10,
      etherType: 0x0800,
    });
  });
});
