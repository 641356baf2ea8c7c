import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type MergedFrame, mergeCaptures } from './capture-merger.js';
import { type FrameTable, mergeFrameTables, readFrameTable } from './frame-table.js';
import { readPcapFile } from './pcap-reader.js';
import { encodePcap } from './pcap-writer.js';
import { encodePcapng, writePcapngFile } from './pcapng-writer.js';
import { FRAME, records } from '../../test/support/test-frames.js';

const T0 = 1_700_000_000_000_000_000n;
const US = 1000n;

/** Everything a merged frame says, comparable. */
function facts(frames: Iterable<MergedFrame>): unknown[] {
  return [...frames].map((f) => ({
    index: f.index,
    timestampNs: f.timestampNs,
    linkType: f.linkType,
    interfaceId: f.interfaceId,
    capturedLength: f.capturedLength,
    originalLength: f.originalLength,
    data: f.data.toString('hex'),
    hosts: [...f.hosts],
    sources: f.sources.map((s) => ({ ...s })),
  }));
}

// client1 sends the SYN and the DNS query, receives HELLO; the server receives the SYN, sends HELLO.
const client = records([
  [FRAME.arp, T0],
  [FRAME.syn, T0 + 100n * US],
  [FRAME.dns, T0 + 150n * US],
  [FRAME.hello, T0 + 420n * US],
  [FRAME.arp, T0 + 3_000_000n * US],
]);
const server = records([
  [FRAME.arp, T0 + 30n * US],
  [FRAME.syn, T0 + 130n * US],
  [FRAME.hello, T0 + 400n * US],
  [FRAME.syn, T0 + 410n * US],
]);
// Out of time order in its own file (a clock stepped back), and of another link type.
const other = records([
  [FRAME.dns, T0 + 500n * US],
  [FRAME.syn, T0 + 120n * US, 276],
  [FRAME.hello, T0 + 120n * US],
]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frame-table-'));
  await writeFile(join(dir, 'client1.pcap'), encodePcap(client, { linkType: 1, nanosecond: true }));
  await writeFile(join(dir, 'server.pcapng'), encodePcapng(server));
  await writeFile(join(dir, 'other.pcapng'), encodePcapng(other));
  await writeFile(
    join(dir, 'big-endian.pcap'),
    encodePcap(client, { linkType: 1, littleEndian: false, nanosecond: false }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function table(file: string, host: string): Promise<FrameTable> {
  const { table: read, warnings } = await readFrameTable(join(dir, file), host);
  expect(warnings).toEqual([]);
  return read;
}

describe('readFrameTable and mergeFrameTables', () => {
  it('read a file as readPcapFile does, either format, either byte order', async () => {
    for (const [file, host] of [
      ['client1.pcap', 'client1'],
      ['big-endian.pcap', 'client1'],
      ['server.pcapng', 'server'],
    ] as const) {
      const { records: read } = await readPcapFile(join(dir, file));
      expect(facts(await table(file, host))).toEqual(facts(mergeCaptures([{ host, records: read }])));
    }
  });

  it('merge as mergeCaptures merges: time order, copies once, hosts and sources, interfaces', async () => {
    const inputs = [
      { host: 'client1', records: client },
      { host: 'server', records: server },
      { host: 'other', records: other },
    ];
    const merged = mergeFrameTables([
      await table('client1.pcap', 'client1'),
      await table('server.pcapng', 'server'),
      await table('other.pcapng', 'other'),
    ]);
    const expected = facts(mergeCaptures(inputs));
    expect(facts(merged)).toEqual(expected);
    expect(facts(merged.frames())).toEqual(expected);
    expect(merged.frame(0)).toBeUndefined();
    expect(merged.frame(merged.length + 1)).toBeUndefined();
    expect(merged.timestampNs(1)).toBe(T0);
    expect(merged.linkTypes).toEqual([1, 276]);
  });

  it('a single file in time order is its own merge; out of order, it is sorted', async () => {
    const alone = await table('client1.pcap', 'client1');
    expect(mergeFrameTables([alone])).toBe(alone);
    const sorted = mergeFrameTables([await table('other.pcapng', 'other')]);
    expect(facts(sorted)).toEqual(facts(mergeCaptures([{ host: 'other', records: other }])));
  });

  it('keep a cut-off last record out, with the reader’s warning', async () => {
    const whole = encodePcap(client, { linkType: 1 });
    await writeFile(join(dir, 'cut.pcap'), whole.subarray(0, whole.length - 5));
    const { table: cut, warnings } = await readFrameTable(join(dir, 'cut.pcap'), 'client1');
    expect(cut.length).toBe(client.length - 1);
    expect(warnings.map((w) => w.code)).toEqual(['PCAP_TRUNCATED']);
  });

  it('write the same merged.pcapng from the table as from the frames', async () => {
    const merged = mergeFrameTables([
      await table('client1.pcap', 'client1'),
      await table('other.pcapng', 'other'),
    ]);
    await writePcapngFile(join(dir, 'from-table.pcapng'), merged);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(join(dir, 'from-table.pcapng'))).toEqual(encodePcapng([...merged]));
  });
});
