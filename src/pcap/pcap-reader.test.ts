import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PcapError } from './pcap-error.js';
import type { PcapRecord } from './pcap-record.js';
import { PcapReader, readPcapFile } from './pcap-reader.js';
import { FRAME, PCAPNG, PCAP_HEADER, hex } from '../../test/support/test-frames.js';

/** Classic pcap record header: ts_sec, ts_usec/nsec, incl_len, orig_len. */
function recordHeader(le: boolean, sec: number, frac: number, incl: number, orig: number): string {
  const b = Buffer.alloc(16);
  const w = (v: number, at: number): number => (le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  w(sec, 0);
  w(frac, 4);
  w(incl, 8);
  w(orig, 12);
  return b.toString('hex');
}

const classicLittle = hex(
  PCAP_HEADER.microLittle +
    recordHeader(true, 1700000000, 123456, 74, 74) +
    FRAME.syn +
    recordHeader(true, 1700000001, 999999, 92, 92) +
    FRAME.hello,
);
const classicBigNano = hex(
  PCAP_HEADER.nanoBig +
    recordHeader(false, 1700000000, 123456789, 74, 74) +
    FRAME.syn +
    // snaplen cut: 42 bytes kept of a 60-byte frame
    recordHeader(false, 1700000002, 5, 42, 60) +
    FRAME.arp,
);

function readAll(bytes: Buffer, chunkSizes?: number[]): { records: PcapRecord[]; reader: PcapReader } {
  const reader = new PcapReader();
  const records: PcapRecord[] = [];
  let at = 0;
  for (const size of chunkSizes ?? [bytes.length]) {
    records.push(...reader.push(bytes.subarray(at, at + size)));
    at += size;
  }
  records.push(...reader.push(bytes.subarray(at)));
  reader.end();
  return { records, reader };
}

/** Comparable view of records (Buffers as hex). */
function plain(records: PcapRecord[]): unknown[] {
  return records.map((r) => ({ ...r, data: r.data.toString('hex') }));
}

describe('PcapReader: classic pcap', () => {
  it('reads little-endian microsecond files', () => {
    const { records, reader } = readAll(classicLittle);
    expect(reader.format).toBe('pcap');
    expect(reader.warnings).toEqual([]);
    expect(plain(records)).toEqual([
      {
        index: 1,
        timestampNs: 1_700_000_000_123_456_000n,
        linkType: 1,
        interfaceId: 0,
        capturedLength: 74,
        originalLength: 74,
        data: FRAME.syn,
      },
      {
        index: 2,
        timestampNs: 1_700_000_001_999_999_000n,
        linkType: 1,
        interfaceId: 0,
        capturedLength: 92,
        originalLength: 92,
        data: FRAME.hello,
      },
    ]);
  });

  it('reads big-endian nanosecond files and keeps orig_len of snaplen-cut records', () => {
    const { records } = readAll(classicBigNano);
    expect(records.map((r) => [r.index, r.timestampNs, r.capturedLength, r.originalLength])).toEqual([
      [1, 1_700_000_000_123_456_789n, 74, 74],
      [2, 1_700_000_002_000_000_005n, 42, 60],
    ]);
    expect(records[1]?.data.toString('hex')).toBe(FRAME.arp);
  });

  it('reports a truncated final record as a warning and keeps the records before it', () => {
    const cut = classicLittle.subarray(0, classicLittle.length - 10);
    const { records, reader } = readAll(cut);
    expect(records).toHaveLength(1);
    expect(reader.warnings).toHaveLength(1);
    const warning = reader.warnings[0];
    expect(warning?.code).toBe('PCAP_TRUNCATED');
    expect(warning?.message).toContain('record 2 (108 bytes)');
    expect(warning?.details).toEqual({ offset: 24 + 16 + 74, bytes: 16 + 92 - 10 });
  });

  it('throws PCAP_TRUNCATED from end() in strict mode', () => {
    const reader = new PcapReader({ strict: true, source: 'cut.pcap' });
    reader.push(classicLittle.subarray(0, 30));
    expect(() => {
      reader.end();
    }).toThrow(expect.objectContaining({ code: 'PCAP_TRUNCATED' }));
  });

  it('rejects an absurd incl_len as PCAP_BAD_RECORD', () => {
    const bad = hex(PCAP_HEADER.microLittle + recordHeader(true, 1, 0, 0x7fffffff, 60));
    expect(() => new PcapReader().push(bad)).toThrow(expect.objectContaining({ code: 'PCAP_BAD_RECORD' }));
  });

  it('rejects unknown magic with PCAP_BAD_MAGIC and says what to do', () => {
    const reader = new PcapReader({ source: 'notes.txt' });
    let error: unknown;
    try {
      reader.push(Buffer.from('hello world, not a capture'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PcapError);
    expect((error as PcapError).code).toBe('PCAP_BAD_MAGIC');
    expect((error as PcapError).message).toMatch(/notes\.txt is neither pcap nor pcapng.*tcpdump -i eth0/);
  });

  it('reports an empty file as truncated', () => {
    const { records, reader } = readAll(Buffer.alloc(0));
    expect(records).toEqual([]);
    expect(reader.warnings.map((w) => w.code)).toEqual(['PCAP_TRUNCATED']);
  });
});

describe('PcapReader: pcapng', () => {
  const expected = [
    {
      index: 1,
      timestampNs: 1_700_000_000_123_456_000n,
      interfaceId: 0,
      data: FRAME.syn,
      originalLength: 74,
    },
    {
      index: 2,
      timestampNs: 1_700_000_000_123_789_012n,
      interfaceId: 1,
      data: FRAME.hello,
      originalLength: 92,
    },
    // Simple Packet Block: interface 0, no timestamp.
    { index: 3, timestampNs: 0n, interfaceId: 0, data: FRAME.arp, originalLength: 42 },
  ];

  it.each([
    ['little-endian', PCAPNG.little],
    ['big-endian', PCAPNG.big],
  ])('reads %s sections: EPB with if_tsresol, SPB, skipping NRB and ISB', (_name, file) => {
    const { records, reader } = readAll(hex(file));
    expect(reader.format).toBe('pcapng');
    expect(reader.warnings).toEqual([]);
    expect(
      records.map((r) => ({
        index: r.index,
        timestampNs: r.timestampNs,
        interfaceId: r.interfaceId,
        data: r.data.toString('hex'),
        originalLength: r.originalLength,
      })),
    ).toEqual(expected);
    expect(records.every((r) => r.linkType === 1 && r.capturedLength === r.data.length)).toBe(true);
    expect(reader.interfaces.map((i) => [i.name, i.snapLength, i.tsNumerator, i.tsDenominator])).toEqual([
      [undefined, 262144, 1000n, 1n],
      ['eth0', 65535, 1n, 1n],
    ]);
  });

  it('reads a second section with the other byte order, restarting interface ids', () => {
    const { records } = readAll(hex(PCAPNG.little + PCAPNG.big));
    expect(records.map((r) => [r.index, r.interfaceId])).toEqual([
      [1, 0],
      [2, 1],
      [3, 0],
      [4, 0],
      [5, 1],
      [6, 0],
    ]);
  });

  it('converts a power-of-two if_tsresol (2^-10 s units)', () => {
    // IDB: LINKTYPE_ETHERNET, snaplen 0, if_tsresol 0x8a, opt_endofopt; EPB at 3 * 1024 + 512 units = 3.5 s.
    const idb = '01000000 20000000 0100 0000 00000000 09000100 8a000000 00000000 20000000';
    const epb = '06000000 2c000000 00000000 00000000 000e0000 0a000000 0a000000';
    const file = `${PCAPNG.little.slice(0, 96)} ${idb} ${epb} 00112233445566778899 0000 2c000000`;
    const { records, reader } = readAll(hex(file));
    expect(reader.warnings).toEqual([]);
    expect(records.map((r) => [r.timestampNs, r.data.toString('hex')])).toEqual([
      [3_500_000_000n, '00112233445566778899'],
    ]);
  });

  it('rejects a block whose trailing length disagrees', () => {
    const bad = hex(PCAPNG.little.slice(0, 96) + '0100000014000000010000000000040018000000');
    expect(() => new PcapReader().push(bad)).toThrow(expect.objectContaining({ code: 'PCAP_BAD_BLOCK' }));
  });

  it('rejects a packet block for an undeclared interface', () => {
    const epb = '060000002000000007000000' + '00000000' + '00000000' + '00000000' + '00000000' + '20000000';
    expect(() => new PcapReader().push(hex(PCAPNG.little.slice(0, 96) + epb))).toThrow(
      expect.objectContaining({ code: 'PCAP_BAD_BLOCK', message: expect.stringContaining('interface 7') }),
    );
  });

  it('warns about a truncated final block', () => {
    const file = hex(PCAPNG.little);
    const { records, reader } = readAll(file.subarray(0, file.length - 20));
    expect(records).toHaveLength(2);
    expect(reader.warnings[0]?.code).toBe('PCAP_TRUNCATED');
    expect(reader.warnings[0]?.message).toContain('pcapng block 8 (60 bytes)');
  });
});

describe('PcapReader: streaming', () => {
  it.each([
    ['classic little-endian', classicLittle],
    ['classic big-endian nanosecond', classicBigNano],
    ['pcapng little-endian', hex(PCAPNG.little)],
    ['pcapng big-endian', hex(PCAPNG.big)],
  ])('%s: the same bytes split at every offset give the same records', (_name, file) => {
    const whole = plain(readAll(file).records);
    for (let split = 0; split <= file.length; split += 1) {
      expect(plain(readAll(file, [split]).records)).toEqual(whole);
    }
    expect(plain(readAll(file, Array<number>(file.length).fill(1)).records)).toEqual(whole);
  });

  it('refuses push() after end()', () => {
    const reader = new PcapReader();
    reader.end();
    expect(() => reader.push(classicLittle)).toThrow(expect.objectContaining({ code: 'PCAP_ENDED' }));
  });
});

describe('PcapReader.fromFile / readPcapFile', () => {
  it('streams a file from disk and passes warnings to the caller', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pcap-'));
    try {
      const path = join(dir, 'cut.pcapng');
      const file = hex(PCAPNG.big);
      await writeFile(path, file.subarray(0, file.length - 4));
      const { records, warnings } = await readPcapFile(path);
      expect(records.map((r) => r.index)).toEqual([1, 2]);
      expect(warnings.map((w) => w.code)).toEqual(['PCAP_TRUNCATED']);
      expect(warnings[0]?.message).toContain(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
