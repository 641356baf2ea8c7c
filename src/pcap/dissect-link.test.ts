import { describe, expect, it } from '@jest/globals';
import { dissect } from './dissect.js';
import { findLayer, payloadBytes } from './packet.js';
import { LinkType } from './pcap-record.js';
import { FRAME, HELLO_PAYLOAD, recordOf } from '../../test/support/test-frames.js';

function shape(data: Buffer | string, linkType?: number): [string, number, number][] {
  return dissect(recordOf(data, linkType)).layers.map((l) => [l.kind, l.offset, l.length]);
}

describe('dissect: Linux cooked captures and raw IP', () => {
  const ipAndTcp = FRAME.hello.slice(28);

  it('reaches IP through SLL (link type 113)', () => {
    const sll = '0000' + '0001' + '0006' + '0242ac1400020000' + '0800';
    const packet = dissect(recordOf(sll + ipAndTcp, LinkType.LINUX_SLL));
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
    const packet = dissect(recordOf(sll2 + ipAndTcp, LinkType.LINUX_SLL2));
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
    expect(() => dissect(recordOf(FRAME.syn, 105))).toThrow(
      expect.objectContaining({
        code: 'PCAP_UNSUPPORTED_LINKTYPE',
        message: expect.stringContaining('tcpdump -i eth0'),
      }),
    );
  });
});
