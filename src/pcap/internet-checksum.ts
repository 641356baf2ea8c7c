/**
 * One's complement sum of 16-bit big-endian words over `[start, end)` (RFC 1071), folded to 16 bits,
 * added to `initial` (e.g. a pseudo-header sum). An odd trailing byte is padded with zero.
 */
export function onesComplementSum(data: Buffer, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  // Indexing bytes is several times faster than readUInt16BE here (it runs over every captured byte).
  for (; i + 1 < end; i += 2) sum += ((data[i] ?? 0) << 8) | (data[i + 1] ?? 0);
  if (i < end) sum += (data[i] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum field value for `[start, end)` (checksum field itself must be zero). */
export function internetChecksum(data: Buffer, start: number, end: number, initial = 0): number {
  return ~onesComplementSum(data, start, end, initial) & 0xffff;
}
