import { describe, expect, it } from '@jest/globals';
import { dissect } from './dissect.js';
import { buildTcpFrame } from './frame-builder.js';
import { findLayer, payloadBytes } from './packet.js';
import { LinkType, type PcapRecord } from './pcap-record.js';
import { FRAME, HELLO_PAYLOAD, hex } from './test-frames.js';

function record(data: Buffer | string, linkType: number = LinkType.ETHERNET): PcapRecord {
  const bytes = typeof data === 'string' ? hex(data) : data;
  return {
    index: 7,
    timestampNs: 5n,
    linkType,
    interfaceId: 0,
    capturedLength: bytes.length,
    originalLength: bytes.length,
    data: bytes,
  };
}

const ENDPOINTS = { src: '172.20.0.3', dst: '172.20.0.2', srcPort: 45678, dstPort: 3300 };

function shape(data: Buffer | string, linkType?: number): [string, number, number][] {
  return dissect(record(data, linkType)).layers.map((l) => [l.kind, l.offset, l.length]);
}

describe('dissect: Ethernet / IPv4 / TCP', () => {
  it('decodes the SYN with its options', () => {
    const packet = dissect(record(FRAME.syn));
    expect(packet.layers.map((l) => [l.kind, l.offset, l.length])).toEqual([
      ['ethernet', 0, 14],
      ['ipv4', 14, 20],
      ['tcp', 34, 40],
    ]);
    expect(findLayer(packet, 'ethernet')?.fields).toEqual({
      dst: '02:42:ac:14:00:02',
      src: '02:42:ac:14:00:03',
      etherType: 0x0800,
    });
    expect(findLayer(packet, 'ipv4')?.fields).toEqual({
      version: 4,
      headerLength: 20,
      dscp: 0,
      ecn: 0,
      totalLength: 60,
      identification: 0x1c46,
      reservedFlag: false,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      isFragment: false,
      ttl: 64,
      protocol: 6,
      checksum: 0xc648,
      checksumValid: true,
      src: '172.20.0.3',
      dst: '172.20.0.2',
      options: [],
    });
    const tcp = findLayer(packet, 'tcp');
    expect(tcp?.fields).toMatchObject({
      srcPort: 45678,
      dstPort: 3300,
      seq: 0x9a3b1c2d,
      ack: 0,
      headerLength: 40,
      flagBits: 0x002,
      window: 64240,
      checksum: 0xdc61,
      urgentPointer: 0,
    });
    expect(tcp?.fields.flags).toEqual({
      ae: false,
      cwr: false,
      ece: false,
      urg: false,
      ack: false,
      psh: false,
      rst: false,
      syn: true,
      fin: false,
    });
    expect(tcp?.fields.options).toEqual([
      { kind: 'mss', offset: 54, length: 4, value: 1460 },
      { kind: 'sack-permitted', offset: 58, length: 2 },
      { kind: 'timestamps', offset: 60, length: 10, value: 1155763, echoReply: 0 },
      { kind: 'nop', offset: 70, length: 1 },
      { kind: 'window-scale', offset: 71, length: 3, shift: 7 },
    ]);
    expect(packet.payload).toEqual({ offset: 74, length: 0 });
    expect(packet.ip).toEqual({ version: 4, src: '172.20.0.3', dst: '172.20.0.2' });
    expect(packet.tcp).toMatchObject({ srcPort: 45678, dstPort: 3300, seq: 0x9a3b1c2d, window: 64240 });
    expect(packet.frame).toBe(7);
    expect(packet.malformed).toBeUndefined();
  });

  it('finds the application payload of the HELLO segment', () => {
    const packet = dissect(record(FRAME.hello));
    expect(shape(FRAME.hello)).toEqual([
      ['ethernet', 0, 14],
      ['ipv4', 14, 20],
      ['tcp', 34, 32],
    ]);
    expect(packet.payload).toEqual({ offset: 66, length: 26 });
    expect(payloadBytes(packet).toString()).toBe(HELLO_PAYLOAD);
    expect(packet.tcp?.flags).toMatchObject({ psh: true, ack: true, syn: false });
    expect(packet.tcp?.ack).toBe(0x9a3b1c2e);
    expect(findLayer(packet, 'tcp')?.fields.options).toEqual([
      { kind: 'nop', offset: 54, length: 1 },
      { kind: 'nop', offset: 55, length: 1 },
      { kind: 'timestamps', offset: 56, length: 10, value: 1155784, echoReply: 1155764 },
    ]);
  });

  it('excludes Ethernet padding from the payload (IPv4 Total Length bounds it)', () => {
    const padded = hex(FRAME.hello + '000000000000');
    expect(dissect(record(padded)).payload).toEqual({ offset: 66, length: 26 });
  });

  it('flags a bad IPv4 header checksum', () => {
    const bytes = hex(FRAME.syn);
    bytes.writeUInt16BE(0xc649, 24);
    expect(findLayer(dissect(record(bytes)), 'ipv4')?.fields.checksumValid).toBe(false);
  });

  it('decodes SACK blocks (RFC 2018)', () => {
    // NOP, NOP, SACK with two blocks: 1000..2000 and 3000..4000.
    const options = hex('0101' + '0512' + '000003e8' + '000007d0' + '00000bb8' + '00000fa0');
    const frame = buildTcpFrame({ ...ENDPOINTS, seq: 1, ack: 1, flags: 'A', options });
    const tcp = findLayer(dissect(record(frame)), 'tcp');
    expect(tcp?.length).toBe(40);
    expect(tcp?.fields.options[2]).toEqual({
      kind: 'sack',
      offset: 56,
      length: 18,
      blocks: [
        { left: 1000, right: 2000 },
        { left: 3000, right: 4000 },
      ],
    });
  });
});

