import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { Connection, FLUSH_AT_BYTES, type Upload } from './connection.js';
import type { PartialFile } from './file-store.js';

/** A socket that records each write: what a Connection hands the kernel, one entry per system call. */
class RecordingSocket extends EventEmitter {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 4000;
  destroyed = false;
  writableLength = 0;
  readonly writes: string[] = [];
  write(bytes: Buffer | string): boolean {
    this.writes.push(bytes.toString());
    return true;
  }
  cork(): void {
    // writes are recorded one by one, corked or not
  }
  uncork(): void {
    // as cork
  }
  end(bytes?: Buffer): this {
    if (bytes) this.writes.push(`end:${bytes.toString()}`);
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    return this;
  }
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
}

const limits = {
  maxQueuedBytes: 100,
  byeDrainMs: 10,
  requestsPerSecond: 20,
  requestBurst: 40,
  refusalsPerSecond: 10,
};
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function connection(): { conn: Connection; socket: RecordingSocket } {
  const socket = new RecordingSocket();
  return { conn: new Connection(socket, limits), socket };
}

describe('connection: frames of one turn written together', () => {
  it('writes the frames queued in one turn in one write, in order, when the turn ends', async () => {
    const { conn, socket } = connection();
    conn.queue(Buffer.from('a\n'));
    conn.queue(Buffer.from('b\n'));
    expect(socket.writes).toEqual([]);
    expect(conn.queued).toBe(4);
    await nextTurn();
    expect(socket.writes).toEqual(['a\nb\n']);
    expect(conn.queued).toBe(0);
  });

  it('keeps the order with a direct write and with a BYE', () => {
    const { conn, socket } = connection();
    conn.queue(Buffer.from('a\n'));
    conn.write(Buffer.from('b\n'));
    conn.queue(Buffer.from('c\n'));
    conn.bye('TEST', 'bye');
    expect(socket.writes).toEqual(['a\n', 'b\n', 'c\n', expect.stringMatching(/^end:\* BYE /)]);
  });

  it('counts queued bytes toward the slow reader limit', () => {
    const { conn, socket } = connection();
    socket.writableLength = 60;
    conn.queue(Buffer.alloc(30, 'x'));
    conn.queue(Buffer.alloc(30, 'y')); // 60 + 30 + 30 > 100: refused, the peer is told BYE SLOW_READER
    expect(socket.writes).toEqual(['x'.repeat(30), expect.stringMatching(/^end:\* BYE .*SLOW_READER/)]);
    expect(conn.isOpen).toBe(false);
  });

  it('writes out at once what one turn queues past FLUSH_AT_BYTES', () => {
    const socket = new RecordingSocket();
    const roomy = new Connection(socket, { ...limits, maxQueuedBytes: 10 * FLUSH_AT_BYTES });
    const half = Buffer.alloc(FLUSH_AT_BYTES / 2, 'h');
    roomy.queue(half);
    expect(socket.writes).toHaveLength(0);
    roomy.queue(half);
    expect(socket.writes.map((w) => w.length)).toEqual([FLUSH_AT_BYTES]);
    expect(roomy.queued).toBe(0);
    expect(roomy.isOpen).toBe(true);
  });
});

describe('connection: transfers', () => {
  const upload = (transfer: number, discarded: number[]): Upload => ({
    transfer,
    tag: null,
    partial: {
      discard: () => {
        discarded.push(transfer);
      },
    } as unknown as PartialFile,
    name: 'f',
    sha256: '',
    roomId: null,
    toId: null,
  });

  it('keeps uploads and downloads by transfer, and stopTransfers discards the uploads and stops the downloads', () => {
    const { conn } = connection();
    const discarded: number[] = [];
    const stopped: number[] = [];
    expect(conn.uploadCount).toBe(0);
    expect(conn.upload(1)).toBeUndefined();
    conn.addUpload(upload(1, discarded));
    conn.addUpload(upload(2, discarded));
    conn.addDownload(3, () => stopped.push(3));
    conn.addDownload(4, () => stopped.push(4));
    expect(conn.uploadCount).toBe(2);
    expect(conn.upload(2)?.transfer).toBe(2);
    conn.removeUpload(2);
    conn.removeDownload(4);
    expect(conn.upload(2)).toBeUndefined();
    expect(conn.uploadCount).toBe(1);
    conn.stopTransfers();
    expect(discarded).toEqual([1]);
    expect(stopped).toEqual([3]);
    expect(conn.uploadCount).toBe(0);
    conn.stopTransfers(); // nothing left: nothing discarded or stopped twice
    expect(discarded).toEqual([1]);
    expect(stopped).toEqual([3]);
    conn.addUpload(upload(5, discarded)); // after the last one went, a new one is kept again
    expect(conn.uploadCount).toBe(1);
  });
});
