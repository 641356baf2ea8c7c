import { escapeHtml } from './inline-markup.js';
import type { MarkedLayer } from './hex-dump.js';
import { colour } from './palette.js';

export interface NestingLabels {
  /** Title of a layer's box, e.g. "IPv4 packet: 91 bytes". */
  readonly box: (layer: MarkedLayer, size: number) => string;
  /** Its header, e.g. "IPv4 header: 20 bytes (14-33)". */
  readonly header: (layer: MarkedLayer) => string;
  /** The innermost box's text (the chat message). */
  readonly message: string;
  /** Caption of the proportional bar under the boxes. */
  readonly bar: string;
}

const WIDTH = 860;
/** Width of one character of the 13px monospace font, rounded up (DejaVu Sans Mono: 7.8px). */
const MONO_CHAR = 8;
/** Width of a character of the 13px sans-serif font, with a margin (DejaVu Sans, the widest: 7px on average). */
const SANS_CHAR = 7.5;
/** The header's box is at least this wide, so the headers of a picture line up. */
const HEADER_WIDTH = 300;
const INSET = 18;
const TITLE = 24;
const HEADER = 24;

/**
 * Encapsulation as nested boxes: each layer's unit (frame, packet, segment, message) holds its header and,
 * inside, the unit of the layer above. Under them, the frame's bytes as one bar, each layer's share to scale.
 */
export function nestingSvg(
  layers: readonly MarkedLayer[],
  frameLength: number,
  labels: NestingLabels,
): string {
  const parts: string[] = [];
  const n = layers.length;
  const STEP = TITLE + HEADER + 8;
  const heightOf = (i: number): number => 44 + (n - 1 - i) * (STEP + 10);
  const boxesHeight = 10 + heightOf(0);
  const size = (i: number): number => {
    const layer = layers[i];
    if (layer === undefined) return 0;
    const last = layers[n - 1];
    // A unit runs from its header to the end of the application data (padding belongs to the frame only).
    const end = i === 0 ? frameLength : last === undefined ? frameLength : last.offset + last.length;
    return end - layer.offset;
  };
  layers.forEach((layer, i) => {
    const c = colour(layer.colour);
    const x = 10 + i * INSET;
    const y = 10 + i * STEP;
    const w = WIDTH - 20 - 2 * i * INSET;
    const h = heightOf(i);
    parts.push(
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1.5"/>`,
      text(x + 12, y + 17, labels.box(layer, size(i)), c.text, 'bold'),
    );
    if (i < n - 1) {
      // As wide as its label needs ("Linux cooked capture v2 header: 20 bytes (bytes 0–19)"), in the layer's box.
      const header = labels.header(layer);
      const width = Math.min(w - 20, Math.max(HEADER_WIDTH, Math.ceil(header.length * SANS_CHAR) + 16));
      parts.push(
        `<rect x="${x + 10}" y="${y + TITLE}" width="${width}" height="${HEADER - 4}" rx="4" fill="#fff" stroke="${c.stroke}" stroke-dasharray="4 2"/>`,
        text(x + 18, y + TITLE + 14, header, c.text, 'normal'),
      );
    } else {
      parts.push(text(x + 12, y + TITLE + 14, fit(labels.message, w - 24), '#111827', 'mono'));
    }
  });
  // The proportional bar.
  const barY = boxesHeight + 30;
  const scale = (WIDTH - 20) / Math.max(1, frameLength);
  parts.push(text(10, barY - 8, labels.bar, '#374151', 'normal'));
  for (const layer of layers) {
    const c = colour(layer.colour);
    const isLast = layer === layers[n - 1];
    const next = layers[layers.indexOf(layer) + 1];
    const length = isLast || next === undefined ? layer.length : next.offset - layer.offset;
    const x = 10 + layer.offset * scale;
    const w = Math.max(1, length * scale);
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${barY}" width="${w.toFixed(1)}" height="26" fill="${c.fill}" stroke="${c.stroke}"/>`,
    );
    if (w > 36) parts.push(text(x + 5, barY + 17, `${length} B`, c.text, 'normal'));
  }
  const height = barY + 40;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="nesting" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img">` +
    `${parts.join('')}</svg>`
  );
}

function text(
  x: number,
  y: number,
  content: string,
  fill: string,
  style: 'bold' | 'normal' | 'mono',
): string {
  const font =
    style === 'mono'
      ? 'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="13"'
      : `font-family="DejaVu Sans, Segoe UI, Helvetica, Arial, sans-serif" font-size="13"${style === 'bold' ? ' font-weight="bold"' : ''}`;
  return `<text x="${x}" y="${y}" fill="${fill}" ${font}>${escapeHtml(content)}</text>`;
}

/** The text cut with an ellipsis to fit `width` pixels of the monospace font, so it stays inside its box. */
function fit(content: string, width: number): string {
  const chars = Math.max(4, Math.floor(width / MONO_CHAR));
  return content.length <= chars ? content : `${content.slice(0, chars - 1)}…`;
}
