import { describe, expect, it } from '@jest/globals';
import { dissect } from './dissect.js';
import { buildTcpFrame, buildUdpFrame } from './frame-builder.js';
import type { Packet } from './packet.js';
import { TcpReassembler } from './tcp-reassembler.js';

const CLIENT = { ip: '172.20.0.3', port: 45678 };
const SERVER = { ip: '172.20.0.2', port: 3300 };
const C_ISN = 1000;
const S_ISN = 5000;

interface Segment {
  readonly from: 'c' | 's';
  /** Relative sequence number (0 = the SYN). */
  readonly seq: number;
  readonly flags: string;
  readonly payload?: string;
}

/** Dissected packets numbered from 1, built with valid checksums. */
function packets(segments: readonly Segment[], isn = { c: C_ISN, s: S_ISN }): Packet[] {
  return segments.map((segment, i) => {
    const [src, dst] = segment.from === 'c' ? [CLIENT, SERVER] : [SERVER, CLIENT];
    const data = buildTcpFrame({
      src: src.ip,
      dst: dst.ip,
      srcPort: src.port,
      dstPort: dst.port,
      seq: (isn[segment.from] + segment.seq) >>> 0,
      ack: 0,
      flags: segment.flags,
      ...(segment.payload !== undefined && { payload: segment.payload }),
    });
    const length = data.length;
    const record = { index: i + 1, timestampNs: BigInt(i) * 1000n, linkType: 1, interfaceId: 0, data };
    return dissect({ ...record, capturedLength: length, originalLength: length });
  });
}

function reassemble(segments: readonly Segment[], isn?: { c: number; s: number }): TcpReassembler {
  const reassembler = new TcpReassembler();
  for (const packet of packets(segments, isn)) reassembler.push(packet);
  reassembler.finish();
  return reassembler;
}

const HANDSHAKE: Segment[] = [
  { from: 'c', seq: 0, flags: 'S' },
  { from: 's', seq: 0, flags: 'SA' },
  { from: 'c', seq: 1, flags: 'A' },
];

