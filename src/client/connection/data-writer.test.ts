import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { FrameDecoder, LIMITS } from '../../protocol/index.js';
import { writeUpload } from './data-writer.js';
import { bytesSource, READ_CHUNK } from './upload-source.js';

/** A socket that takes every write at once and records how many writes reached it, and their bytes. */
class RecordingSocket extends Writable {
  readonly writes: Buffer[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.writes.push(chunk);
    done();
  }

  override _writev(chunks: { chunk: Buffer }[], done: () => void): void {
    this.writes.push(Buffer.concat(chunks.map((c) => c.chunk)));
    done();
  }
}

describe('writeUpload: the DATA frames of an upload', () => {
  it('writes each chunk’s frames in one write, and the frames carry every byte in order, then DIGEST', async () => {
    const bytes = randomBytes(2 * READ_CHUNK + 1000);
    const socket = new RecordingSocket();
    await writeUpload(socket, 7, bytesSource(bytes), LIMITS.dataChunk, () => false, true);

    // One write for each of the three chunks (32, 32 and 1 frames), and one for the DIGEST line: not one a
    // frame, which ended each frame in a short segment of its own under TCP_NODELAY (issue 14).
    expect(socket.writes).toHaveLength(4);

    const decoder = new FrameDecoder();
    const frames = socket.writes.flatMap((w) => decoder.push(w));
    const data = frames.filter((f) => f.kind === 'data');
    expect(data).toHaveLength(65);
    expect(data.map((f) => f.offset).slice(0, 3)).toEqual([0, 65536, 131072]);
    const carried = Buffer.concat(data.map((f) => f.data));
    expect(carried.equals(bytes)).toBe(true);
    const last = frames.at(-1);
    expect(last?.kind === 'request' && `${last.verb} ${last.args}`).toBe(
      `DIGEST 7 ${createHash('sha256').update(bytes).digest('hex')}`,
    );
  });

  it('stops between chunks when asked, and writes no DIGEST', async () => {
    const bytes = randomBytes(3 * READ_CHUNK);
    const socket = new RecordingSocket();
    let chunks = 0;
    await writeUpload(socket, 1, bytesSource(bytes), LIMITS.dataChunk, () => chunks++ >= 1, true);
    const frames = new FrameDecoder().push(Buffer.concat(socket.writes));
    expect(frames.every((f) => f.kind === 'data')).toBe(true);
    expect(frames).toHaveLength(32);
  });
});
