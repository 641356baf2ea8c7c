import { describe, expect, it } from '@jest/globals';
import { ByteQueue } from './byte-queue.js';

function queueOf(...chunks: string[]): ByteQueue {
  const queue = new ByteQueue();
  for (const chunk of chunks) queue.push(Buffer.from(chunk));
  return queue;
}

describe('ByteQueue', () => {
  it('finds a byte across chunks, counted from the front, from where it is told to look', () => {
    const queue = queueOf('ab', 'c\nd', 'e\n');
    queue.consume(1);
    expect(queue.indexOf(0x0a)).toBe(2);
    expect(queue.indexOf(0x0a, 3)).toBe(5);
    expect(queue.indexOf(0x0a, 6)).toBe(-1);
    expect(queue.indexOf(0x7a)).toBe(-1);
  });

  it('takes bytes from one chunk as a view and across chunks as a copy, and counts them in position', () => {
    const first = Buffer.from('hello ');
    const queue = new ByteQueue();
    queue.push(first);
    queue.push(Buffer.from('world'));
    const hello = queue.take(5);
    expect(hello.toString()).toBe('hello');
    expect(hello.buffer).toBe(first.buffer);
    expect(queue.take(4).toString()).toBe(' wor');
    expect(queue.position).toBe(9);
    expect(queue.length).toBe(2);
    expect(queue.take(2).toString()).toBe('ld');
    expect(queue.length).toBe(0);
    expect(() => queue.take(1)).toThrow(RangeError);
  });

  it('joins bytes across chunks into the buffer `into` gives, and asks for none for bytes in one chunk', () => {
    const queue = queueOf('abc', 'def', 'gh');
    const asked: number[] = [];
    const into = (n: number): Buffer => {
      asked.push(n);
      return Buffer.alloc(n);
    };
    expect(queue.take(2, into).toString()).toBe('ab');
    const joined = queue.take(4, into);
    expect(joined.toString()).toBe('cdef');
    expect(asked).toEqual([4]);
    // A buffer of the wrong size is not used: a new one is.
    const wrong = Buffer.alloc(1);
    queueOf('x', 'y').take(2, () => wrong);
    expect(wrong.toString()).toBe('\0');
    expect(queue.take(2, () => undefined).toString()).toBe('gh');
  });

  it('clear forgets the queued bytes and keeps the position', () => {
    const queue = queueOf('abc', 'def');
    queue.consume(2);
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.position).toBe(2);
    expect(queue.indexOf(0x64)).toBe(-1);
    queue.push(Buffer.from('x\n'));
    expect(queue.indexOf(0x0a)).toBe(1);
    expect(queue.take(2).toString()).toBe('x\n');
  });
});
