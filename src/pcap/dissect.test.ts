import { describe, expect, it } from '@jest/globals';
import { dissect } from './dissect.js';
import { buildTcpFrame } from './frame-builder.js';
import { findLayer, payloadBytes } from './packet.js';
import { FRAME, HELLO_PAYLOAD, hex, recordOf } from '../../test/support/test-frames.js';

const ENDPOINTS = { src: '172.20.0.3', dst: '172.20.0.2', srcPort: 45678, dstPort: 3300 };

function shape(data: Buffer | string, linkType?: number): [string, number, number][] {
  return dissect(recordOf(data, linkType)).layers.map((l) => [l.kind, l.offset, l.length]);
}

describe('dissect: Ethernet / IPv4 / TCP', () => {
  it('decodes the SYN with its options', () => {
    const packet = dissect(recordOf(FRAME.syn));
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
    const packet = dissect(recordOf(FRAME.hello));
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
    expect(dissect(recordOf(padded)).payload).toEqual({ offset: 66, length: 26 });
  });

  it('flags a bad IPv4 header checksum', () => {
    const bytes = hex(FRAME.syn);
    bytes.writeUInt16BE(0xc649, 24);
    expect(findLayer(dissect(recordOf(bytes)), 'ipv4')?.fields.checksumValid).toBe(false);
  });

  it('decodes SACK blocks (RFC 2018)', () => {
    // NOP, NOP, SACK with two blocks: 1000..2000 and 3000..4000.
    const options = hex('0101' + '0512' + '000003e8' + '000007d0' + '00000bb8' + '00000fa0');
    const frame = buildTcpFrame({ ...ENDPOINTS, seq: 1, ack: 1, flags: 'A', options });
    const tcp = findLayer(dissect(recordOf(frame)), 'tcp');
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

describe('dissect: malformed frames', () => {
  it('keeps a TCP segment whose option length is impossible, marking the options', () => {
    // NOP, NOP, then an MSS option claiming 9 bytes in a 4-byte area.
    const frame = buildTcpFrame({
      ...ENDPOINTS,
      seq: 1,
      flags: 'PA',
      options: hex('01010209'),
      payload: 'hi',
    });
    const packet = dissect(recordOf(frame));
    expect(findLayer(packet, 'tcp')?.fields.options.at(-1)).toEqual({
      kind: 'malformed',
      offset: 56,
      length: 2,
      type: 2,
    });
    expect(payloadBytes(packet).toString()).toBe('hi');
    expect(packet.malformed).toBeUndefined();
  });

  it('keeps the layers before a truncated header and reports where', () => {
    const packet = dissect(recordOf(FRAME.syn.slice(0, 50 * 2)));
    expect(packet.layers.map((l) => l.kind)).toEqual(['ethernet', 'ipv4']);
    expect(packet.malformed).toMatchObject({ kind: 'tcp', offset: 34 });
    expect(packet.malformed?.reason).toContain('needs 20 header bytes but only 16 remain');
    expect(packet.payload).toEqual({ offset: 34, length: 16 });
  });

  it('reports a bad IHL', () => {
    const bytes = hex(FRAME.syn);
    bytes.writeUInt8(0x44, 14);
    expect(dissect(recordOf(bytes)).malformed).toMatchObject({ kind: 'ipv4', offset: 14 });
  });
});
