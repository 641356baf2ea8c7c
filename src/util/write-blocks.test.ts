import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { WriteBlocks } from './write-blocks.js';

describe('WriteBlocks', () => {
  it('hands out slices of one buffer until it is full, then another', () => {
    const blocks = new WriteBlocks(100, 2);
    const a = blocks.reserve(40);
    const b = blocks.reserve(40);
    const c = blocks.reserve(40);
    expect(a?.buffer).toBe(b?.buffer);
    expect(c?.buffer).not.toBe(a?.buffer);
    expect(blocks.reserve(101)).toBeUndefined();
  });

  it('uses a buffer again only once every slice of it was written', () => {
    const blocks = new WriteBlocks(100, 2);
    const a = blocks.reserve(60) ?? Buffer.alloc(0);
    const b = blocks.reserve(60) ?? Buffer.alloc(0); // a's buffer is full: b is in a second one
    const doneA = blocks.written(a);
    expect(doneA).toBeDefined();
    // a's slice is not written yet: a third buffer.
    const c = blocks.reserve(60) ?? Buffer.alloc(0);
    expect(new Set([a.buffer, b.buffer, c.buffer]).size).toBe(3);
    doneA?.();
    blocks.written(b)?.();
    // a's and b's buffers are free: the next reservations reuse them, not new ones.
    const d = blocks.reserve(60) ?? Buffer.alloc(0);
    const e = blocks.reserve(60) ?? Buffer.alloc(0);
    expect([a.buffer, b.buffer]).toContain(d.buffer);
    expect([a.buffer, b.buffer]).toContain(e.buffer);
  });

  it('has no callback for bytes it did not hand out, and forgets everything on clear', () => {
    const blocks = new WriteBlocks(100, 2);
    expect(blocks.written(Buffer.alloc(10))).toBeUndefined();
    const a = blocks.reserve(10) ?? Buffer.alloc(0);
    blocks.clear();
    expect(blocks.written(a)).toBeUndefined();
  });

  it('writes through a stream, freeing a slice only once the stream has written it', () => {
    const pending: (() => void)[] = [];
    const stream = new Writable({
      highWaterMark: 100,
      write: (_chunk, _encoding, callback) => {
        pending.push(() => {
          callback();
        });
      },
    });
    const blocks = new WriteBlocks(100, 2);
    const a = blocks.reserve(100) ?? Buffer.alloc(0);
    expect(blocks.write(stream, a)).toBe(false); // 100 bytes held: the stream is at its high-water mark
    expect(blocks.reserve(10)?.buffer).not.toBe(a.buffer); // a is not written yet
    pending.shift()?.();
    expect(blocks.write(stream, Buffer.alloc(5))).toBe(true); // bytes it did not hand out go as they are
    const again = blocks.reserve(100);
    expect(again?.buffer).toBe(a.buffer); // a's buffer came back once written
  });
});
