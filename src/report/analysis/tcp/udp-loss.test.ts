import { describe, expect, it } from '@jest/globals';
import { buildUdpFrame, dissect, type MergedFrame } from '../../../pcap/index.js';
import { UdpLossFinder } from './udp-loss.js';

const ALICE = '10.77.0.11';
const SERVER = '10.77.0.10';
const HOSTS = new Map([
  [ALICE, 'alice'],
  [SERVER, 'server'],
]);

let index = 0;
function frame(hosts: string[], payload: string, ttl?: number, src = ALICE, dst = SERVER): MergedFrame {
  index += 1;
  const data = buildUdpFrame({ src, dst, srcPort: 40000, dstPort: 3300, payload: Buffer.from(payload) });
  if (ttl !== undefined) data.writeUInt8(ttl, 22); // the IPv4 checksum is not checked here
  return {
    index,
    timestampNs: BigInt(index) * 1_000_000n,
    linkType: 1,
    interfaceId: 0,
    capturedLength: data.length,
    originalLength: data.length,
    data,
    hosts,
    sources: [],
  };
}

function find(frames: MergedFrame[]) {
  const finder = new UdpLossFinder();
  for (const f of frames) finder.push(f, dissect(f));
  return finder.result(HOSTS, 0n);
}

describe('UdpLossFinder', () => {
  it('finds the datagram only the sender captured', () => {
    const frames = [
      frame(['alice', 'server'], 'one'),
      frame(['alice'], 'two'),
      frame(['alice', 'server'], 'three'),
    ];
    const result = find(frames);
    expect(result).toMatchObject({ datagrams: 3, checked: 3, lostCount: 1 });
    expect(result.lost[0]).toMatchObject({ frame: frames[1]?.index, from: 'alice', to: 'server', length: 3 });
  });

  it('matches a receiver copy the merge kept apart by 5-tuple and payload', () => {
    // The copies differ in TTL, so they are two frames of the merged capture, one per host: not a loss.
    const result = find([frame(['alice'], 'hello', 64), frame(['server'], 'hello', 63)]);
    expect(result).toMatchObject({ checked: 1, lostCount: 0 });
  });

  it('counts repeated identical datagrams one by one', () => {
    const frames = [
      frame(['alice', 'server'], 'ping'),
      frame(['alice'], 'ping'),
      frame(['alice'], 'ping'),
      frame(['server'], 'ping'),
    ];
    const result = find(frames);
    // Three sent, two arrived (one merged, one kept apart): one of the sender-only copies is lost.
    expect(result).toMatchObject({ checked: 3, lostCount: 1 });
  });

  it('leaves out datagrams to hosts without a capture', () => {
    const result = find([frame(['alice'], 'dns?', undefined, ALICE, '10.77.0.1')]);
    expect(result).toMatchObject({ datagrams: 1, checked: 0, lostCount: 0, lost: [] });
  });
});
