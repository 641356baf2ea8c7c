// Tolerant reading of what a student types in an answer sheet: spaces, case, en dashes, "bytes 0 a 13".

/** An IPv4 address as typed (`10.77.0.10 `, `IP 10.77.0.10`), or null when there is none. */
export function readIp(text: string): string | null {
  const match = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/.exec(text);
  if (match === null) return null;
  const parts = match.slice(1, 5).map(Number);
  return parts.every((p) => p <= 255) ? parts.join('.') : null;
}

/** Every IPv4 address in a list (`10.0.0.11, 10.0.0.12 e 10.0.0.13`). */
export function readIps(text: string): string[] {
  return [...text.matchAll(/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g)].flatMap((m) => {
    const ip = readIp(m[0]);
    return ip === null ? [] : [ip];
  });
}

/** `TCP`, `tcp`, `Tcp.` -> `TCP`; UDP alike; anything else null. */
export function readTransport(text: string): 'TCP' | 'UDP' | null {
  const words: string[] = text.toUpperCase().match(/[A-Z]+/g) ?? [];
  const tcp = words.includes('TCP');
  const udp = words.includes('UDP');
  if (tcp === udp) return null;
  return tcp ? 'TCP' : 'UDP';
}

/** Whole numbers in a list (`47452, 33290`, `#12 #14`, `frames 12 e 14`); `12-15` means 12, 13, 14, 15. */
export function readNumbers(text: string): number[] {
  const numbers: number[] = [];
  const cleaned = text.replace(/\d{1,3}(\.\d{1,3}){3}/g, ' ');
  for (const match of cleaned.matchAll(/(\d+)(?:\s*(?:-|–|—|\.\.|a|to|até|ate)\s*(\d+))?/gi)) {
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from || to - from > 10000) numbers.push(from, to);
    else for (let n = from; n <= to; n++) numbers.push(n);
  }
  return numbers;
}

/** One whole number (`3300`, `porta 3300`), or null when there is none or several. */
export function readNumber(text: string): number | null {
  const all = text.match(/\d+/g) ?? [];
  return all.length === 1 ? Number(all[0]) : null;
}

/** A byte range, both ends included: `0-13`, `0–13`, `0..13`, `bytes 0 a 13`, `0 to 13`, `0 até 13`. */
export function readRange(text: string): { from: number; to: number } | null {
  const match = /(\d+)\s*(?:-|–|—|\.\.|:|\s(?:a|to|até|ate)\s)\s*(\d+)/i.exec(text);
  if (match === null) return null;
  const from = Number(match[1]);
  const to = Number(match[2]);
  return to >= from ? { from, to } : null;
}

/** Lower case, accents and punctuation away, spaces squeezed: how two free-text answers are compared. */
export function looseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, ' ')
    .trim();
}