describe('dissect: other protocols', () => {
  it('decodes ARP (RFC 826)', () => {
    const packet = dissect(record(FRAME.arp));
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
    const packet = dissect(record(FRAME.dns));
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
    const packet = dissect(record(FRAME.icmp));
    expect(findLayer(packet, 'icmp')).toEqual({
      kind: 'icmp',
      offset: 34,
      length: 8,
      fields: { type: 8, code: 0, checksum: 0x3f37, identifier: 7, sequence: 1 },
    });
    expect(packet.payload).toEqual({ offset: 42, length: 16 });
  });

  it('decodes IPv6 (RFC 8200), skipping a Destination Options header, then TCP', () => {
    const packet = dissect(record(FRAME.ipv6));
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
    const packet = dissect(record(bytes));
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
    const first = dissect(record(FRAME.fragment1));
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
    const last = dissect(record(FRAME.fragment2));
    expect(findLayer(last, 'ipv4')?.fields).toMatchObject({ moreFragments: false, fragmentOffset: 24 });
    expect(last.payload).toEqual({ offset: 34, length: 16 });
  });

  it('decodes IPv4 options (Router Alert, RFC 2113)', () => {
    const packet = dissect(record(FRAME.igmp));
    const ip = findLayer(packet, 'ipv4');
    expect(ip?.length).toBe(24);
    expect(ip?.fields).toMatchObject({ headerLength: 24, ttl: 1, protocol: 2, checksumValid: true });
    expect(ip?.fields.options).toEqual([{ type: 0x94, offset: 34, length: 4 }]);
    expect(packet.payload).toEqual({ offset: 38, length: 8 });
  });

  it('decodes an 802.1Q tag between Ethernet and IPv4', () => {
    const tagged = FRAME.icmp.slice(0, 24) + '8100' + 'a00a' + '0800' + FRAME.icmp.slice(28);
    const packet = dissect(record(tagged));
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

describe('dissect: Linux cooked captures and raw IP', () => {
  const ipAndTcp = FRAME.hello.slice(28);

  it('reaches IP through SLL (link type 113)', () => {
    const sll = '0000' + '0001' + '0006' + '0242ac1400020000' + '0800';
    const packet = dissect(record(sll + ipAndTcp, LinkType.LINUX_SLL));
    expect(packet.layers.map((l) => [l.kind, l.offset])).toEqual([
      ['sll', 0],
      ['ipv4', 16],
      ['tcp', 36],
    ]);
    expect(findLayer(packet, 'sll')?.fields).toEqual({
      packetType: 0,
      arphrdType: 1,
      addressLength: 6,
      address: '02:42:ac:14:00:02',
      protocol: 0x0800,
    });
    expect(payloadBytes(packet).toString()).toBe(HELLO_PAYLOAD);
  });

  it('reaches IP through SLL2 (link type 276)', () => {
    const sll2 = '0800' + '0000' + '00000007' + '0001' + '04' + '06' + '0242ac1400030000';
    const packet = dissect(record(sll2 + ipAndTcp, LinkType.LINUX_SLL2));
    expect(findLayer(packet, 'sll2')?.fields).toEqual({
      protocol: 0x0800,
      interfaceIndex: 7,
      arphrdType: 1,
      packetType: 4,
      addressLength: 6,
      address: '02:42:ac:14:00:03',
    });
    expect(packet.payload).toEqual({ offset: 20 + 20 + 32, length: 26 });
  });

  it('reads raw IP (link type 101)', () => {
    expect(shape(ipAndTcp, LinkType.RAW)).toEqual([
      ['ipv4', 0, 20],
      ['tcp', 20, 32],
    ]);
  });

  it('throws PCAP_UNSUPPORTED_LINKTYPE with advice for other link types', () => {
    expect(() => dissect(record(FRAME.syn, 105))).toThrow(
      expect.objectContaining({
        code: 'PCAP_UNSUPPORTED_LINKTYPE',
        message: expect.stringContaining('tcpdump -i eth0'),
      }),
    );
  });
});

describe('dissect: malformed frames', () => {
  it('keeps the layers before a truncated header and reports where', () => {
    const packet = dissect(record(FRAME.syn.slice(0, 50 * 2)));
    expect(packet.layers.map((l) => l.kind)).toEqual(['ethernet', 'ipv4']);
    expect(packet.malformed).toMatchObject({ kind: 'tcp', offset: 34 });
    expect(packet.malformed?.reason).toContain('needs 20 header bytes but only 16 remain');
    expect(packet.payload).toEqual({ offset: 34, length: 16 });
  });

  it('reports a bad IHL', () => {
    const bytes = hex(FRAME.syn);
    bytes.writeUInt8(0x44, 14);
    expect(dissect(record(bytes)).malformed).toMatchObject({ kind: 'ipv4', offset: 14 });
  });
});
