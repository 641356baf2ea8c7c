import type { Writable } from 'node:stream';
import { encodeData } from '../../protocol/index.js';

/**
 * Writes `bytes` as DATA frames of at most `chunk` bytes (docs/PROTOCOL.md §1 "Data"), waiting for 'drain'
 * whenever the socket's buffer is full, so a large file never piles up in memory. Each frame is one write:
 * other requests written meanwhile fall between frames, never inside one. Stops early when `stop()` says so
 * or the socket is gone.
 */
export async function writeData(
  socket: Writable,
  transfer: number,
  bytes: Buffer,
  chunk: number,
  stop: () => boolean,
): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    if (stop() || socket.destroyed) return;
    const ok = socket.write(encodeData(transfer, offset, bytes.subarray(offset, offset + chunk)));
    if (!ok) await drained(socket);
  }
}

function drained(socket: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done).off('close', done);
      resolve();
    };
    socket.on('drain', done).on('close', done);
  });
}
