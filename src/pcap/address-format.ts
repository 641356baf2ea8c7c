const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Texts of the addresses seen last: a capture has few hosts and formats their addresses once a frame. */
const CACHE_LIMIT = 4096;
const macs = new Map<number, string>();
const ipv4s = new Map<number, string>();

function remember(cache: Map<number, string>, key: number, text: string): string {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, text);
  return text;
}

/** `aa:bb:cc:dd:ee:ff`, as Wireshark prints `eth.src`. */
export function formatMac(data: Buffer, offset: number, length = 6): string {
  if (length === 6 && offset + 6 <= data.length) {
    const key = data.readUInt32BE(offset) * 65536 + data.readUInt16BE(offset + 4);
    return macs.get(key) ?? remember(macs, key, macText(data, offset, 6));
  }
  return macText(data, offset, length);
}

function macText(data: Buffer, offset: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) {
    out += (i === 0 ? '' : ':') + (HEX[data[offset + i] ?? 0] ?? '00');
  }
  return out;
}

/** Dotted quad. */
export function formatIpv4(data: Buffer, offset: number): string {
  if (offset + 4 <= data.length) {
    const key = data.readUInt32BE(offset);
    return ipv4s.get(key) ?? remember(ipv4s, key, ipv4Text(data, offset));
  }
  return ipv4Text(data, offset);
}

function ipv4Text(data: Buffer, offset: number): string {
  return `${data[offset] ?? 0}.${data[offset + 1] ?? 0}.${data[offset + 2] ?? 0}.${data[offset + 3] ?? 0}`;
}

/** RFC 5952 text form: lower case, leading zeros dropped, the longest run (>= 2) of zero groups as `::`. */
export function formatIpv6(data: Buffer, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i += 1) groups.push(data.readUInt16BE(offset + i * 2));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLength, 8)}`;
}
