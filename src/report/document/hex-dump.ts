import type { LayerAnswer } from '../analysis/answers.js';
import { escapeHtml } from './inline-markup.js';

const PER_ROW = 16;

export interface MarkedLayer {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
  /** Letter that marks its bytes in the text dump. */
  readonly letter: string;
  /** Colour class index (0-4). */
  readonly colour: number;
}

/** Gives each layer a letter and a colour; bytes of no layer (padding) get neither. */
export function markLayers(layers: readonly LayerAnswer[]): MarkedLayer[] {
  const used = new Set<string>();
  return layers.map((layer, i) => {
    let letter = (layer.protocol === 'chatlab' ? 'A' : (layer.name[0] ?? '?')).toUpperCase();
    if (used.has(letter)) letter = String(i + 1);
    used.add(letter);
    return { name: layer.name, offset: layer.offset, length: layer.length, letter, colour: i % 5 };
  });
}

function layerAt(layers: readonly MarkedLayer[], offset: number): MarkedLayer | undefined {
  // Innermost wins: later layers start later, so search from the end.
  for (let i = layers.length - 1; i >= 0; i -= 1) {
    const layer = layers[i];
    if (layer !== undefined && offset >= layer.offset && offset < layer.offset + layer.length) return layer;
  }
  return undefined;
}

function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
}

/** Wireshark's bytes pane as text: offset, 16 bytes in hex, ASCII; under each row, the layer of each byte. */
export function hexDumpText(bytes: Buffer, layers: readonly MarkedLayer[]): string {
  const lines: string[] = [];
  for (let row = 0; row < bytes.length; row += PER_ROW) {
    const slice = [...bytes.subarray(row, row + PER_ROW)];
    const hex = slice.map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const ascii = slice.map(printable).join('');
    const marks = slice.map((_, i) => (layerAt(layers, row + i)?.letter ?? '.').padEnd(2, ' ')).join(' ');
    lines.push(`${row.toString(16).padStart(4, '0')}  ${hex.padEnd(PER_ROW * 3 - 1)}  ${ascii}`);
    lines.push(`      ${marks.trimEnd()}`);
  }
  return lines.join('\n');
}

/** The same dump as HTML: every byte coloured by its layer, hovering a byte names the layer and offset. */
export function hexDumpHtml(bytes: Buffer, layers: readonly MarkedLayer[]): string {
  const rows: string[] = [];
  for (let row = 0; row < bytes.length; row += PER_ROW) {
    const hex: string[] = [];
    const ascii: string[] = [];
    for (let i = row; i < Math.min(bytes.length, row + PER_ROW); i += 1) {
      const byte = bytes[i] ?? 0;
      const layer = layerAt(layers, i);
      const cls = layer === undefined ? 'b pad' : `b l${layer.colour}`;
      const title = `${layer?.name ?? 'padding'}, byte ${i}`;
      const start = layer !== undefined && i === layer.offset ? ' start' : '';
      hex.push(
        `<span class="${cls}${start}" title="${escapeHtml(title)}">${byte.toString(16).padStart(2, '0')}</span>`,
      );
      ascii.push(`<span class="${cls}">${escapeHtml(printable(byte))}</span>`);
    }
    rows.push(
      `<div class="hexrow"><span class="off">${row.toString(16).padStart(4, '0')}</span>` +
        `<span class="hex">${hex.join('')}</span><span class="ascii">${ascii.join('')}</span></div>`,
    );
  }
  return `<div class="hexdump" role="img">${rows.join('')}</div>`;
}

/** Colour chips naming each layer and its byte range. */
export function legendHtml(layers: readonly MarkedLayer[], range: (layer: MarkedLayer) => string): string {
  const items = layers.map(
    (layer) =>
      `<li><span class="chip l${layer.colour}"></span><strong>${escapeHtml(layer.name)}</strong> ` +
      `<span class="range">${escapeHtml(range(layer))}</span></li>`,
  );
  return `<ul class="legend">${items.join('')}</ul>`;
}
