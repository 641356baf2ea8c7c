import { escapeHtml } from '../inline-markup.js';
import type { GraphPoint } from '../../analysis/tcp/tcp-direction-state.js';

export interface GraphLabels {
  readonly time: string;
  readonly sequence: string;
  readonly data: string;
  readonly retransmission: string;
  readonly outOfOrder: string;
  readonly ack: string;
}

const WIDTH = 900;
const HEIGHT = 360;
const LEFT = 78;
const RIGHT = 44;
const TOP = 30;
const BOTTOM = 44;
const COLOURS: Readonly<Record<GraphPoint['mark'], string>> = {
  data: '#2563eb',
  retransmission: '#dc2626',
  'out-of-order': '#d97706',
  ack: '#16a34a',
};
const FONT = 'DejaVu Sans, Segoe UI, Helvetica, Arial, sans-serif';

/**
 * A time-sequence graph (Stevens, as Wireshark's Statistics > TCP Stream Graphs draws it) of one
 * direction: each segment a vertical bar from its first to its last byte at the time it was captured,
 * retransmissions in red, out-of-order segments in orange, and the receiver's ACK number as a step line.
 */
export function tcpGraphSvg(points: readonly GraphPoint[], labels: GraphLabels): string {
  let t0 = Infinity;
  let t1 = -Infinity;
  let top = 1;
  for (const p of points) {
    t0 = Math.min(t0, p.time);
    t1 = Math.max(t1, p.time);
    top = Math.max(top, p.seq + Math.max(0, p.len));
  }
  if (!Number.isFinite(t0)) t0 = t1 = 0;
  const span = t1 - t0 || 1e-3;
  const x = (t: number): number => LEFT + ((t - t0) / span) * (WIDTH - LEFT - RIGHT);
  const y = (seq: number): number => HEIGHT - BOTTOM - (seq / top) * (HEIGHT - TOP - BOTTOM);
  const paths: Record<GraphPoint['mark'], string[]> = {
    data: [],
    retransmission: [],
    'out-of-order': [],
    ack: [],
  };
  let ackPath = '';
  for (const p of points) {
    const px = x(p.time).toFixed(1);
    if (p.mark === 'ack') {
      ackPath += ackPath === '' ? `M${px} ${y(p.seq).toFixed(1)}` : `H${px}V${y(p.seq).toFixed(1)}`;
      continue;
    }
    const y1 = y(p.seq);
    const y2 = Math.min(y1 - 3, y(p.seq + p.len));
    paths[p.mark].push(`M${px} ${y1.toFixed(1)}V${y2.toFixed(1)}`);
  }
  const parts: string[] = [
    `<rect x="${LEFT}" y="${TOP}" width="${WIDTH - LEFT - RIGHT}" height="${HEIGHT - TOP - BOTTOM}" fill="#f9fafb" stroke="#d1d5db"/>`,
  ];
  for (let i = 0; i <= 4; i += 1) {
    const t = t0 + (span * i) / 4;
    const seq = Math.round((top * i) / 4);
    parts.push(
      `<line x1="${x(t).toFixed(1)}" y1="${TOP}" x2="${x(t).toFixed(1)}" y2="${HEIGHT - BOTTOM}" stroke="#e5e7eb"/>`,
      text(x(t), HEIGHT - BOTTOM + 16, t.toFixed(span < 0.1 ? 4 : 3), 'middle'),
      `<line x1="${LEFT}" y1="${y(seq).toFixed(1)}" x2="${WIDTH - RIGHT}" y2="${y(seq).toFixed(1)}" stroke="#e5e7eb"/>`,
      text(LEFT - 6, y(seq) + 4, seq.toLocaleString('en'), 'end'),
    );
  }
  parts.push(
    text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 8, labels.time, 'middle'),
    `<text x="16" y="${(TOP + HEIGHT - BOTTOM) / 2}" transform="rotate(-90 16 ${(TOP + HEIGHT - BOTTOM) / 2})" text-anchor="middle" font-family="${FONT}" font-size="11" fill="#374151">${escapeHtml(labels.sequence)}</text>`,
  );
  if (ackPath !== '')
    parts.push(
      `<path class="ack-line" d="${ackPath}" fill="none" stroke="${COLOURS.ack}" stroke-width="1.2"/>`,
    );
  for (const mark of ['data', 'out-of-order', 'retransmission'] as const) {
    if (paths[mark].length === 0) continue;
    parts.push(
      `<path class="segment-${mark}" d="${paths[mark].join('')}" stroke="${COLOURS[mark]}" stroke-width="${mark === 'data' ? 2 : 3}"/>`,
    );
  }
  const legend: [GraphPoint['mark'], string][] = [
    ['data', labels.data],
    ['retransmission', labels.retransmission],
    ['out-of-order', labels.outOfOrder],
    ['ack', labels.ack],
  ];
  legend.forEach(([mark, label], i) => {
    const lx = LEFT + i * 190;
    parts.push(
      `<line x1="${lx}" y1="14" x2="${lx + 18}" y2="14" stroke="${COLOURS[mark]}" stroke-width="3"/>`,
      text(lx + 24, 18, label, 'start'),
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="tcp-graph" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img">` +
    `${parts.join('')}</svg>`
  );
}

function text(x: number, y: number, content: string, anchor: 'start' | 'middle' | 'end'): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" font-family="${FONT}" font-size="11" fill="#374151">${escapeHtml(content)}</text>`;
}
