import type { ChatMessage } from '../analysis/answers.js';
import { escapeHtml } from './inline-markup.js';

export interface Participant {
  readonly name: string;
  readonly detail: string;
  readonly server: boolean;
}

/** One arrow: a message, or a run of data frames of one transfer collapsed into one. */
export interface SequenceRow {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly frame: number;
  readonly time: number;
  readonly kind: ChatMessage['kind'] | 'error';
}

const STYLE: Readonly<Record<SequenceRow['kind'], { stroke: string; dash: string }>> = {
  request: { stroke: '#2563eb', dash: '' },
  reply: { stroke: '#16a34a', dash: '' },
  error: { stroke: '#dc2626', dash: '' },
  event: { stroke: '#9333ea', dash: '6 3' },
  data: { stroke: '#d97706', dash: '' },
  http: { stroke: '#6b7280', dash: '2 2' },
  malformed: { stroke: '#dc2626', dash: '2 2' },
  text: { stroke: '#2563eb', dash: '' },
};

/** Rows from messages: consecutive data frames of one transfer in one direction become one row. */
export function sequenceRows(
  messages: readonly ChatMessage[],
  clientOf: (stream: number) => string,
  server: string,
  dataLabel: (count: number, bytes: number, transfer: number) => string,
): SequenceRow[] {
  const rows: SequenceRow[] = [];
  let run: { message: ChatMessage; count: number; bytes: number } | undefined;
  const flush = (): void => {
    if (run === undefined) return;
    const { message, count, bytes } = run;
    const [from, to] = ends(message, clientOf, server);
    const label = count === 1 ? shortLabel(message) : dataLabel(count, bytes, message.transfer ?? 0);
    rows.push({ from, to, label, frame: message.frame, time: message.time, kind: 'data' });
    run = undefined;
  };
  for (const message of messages) {
    if (message.kind === 'data') {
      const same =
        run !== undefined &&
        run.message.stream === message.stream &&
        run.message.direction === message.direction &&
        run.message.transfer === message.transfer;
      if (!same) flush();
      if (run === undefined) run = { message, count: 0, bytes: 0 };
      run.count += 1;
      run.bytes += message.dataLength ?? 0;
      continue;
    }
    flush();
    const [from, to] = ends(message, clientOf, server);
    const kind = message.kind === 'reply' && (message.status ?? 0) >= 400 ? 'error' : message.kind;
    rows.push({ from, to, label: shortLabel(message), frame: message.frame, time: message.time, kind });
  }
  flush();
  return rows;
}

/**
 * Where `sequenceRows` starts each row, without building any: the messages' indices of the first `limit`
 * rows' starts and the number of rows. A row starts at any message but data continuing a run of data.
 */
export function sequenceRowStarts(
  messages: readonly ChatMessage[],
  limit: number,
): { starts: number[]; rows: number } {
  const starts: number[] = [];
  let rows = 0;
  let previous: ChatMessage | undefined;
  messages.forEach((message, i) => {
    const continues =
      message.kind === 'data' &&
      previous?.kind === 'data' &&
      previous.stream === message.stream &&
      previous.direction === message.direction &&
      previous.transfer === message.transfer;
    if (!continues) {
      if (starts.length < limit) starts.push(i);
      rows += 1;
    }
    previous = message;
  });
  return { starts, rows };
}

/** A reply without its JSON (but with its error code), an event with the few fields that say what it is. */
export function shortLabel(message: ChatMessage): string {
  const body = parseBody(message.json);
  const text = (key: string): string => (typeof body[key] === 'string' ? body[key] : '');
  if (message.kind === 'reply') {
    const code = text('code');
    return `${message.tag ?? '-'} ${message.status ?? ''} ${message.reason ?? ''}${code === '' ? '' : ` ${code}`}`;
  }
  if (message.kind !== 'event') return message.summary;
  switch (message.event) {
    case 'HELLO':
      return `* HELLO ${text('app')} ${text('version')}`.trimEnd();
    case 'MSG':
    case 'DM':
      return `* ${message.event} ${text('from')}: ${text('text')}`;
    case 'JOIN':
    case 'LEAVE':
      return `* ${message.event} ${text('room')} ${text('user')}`;
    case 'BYE':
      return `* BYE ${text('code')}`;
    default:
      return `* ${message.event ?? ''}`;
  }
}

