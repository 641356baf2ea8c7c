const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Texts of the addresses seen last, in a direct-mapped cache (a capture has few hosts and formats their
 * addresses twice a frame): an address's slot holds its last text, found without a Map or a heap number.
 */
const SLOTS = 256;
const macHigh = new Int32Array(SLOTS);
const macLow = new Int32Array(SLOTS);
const macTexts: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
const ipv4Keys = new Int32Array(SLOTS);
const ipv4Texts: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);

/** The slot of a 32-bit value (and 16 more bits). */
function slotOf(low: number, high = 0): number {
  return (Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b) >>> 24) & (SLOTS - 1);
}

/** `aa:bb:cc:dd:ee:ff`, as Wireshark prints `eth.src`. */
export function formatMac(data: Buffer, offset: number, length = 6): string {
  if (length === 6 && offset + 6 <= data.length) {
    const high = data.readUInt16BE(offset);
    const low = data.readInt32BE(offset + 2);
    const slot = slotOf(low, high);
    const text = macTexts[slot];
    if (text !== undefined && macHigh[slot] === high && macLow[slot] === low) return text;
    const made = macText(data, offset, 6);
    macHigh[slot] = high;
    macLow[slot] = low;
    macTexts[slot] = made;
    return made;
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
    const key = data.readInt32BE(offset);
    const slot = slotOf(key);
    const text = ipv4Texts[slot];
    if (text !== undefined && ipv4Keys[slot] === key) return text;
    const made = ipv4Text(data, offset);
    ipv4Keys[slot] = key;
    ipv4Texts[slot] = made;
    return made;
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
