/** The counters tcpdump prints on stderr when it stops (the last ones, when a log holds several runs). */
export interface TcpdumpStats {
  captured: number;
  receivedByFilter: number;
  droppedByKernel: number;
  /** tcpdump 4.99+ (libpcap 1.10+) also reports drops by the interface; 0 when not printed. */
  droppedByInterface: number;
}

function last(text: string, pattern: RegExp): number | undefined {
  const all = [...text.matchAll(pattern)];
  const value = all.at(-1)?.[1];
  return value === undefined ? undefined : Number(value);
}

/** Parses "N packets captured / received by filter / dropped by kernel" from tcpdump's output. */
export function parseTcpdumpStats(text: string): TcpdumpStats | undefined {
  const captured = last(text, /^(\d+) packets? captured$/gm);
  const received = last(text, /^(\d+) packets? received by filter$/gm);
  const dropped = last(text, /^(\d+) packets? dropped by kernel$/gm);
  if (captured === undefined || received === undefined || dropped === undefined) return undefined;
  return {
    captured,
    receivedByFilter: received,
    droppedByKernel: dropped,
    droppedByInterface: last(text, /^(\d+) packets? dropped by interface$/gm) ?? 0,
  };
}