function parseBody(json: string | undefined): Record<string, unknown> {
  if (json === undefined) return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function ends(message: ChatMessage, clientOf: (stream: number) => string, server: string): [string, string] {
  const client = clientOf(message.stream);
  return message.direction === 'client-to-server' ? [client, server] : [server, client];
}

const ROW = 30;
const TOP = 64;
const LEFT = 78;

/** A message sequence chart: one lifeline per host, time going down, one arrow per row. */
export function sequenceSvg(
  participants: readonly Participant[],
  rows: readonly SequenceRow[],
  unit: string,
): string {
  const spacing = Math.max(190, Math.min(260, 900 / Math.max(1, participants.length)));
  const width = LEFT + spacing * participants.length;
  const height = TOP + rows.length * ROW + 30;
  const x = new Map(participants.map((p, i) => [p.name, LEFT + spacing * (i + 0.5)]));
  const parts: string[] = [
    '<defs>',
    ...Object.entries(STYLE).map(
      ([kind, s]) =>
        `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${s.stroke}"/></marker>`,
    ),
    '</defs>',
  ];
  for (const p of participants) {
    const cx = x.get(p.name) ?? 0;
    const fill = p.server ? '#fef3c7' : '#dbeafe';
    const stroke = p.server ? '#d97706' : '#2563eb';
    parts.push(
      `<line x1="${cx}" y1="${TOP - 12}" x2="${cx}" y2="${height - 10}" stroke="#9ca3af" stroke-dasharray="4 4"/>`,
      `<rect x="${cx - 80}" y="6" width="160" height="44" rx="6" fill="${fill}" stroke="${stroke}"/>`,
      text(cx, 24, p.name, 'middle', 13, 'bold'),
      text(cx, 41, p.detail, 'middle', 11, 'normal'),
    );
  }
  rows.forEach((row, i) => {
    const y = TOP + i * ROW + 18;
    const x1 = x.get(row.from) ?? LEFT;
    const x2 = x.get(row.to) ?? LEFT;
    const style = STYLE[row.kind];
    const dash = style.dash === '' ? '' : ` stroke-dasharray="${style.dash}"`;
    const frameText = `${row.frame}: `;
    const room = Math.abs(x2 - x1) - 16;
    const label = fit(row.label, Math.max(10, Math.floor(room / 6.8) - frameText.length));
    parts.push(
      text(6, y + 4, `${row.time.toFixed(3)} ${unit}`, 'start', 10, 'muted'),
      `<line x1="${x1}" y1="${y}" x2="${x2 + (x2 > x1 ? -2 : 2)}" y2="${y}" stroke="${style.stroke}" stroke-width="1.6"${dash} marker-end="url(#arrow-${row.kind})"/>`,
      text((x1 + x2) / 2, y - 5, `${frameText}${label}`, 'middle', 11, 'mono'),
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="sequence" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">` +
    `${parts.join('')}</svg>`
  );
}

function fit(label: string, chars: number): string {
  return label.length <= chars ? label : `${label.slice(0, chars - 1)}…`;
}

function text(
  x: number,
  y: number,
  content: string,
  anchor: 'start' | 'middle',
  size: number,
  style: 'bold' | 'normal' | 'mono' | 'muted',
): string {
  const family =
    style === 'mono'
      ? 'DejaVu Sans Mono, Menlo, Consolas, monospace'
      : 'DejaVu Sans, Segoe UI, Helvetica, Arial, sans-serif';
  const weight = style === 'bold' ? ' font-weight="bold"' : '';
  const fill = style === 'muted' ? '#6b7280' : '#111827';
  return `<text x="${x.toFixed(1)}" y="${y}" text-anchor="${anchor}" font-family="${family}" font-size="${size}" fill="${fill}"${weight}>${escapeHtml(content)}</text>`;
}

/** The same chart for Markdown viewers that draw Mermaid (GitHub, GitLab); plain text elsewhere. */
export function sequenceMermaid(participants: readonly Participant[], rows: readonly SequenceRow[]): string {
  const id = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, '_');
  const lines = ['```mermaid', 'sequenceDiagram'];
  for (const p of participants)
    lines.push(`    participant ${id(p.name)} as ${safe(`${p.name} ${p.detail}`)}`);
  for (const row of rows) {
    const arrow = row.kind === 'event' ? '--)' : '->>';
    lines.push(`    ${id(row.from)}${arrow}${id(row.to)}: ${safe(`${row.frame}: ${fit(row.label, 70)}`)}`);
  }
  lines.push('```');
  return lines.join('\n');
}

/** Mermaid ends a statement at `;` and reads `#...;` as an entity: keep labels free of both. */
function safe(text: string): string {
  return text.replace(/[;#]/g, ' ').replace(/[<>]/g, '');
}