describe('TcpReassembler', () => {
  it('reassembles both directions of a clean connection and summarises it', () => {
    const reassembler = reassemble([
      ...HANDSHAKE,
      { from: 's', seq: 1, flags: 'PA', payload: '* HELLO {}\n' }, // frame 4
      { from: 'c', seq: 1, flags: 'PA', payload: 'NICK ana\n' }, // 5
      { from: 's', seq: 12, flags: 'PA', payload: '- 200 OK\n' }, // 6
      { from: 'c', seq: 10, flags: 'FA' }, // 7
      { from: 's', seq: 21, flags: 'FA' }, // 8
      { from: 'c', seq: 11, flags: 'A' }, // 9
    ]);
    expect(reassembler.streams).toHaveLength(1);
    const stream = reassembler.streams[0];
    expect(stream?.serverToClient.read().toString()).toBe('* HELLO {}\n- 200 OK\n');
    expect(stream?.clientToServer.read().toString()).toBe('NICK ana\n');
    expect(stream?.serverToClient.chunks.map((c) => [c.start, c.end, c.frames])).toEqual([
      [0, 11, [4]],
      [11, 20, [6]],
    ]);
    expect(stream?.summary()).toEqual({
      id: 0,
      client: CLIENT,
      server: SERVER,
      handshakeSeen: true,
      firstFrame: 1,
      lastFrame: 9,
      firstTimestampNs: 0n,
      lastTimestampNs: 8000n,
      packets: 9,
      retransmissions: 0,
      clientToServer: {
        segments: 5,
        bytes: 9,
        retransmissions: 0,
        retransmittedBytes: 0,
        outOfOrder: 0,
        missingBytes: 0,
        finFrame: 7,
      },
      serverToClient: {
        segments: 4,
        bytes: 20,
        retransmissions: 0,
        retransmittedBytes: 0,
        outOfOrder: 0,
        missingBytes: 0,
        finFrame: 8,
      },
    });
    expect(stream?.closed).toBe(true);
  });

  it('maps a message split across segments back to its frames', () => {
    const stream = reassemble([
      ...HANDSHAKE,
      { from: 'c', seq: 1, flags: 'PA', payload: '7 SAY general he' }, // frame 4: offsets 0..16
      { from: 'c', seq: 17, flags: 'PA', payload: 'llo\n8 LIST\n' }, // 5: offsets 16..27
    ]).streams[0];
    const direction = stream?.clientToServer;
    // "7 SAY general hello\n" is bytes [0, 20): frames 4 and 5; "8 LIST\n" is [20, 27): frame 5 only.
    expect(direction?.framesFor(0, 20)).toEqual([4, 5]);
    expect(direction?.framesFor(20, 27)).toEqual([5]);
    expect(direction?.read(20, 27).toString()).toBe('8 LIST\n');
  });

  it('buffers out-of-order segments until the gap fills', () => {
    const seen: string[] = [];
    const reassembler = new TcpReassembler({
      onChunk: (_stream, direction, chunk) =>
        seen.push(`${direction}:${chunk.start}:${chunk.data.toString()}`),
    });
    const list = packets([
      ...HANDSHAKE,
      { from: 'c', seq: 7, flags: 'PA', payload: 'world\n' }, // 4: arrives first
      { from: 'c', seq: 13, flags: 'PA', payload: '!' }, // 5
      { from: 'c', seq: 1, flags: 'PA', payload: 'hello ' }, // 6: fills the gap
    ]);
    for (const packet of list.slice(0, 5)) reassembler.push(packet);
    expect(seen).toEqual([]);
    const last = list[5];
    if (last !== undefined) reassembler.push(last);
    expect(seen).toEqual([
      'client-to-server:0:hello ',
      'client-to-server:6:world\n',
      'client-to-server:12:!',
    ]);
    const direction = reassembler.streams[0]?.clientToServer;
    expect(direction?.read().toString()).toBe('hello world\n!');
    expect(direction?.summary()).toMatchObject({ outOfOrder: 2, retransmissions: 0, bytes: 13 });
    expect(direction?.framesFor(0, 13)).toEqual([4, 5, 6]);
  });

  it('counts retransmitted bytes once and tags the chunk with both frames', () => {
    const stream = reassemble([
      ...HANDSHAKE,
      { from: 'c', seq: 1, flags: 'PA', payload: 'JOIN general\n' }, // 4
      { from: 'c', seq: 1, flags: 'PA', payload: 'JOIN general\n' }, // 5: retransmission
      { from: 'c', seq: 14, flags: 'PA', payload: 'QUIT\n' }, // 6
    ]).streams[0];
    expect(stream?.clientToServer.read().toString()).toBe('JOIN general\nQUIT\n');
    expect(stream?.clientToServer.chunks.map((c) => [c.start, c.end, c.frames])).toEqual([
      [0, 13, [4, 5]],
      [13, 18, [6]],
    ]);
    expect(stream?.clientToServer.summary()).toMatchObject({
      retransmissions: 1,
      retransmittedBytes: 13,
      bytes: 18,
    });
    expect(stream?.summary().retransmissions).toBe(1);
  });

  it('keeps the first copy of overlapping bytes and delivers only the new ones', () => {
    const stream = reassemble([
      ...HANDSHAKE,
      { from: 'c', seq: 1, flags: 'PA', payload: 'abcdefghij' }, // 4: [0, 10)
      { from: 'c', seq: 6, flags: 'PA', payload: 'FGHIJklmno' }, // 5: [5, 15), first 5 bytes overlap
    ]).streams[0];
    const direction = stream?.clientToServer;
    expect(direction?.read().toString()).toBe('abcdefghijklmno');
    expect(direction?.chunks.map((c) => [c.start, c.end, c.frames])).toEqual([
      [0, 10, [4, 5]],
      [10, 15, [5]],
    ]);
    expect(direction?.summary()).toMatchObject({ retransmissions: 1, retransmittedBytes: 5 });
  });

  it('resolves overlapping buffered segments when the gap fills', () => {
    const direction = reassemble([
      ...HANDSHAKE,
      { from: 'c', seq: 16, flags: 'PA', payload: 'PQRSTUVWXY' }, // 4: [15, 25)
      { from: 'c', seq: 11, flags: 'PA', payload: 'KLMNOPQRST' }, // 5: [10, 20)
      { from: 'c', seq: 11, flags: 'PA', payload: 'KLMNOPQRST' }, // 6: duplicate of 5, still buffered
      { from: 'c', seq: 1, flags: 'PA', payload: 'ABCDEFGHIJ' }, // 7: [0, 10)
    ]).streams[0]?.clientToServer;
    expect(direction?.read().toString()).toBe('ABCDEFGHIJKLMNOPQRSTUVWXY');
    expect(direction?.chunks.map((c) => [c.start, c.end, c.frames])).toEqual([
      [0, 10, [7]],
      [10, 20, [5, 6, 4]],
      [20, 25, [4]],
    ]);
    expect(direction?.summary()).toMatchObject({ outOfOrder: 3, retransmissions: 2, retransmittedBytes: 15 });
  });

  it('follows sequence numbers across the 2^32 wrap', () => {
    const direction = reassemble(
      [
        { from: 'c', seq: 0, flags: 'S' },
        { from: 'c', seq: 1, flags: 'PA', payload: '0123456789' },
        { from: 'c', seq: 11, flags: 'PA', payload: 'abcdef' },
      ],
      { c: 0xfffffff8, s: S_ISN },
    ).streams[0]?.clientToServer;
    expect(direction?.read().toString()).toBe('0123456789abcdef');
    expect(direction?.initialSequence).toBe(0xfffffff9);
  });

  it('starts mid-stream without a SYN: the first sender is the client, its first byte offset 0', () => {
    const stream = reassemble([
      { from: 's', seq: 100, flags: 'PA', payload: '* MSG {}\n' },
      { from: 'c', seq: 50, flags: 'A' },
    ]).streams[0];
    expect(stream?.summary()).toMatchObject({ client: SERVER, server: CLIENT, handshakeSeen: false });
    expect(stream?.clientToServer.read().toString()).toBe('* MSG {}\n');
  });

  it('takes the receiver of a SYN-ACK as the client when the SYN was not captured', () => {
    const stream = reassemble([HANDSHAKE[1], HANDSHAKE[2]].filter((s) => s !== undefined)).streams[0];
    expect(stream?.client).toEqual(CLIENT);
    expect(stream?.server).toEqual(SERVER);
  });

  it('records holes that never fill when finishing', () => {
    const direction = reassemble([
      ...HANDSHAKE,
      { from: 'c', seq: 1, flags: 'PA', payload: 'aaaa' },
      { from: 'c', seq: 9, flags: 'PA', payload: 'cccc' },
    ]).streams[0]?.clientToServer;
    expect(direction?.gaps).toEqual([{ start: 4, end: 8 }]);
    expect(direction?.chunks.map((c) => [c.start, c.end])).toEqual([
      [0, 4],
      [8, 12],
    ]);
    expect(direction?.summary()).toMatchObject({ bytes: 8, missingBytes: 4 });
  });

  it('opens a new stream when the 4-tuple is reused after close, and notes RST', () => {
    const first = packets([...HANDSHAKE, { from: 'c', seq: 1, flags: 'R' }]);
    const second = packets(
      [
        { from: 'c', seq: 0, flags: 'S' },
        { from: 's', seq: 0, flags: 'SA' },
      ],
      { c: 90000, s: 7000 },
    ).map((p) => ({ ...p, frame: p.frame + 4 }));
    const reassembler = new TcpReassembler();
    for (const packet of [...first, ...second]) reassembler.push(packet);
    expect(reassembler.streams.map((s) => [s.id, s.firstFrame, s.lastFrame, s.packets])).toEqual([
      [0, 1, 4, 4],
      [1, 5, 6, 2],
    ]);
    expect(reassembler.streams[0]?.clientToServer.summary().rstFrame).toBe(4);
  });

  it('counts a retransmitted SYN without opening a new stream', () => {
    const reassembler = reassemble([HANDSHAKE[0], ...HANDSHAKE].filter((s) => s !== undefined));
    expect(reassembler.streams).toHaveLength(1);
    expect(reassembler.streams[0]?.summary().retransmissions).toBe(1);
  });

  it('ignores packets that are not TCP', () => {
    const data = buildUdpFrame({
      src: CLIENT.ip,
      dst: SERVER.ip,
      srcPort: 1,
      dstPort: 2,
      payload: Buffer.from('x'),
    });
    const record = {
      index: 1,
      timestampNs: 0n,
      linkType: 1,
      interfaceId: 0,
      capturedLength: 43,
      originalLength: 43,
      data,
    };
    const reassembler = new TcpReassembler();
    expect(reassembler.push(dissect(record))).toBeUndefined();
    expect(reassembler.streams).toEqual([]);
  });
});
