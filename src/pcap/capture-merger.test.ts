import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { mergeCaptureFiles, mergeCaptures } from './capture-merger.js';
import { encodePcap } from './pcap-writer.js';
import { encodePcapng } from './pcapng-writer.js';
import { FRAME, records } from '../../test/support/test-frames.js';

const T0 = 1_700_000_000_000_000_000n;
const US = 1000n;

// client1 sends the SYN and the DNS query, receives HELLO; the server receives the SYN, sends HELLO.
const client = records([
  [FRAME.arp, T0],
  [FRAME.syn, T0 + 100n * US],
  [FRAME.dns, T0 + 150n * US],
  [FRAME.hello, T0 + 420n * US],
]);
const server = records([
  [FRAME.arp, T0 + 30n * US],
  [FRAME.syn, T0 + 130n * US],
  [FRAME.hello, T0 + 400n * US],
]);

describe('mergeCaptures', () => {
  it('orders frames by time, counts each once and lists the hosts that saw it', () => {
    const merged = mergeCaptures([
      { host: 'client1', records: client },
      { host: 'server', records: server },
    ]);
    expect(
      merged.map((f) => [f.index, f.data.toString('hex'), f.timestampNs - T0, f.hosts, f.interfaceId]),
    ).toEqual([
      [1, FRAME.arp, 0n, ['client1', 'server'], 0],
      [2, FRAME.syn, 100_000n, ['client1', 'server'], 0],
      [3, FRAME.dns, 150_000n, ['client1'], 0],
      [4, FRAME.hello, 400_000n, ['server', 'client1'], 0],
    ]);
    expect(merged[3]?.sources).toEqual([
      { host: 'server', index: 3, timestampNs: T0 + 400n * US },
      { host: 'client1', index: 4, timestampNs: T0 + 420n * US },
    ]);
  });

  it('keeps a frame a host really sent twice (one host never merges with itself)', () => {
    const twice = records([
      [FRAME.arp, T0],
      [FRAME.arp, T0 + 1000n * US],
    ]);
    const merged = mergeCaptures([
      { host: 'client1', records: twice },
      { host: 'server', records: records([[FRAME.arp, T0 + 10n * US]]) },
    ]);
    expect(merged.map((f) => [f.index, f.hosts])).toEqual([
      [1, ['client1', 'server']],
      [2, ['client1']],
    ]);
  });

  it('does not merge identical bytes further apart than the window', () => {
    const late = records([[FRAME.arp, T0 + 2_000_000n * US]]);
    const inputs = [
      { host: 'a', records: records([[FRAME.arp, T0]]) },
      { host: 'b', records: late },
    ];
    expect(mergeCaptures(inputs).map((f) => f.hosts)).toEqual([['a'], ['b']]);
    expect(mergeCaptures(inputs, { windowNs: 3_000_000_000n }).map((f) => f.hosts)).toEqual([['a', 'b']]);
  });

  it('keeps frames of different link types apart and numbers their interfaces', () => {
    const merged = mergeCaptures([
      { host: 'a', records: records([[FRAME.syn, T0]]) },
      { host: 'b', records: records([[FRAME.syn, T0 + 1n, 276]]) },
    ]);
    expect(merged.map((f) => [f.linkType, f.interfaceId, f.hosts])).toEqual([
      [1, 0, ['a']],
      [276, 1, ['b']],
    ]);
  });

  it('merges files of either format from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'merge-'));
    try {
      await writeFile(join(dir, 'client1.pcap'), encodePcap(client, { linkType: 1, nanosecond: true }));
      await writeFile(join(dir, 'server.pcapng'), encodePcapng(server));
      const { frames, warnings } = await mergeCaptureFiles([
        { host: 'client1', path: join(dir, 'client1.pcap') },
        { host: 'server', path: join(dir, 'server.pcapng') },
      ]);
      expect(warnings).toEqual([]);
      expect(frames.map((f) => f.hosts.length)).toEqual([2, 2, 1, 2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
