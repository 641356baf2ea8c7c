import { describe, expect, it } from '@jest/globals';
import { Arrivals, type TakeOptions } from './arrivals.js';

const options = (what: string, timeoutMs = 1000): TakeOptions<string> => ({
  what,
  timeoutMs,
  timedOut: ({ arrived }) => new Error(`timed out waiting for ${what}; arrived: ${arrived.join(',')}`),
  ended: ({ arrived, wasWaiting }, reason) =>
    new Error(
      `${reason.message} ${wasWaiting ? 'during' : 'before'} the wait for ${what}; arrived: ${arrived.join(',')}`,
    ),
});

describe('Arrivals', () => {
  it('takes an item that came before the wait, and leaves skipped items for later waits', async () => {
    const lines = new Arrivals<string>();
    lines.push('a1');
    lines.push('b1');
    expect(await lines.take((l) => l.startsWith('b'), options('b'))).toBe('b1');
    expect(await lines.take((l) => l.startsWith('a'), options('a'))).toBe('a1');
    expect(lines.all).toEqual(['a1', 'b1']);
  });

  it('hands each item to one wait, the oldest wait first, and takes an item only once', async () => {
    const lines = new Arrivals<string>();
    const first = lines.take(() => true, options('any'));
    const second = lines.take(() => true, options('any'));
    lines.push('x');
    lines.push('y');
    expect(await Promise.all([first, second])).toEqual(['x', 'y']);
    await expect(lines.take(() => true, options('any', 20))).rejects.toThrow(
      'timed out waiting for any; arrived: ',
    );
  });

  it('times out saying what arrived meanwhile', async () => {
    const lines = new Arrivals<string>();
    lines.push('before');
    const waiting = lines.take((l) => l === 'z', options('z', 50));
    lines.push('other');
    await expect(waiting).rejects.toThrow('timed out waiting for z; arrived: other');
  });

  it('fails pending and later waits once the source ends, and tells them apart', async () => {
    const lines = new Arrivals<string>();
    const waiting = lines.take((l) => l === 'z', options('z'));
    lines.push('q');
    lines.end(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed during the wait for z; arrived: q');
    await expect(lines.take((l) => l === 'z', options('z'))).rejects.toThrow('closed before the wait for z');
    expect(await lines.take((l) => l === 'q', options('q'))).toBe('q');
    expect(lines.hasEnded).toBe(true);
  });

  it('marks an item taken without a wait', async () => {
    const lines = new Arrivals<string>();
    lines.push('hello');
    lines.markTaken('hello');
    expect(lines.has((l) => l === 'hello')).toBe(true);
    await expect(lines.take((l) => l === 'hello', options('hello', 20))).rejects.toThrow('timed out');
  });

  it('first() looks without taking: the item stays for takes and for other looks', async () => {
    const lines = new Arrivals<string>();
    const look = lines.first((l) => l === 'x', options('x'));
    const take = lines.take((l) => l === 'x', options('x'));
    lines.push('x');
    expect(await look).toBe('x');
    expect(await take).toBe('x');
    expect(await lines.first((l) => l === 'x', options('x'))).toBe('x'); // taken, still there to look at
    await expect(lines.take((l) => l === 'x', options('x', 20))).rejects.toThrow('timed out');
    lines.end(new Error('closed'));
    await expect(lines.first((l) => l === 'y', options('y'))).rejects.toThrow('closed before the wait for y');
  });
});
