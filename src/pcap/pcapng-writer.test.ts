import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { mergeCaptures } from './capture-merger.js';
import type { PcapRecord } from './pcap-record.js';
import { PcapReader, readPcapFile } from './pcap-reader.js';
import { PcapngWriter, encodePcapng, writePcapngFile } from './pcapng-writer.js';
import { FRAME, hex } from '../../test/support/test-frames.js';

function record(index: number, frame: string, timestampNs: bigint, linkType = 1): PcapRecord {
  const data = hex(frame);
  return {
    index,
    timestampNs,
    linkType,
    interfaceId: 0,
    capturedLength: data.length,
    originalLength: data.length,
    data,
  };
}

const frames = mergeCaptures([
  {
    host: 'client1',
    records: [
      record(1, FRAME.syn, 1_700_000_000_123_456_789n),
      record(2, FRAME.hello, 1_700_000_000_200_000_001n),
    ],
  },
  { host: 'server', records: [record(1, FRAME.syn, 1_700_000_000_123_457_000n)] },
  // An SLL2 capture ("tcpdump -i any") of another host: a second link type, so a second IDB.
  {
    host: 'client2',
    records: [
      record(
        1,
        '0800000000000007000104060242ac1400030000' + FRAME.hello.slice(28),
        1_700_000_000_150_000_000n,
        276,
      ),
    ],
  },
]);

function readBack(bytes: Buffer): PcapRecord[] {
  const reader = new PcapReader();
  const out = reader.push(bytes);
  reader.end();
  expect(reader.warnings).toEqual([]);
  return out;
}

describe('PcapngWriter', () => {
  it('writes SHB, IDBs with nanosecond if_tsresol, EPBs with a "seen by" comment', () => {
    const bytes = encodePcapng(frames);
    // SHB: type, length 44, byte-order magic, version 1.0, section length -1, shb_userappl "chatlab",
    // opt_endofopt, trailing length.
    expect(bytes.subarray(0, 44)).toEqual(
      hex(
        '0a0d0d0a 2c000000 4d3c2b1a 0100 0000 ffffffffffffffff 0400 0700 636861746c616200 00000000 2c000000',
      ),
    );
    // IDB: type 1, length 44, LINKTYPE_ETHERNET, snaplen 0, if_name "merged0", if_tsresol 9 (ns).
    expect(bytes.subarray(44, 88)).toEqual(
      hex(
        '01000000 2c000000 0100 0000 00000000 0200 0700 6d65726765643000 0900 0100 09000000 00000000 2c000000',
      ),
    );
    expect(bytes.includes(Buffer.from('seen by: client1, server'))).toBe(true);
    expect(bytes.includes(Buffer.from('seen by: client2'))).toBe(true);
  });

  it('round-trips through the reader with the same frame numbers, times and bytes', () => {
    const back = readBack(encodePcapng(frames));
    expect(
      back.map((r) => [r.index, r.timestampNs, r.linkType, r.interfaceId, r.data.toString('hex')]),
    ).toEqual(frames.map((f) => [f.index, f.timestampNs, f.linkType, f.interfaceId, f.data.toString('hex')]));
    expect(back.map((r) => [r.index, r.linkType, r.interfaceId])).toEqual([
      [1, 1, 0],
      [2, 276, 1],
      [3, 1, 0],
    ]);
  });

  it('streams: an IDB is written just before the first frame of a new link type', () => {
    const writer = new PcapngWriter({ application: 'test' });
    const header = writer.header();
    const first = writer.frame(record(1, FRAME.arp, 1n));
    const second = writer.frame(record(2, FRAME.arp, 2n));
    expect(first.readUInt32LE(0)).toBe(1); // IDB
    expect(second.readUInt32LE(0)).toBe(6); // EPB only
    // EPB: 28 fixed bytes + 42 data + 2 padding + trailing length, no options without hosts.
    expect(second.length).toBe(28 + 44 + 4);
    expect(readBack(Buffer.concat([header, first, second])).map((r) => r.timestampNs)).toEqual([1n, 2n]);
  });

  it('writes a file that the file reader opens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'writer-'));
    try {
      const path = join(dir, 'merged.pcapng');
      await writePcapngFile(path, frames);
      const { records, warnings } = await readPcapFile(path);
      expect(warnings).toEqual([]);
      expect(records.map((r) => r.capturedLength)).toEqual([74, 20 + 78, 92]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
