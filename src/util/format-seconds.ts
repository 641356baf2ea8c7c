/** `2 s`, `1.3 s`, `0.5 s`, `0.05 s`: a wait as a person reads it (tenths, hundredths below 0.1 s). */
export function formatSeconds(ms: number): string {
  const seconds = ms < 100 ? Math.round(ms / 10) / 100 : Math.round(ms / 100) / 10;
  return `${seconds} s`;
}
