import { Writable } from 'node:stream';

/**
 * A stand-in for a terminal in tests: keeps every byte written and replays them on a small screen model
 * that understands what node:readline writes (CR, LF, cursor moves CSI n A/B/C/D/G, erase CSI J/K, SGR m),
 * so a test can assert what a person would see.
 */
export class FakeTerminal extends Writable {
  readonly isTTY = true;
  bytes = '';

  constructor(readonly columns = 80) {
    super({ decodeStrings: false });
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.bytes += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    callback();
  }

  /** The screen's rows, trailing spaces trimmed, and where the cursor is. */
  render(): { rows: string[]; row: number; col: number } {
    const rows: string[][] = [[]];
    let row = 0;
    let col = 0;
    const line = (): string[] => {
      while (rows.length <= row) rows.push([]);
      return rows[row] ?? [];
    };
    const text = this.bytes;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] ?? '';
      if (ch === '\x1b' && text[i + 1] === '[') {
        const m = /^.\[(\??)([\d;]*)([A-Za-z])/.exec(text.slice(i)); // ESC [ ... final letter
        if (!m) continue;
        i += m[0].length - 1;
        const n = m[2] === '' ? undefined : Number(m[2]);
        switch (m[3]) {
          case 'A':
            row = Math.max(0, row - (n ?? 1));
            break;
          case 'B':
            row += n ?? 1;
            break;
          case 'C':
            col = Math.min(this.columns - 1, col + (n ?? 1));
            break;
          case 'D':
            col = Math.max(0, col - (n ?? 1));
            break;
          case 'G':
            col = (n ?? 1) - 1;
            break;
          case 'J':
            line().length = Math.min(line().length, col);
            rows.length = Math.min(rows.length, row + 1);
            break;
          case 'K':
            if ((n ?? 0) === 2) line().length = 0;
            else line().length = Math.min(line().length, col);
            break;
        }
      } else if (ch === '\r') col = 0;
      else if (ch === '\n') {
        row++;
        col = 0; // the tty's ONLCR: LF is written as CR LF
      } else {
        if (col >= this.columns) {
          row++;
          col = 0;
        }
        const current = line();
        while (current.length < col) current.push(' ');
        current[col] = ch;
        col++;
      }
    }
    while (rows.length <= row) rows.push([]);
    return { rows: rows.map((r) => r.join('').trimEnd()), row, col };
  }
}
