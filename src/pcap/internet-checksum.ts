import { endianness } from 'node:os';

/** Ranges at least this long are summed four bytes at a time (`wideSum`). */
const WIDE = 64;
/** Whether a Uint32Array reads little-endian words here (it reads the platform's order). */
const LITTLE_ENDIAN = endianness() === 'LE';
/** Words summed before the sum is folded, so that it stays a 32-bit integer (2 x 0xffff each). */
const FOLD_EVERY = 8192;

/**
 * One's complement sum of 16-bit big-endian words over `[start, end)` (RFC 1071), folded to 16 bits,
 * added to `initial` (e.g. a pseudo-header sum). An odd trailing byte is padded with zero.
 */
export function onesComplementSum(data: Buffer, start: number, end: number, initial = 0): number {
  if (LITTLE_ENDIAN && end - start >= WIDE && start >= 0 && end <= data.length)
    return wideSum(data, start, end, initial);
  let sum = initial;
  let i = start;
  // Indexing bytes is several times faster than readUInt16BE here (it runs over every captured byte).
  for (; i + 1 < end; i += 2) sum += ((data[i] ?? 0) << 8) | (data[i + 1] ?? 0);
  if (i < end) sum += (data[i] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * A view of 32-bit words over the last buffer summed (a capture's frames are views of one file's bytes),
 * held weakly: it keeps no capture in memory once the capture is no longer used.
 */
let wordsOf = new WeakRef<Uint32Array>(new Uint32Array(0));

function wordsOver(buffer: ArrayBufferLike): Uint32Array {
  const words = wordsOf.deref();
  if (words?.buffer === buffer) return words;
  const made = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
  wordsOf = new WeakRef(made);
  return made;
}

/**
 * `onesComplementSum` of a long range (every TCP and UDP segment's checksum), four bytes at a time: the
 * little-endian 32-bit words at aligned addresses of the buffer beneath `data`, each added as its two
 * halves. One's complement addition is addition modulo 0xffff, where 2^16 is 1, so a byte at an even
 * address weighs 1 in this sum and 256 in the big-endian sum of a range that starts at an even address:
 * that sum is 256 times this one (RFC 1071 2(B), byte order independence); from an odd address the
 * weights agree.
 */
function wideSum(data: Buffer, start: number, end: number, initial: number): number {
  const words = wordsOver(data.buffer);
  const base = data.byteOffset;
  const from = base + start;
  const to = base + end;
  let sum = 0;
  let at = from;
  for (; (at & 3) !== 0 && at < to; at += 1) sum += (data[at - base] ?? 0) << ((at & 1) << 3);
  const lastWord = to >>> 2;
  for (let w = at >>> 2; w < lastWord;) {
    const stop = Math.min(lastWord, w + FOLD_EVERY);
    for (; w < stop; w += 1) {
      const word = words[w] ?? 0;
      sum += (word >>> 16) + (word & 0xffff);
    }
    sum = (sum >>> 16) + (sum & 0xffff);
  }
  if (lastWord << 2 > at) at = lastWord << 2;
  for (; at < to; at += 1) sum += (data[at - base] ?? 0) << ((at & 1) << 3);
  // Back to the big-endian sum (times 256 from an even start), plus `initial`, all modulo 0xffff.
  let residue = sum % 0xffff;
  if ((from & 1) === 0) residue = (residue * 256) % 0xffff;
  residue = (residue + (initial % 0xffff)) % 0xffff;
  // Folding a positive sum never gives 0: a multiple of 0xffff folds to 0xffff; only nothing at all is 0.
  if (residue === 0) return sum === 0 && initial === 0 ? 0 : 0xffff;
  return residue;
}

/** The Internet checksum field value for `[start, end)` (checksum field itself must be zero). */
export function internetChecksum(data: Buffer, start: number, end: number, initial = 0): number {
  return ~onesComplementSum(data, start, end, initial) & 0xffff;
}
