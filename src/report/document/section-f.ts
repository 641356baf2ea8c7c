import type { Answers, AnswerF } from '../analysis/answers.js';
import type { Block, Section } from './document.js';
import { hexDumpHtml, hexDumpText, legendHtml, markLayers, type MarkedLayer } from './hex-dump.js';
import type { Messages } from './i18n/en.js';
import { healthMessagesFor } from './i18n/health.js';
import { nestingSvg } from './svg-nesting.js';

const FENCE = '```';

/** Section F: the chosen frame's bytes, each layer marked, and the picture of encapsulation. */
export function sectionF({ F }: Answers, m: Messages): Section {
  const base = { id: 'answer-f', title: m.fTitle, question: m.fQuestion };
  // The message's line, as its application layer records it (answers.json lists no message).
  const line = F.layers.at(-1)?.fields.line;
  const message = typeof line === 'string' && F.message !== null ? { summary: line } : undefined;
  if (F.frame === null || message === undefined) return { ...base, answer: m.fMissing, blocks: [] };
  const layers = markLayers(F.layers);
  const bytes = Buffer.from(F.hex, 'hex');
  const range = (l: { offset: number; length: number }): string => m.bytesRange(l.offset, l.length);
  const sizes = unitSizes(F);
  const answer = m.fAnswer(
    F.frame,
    message.summary,
    F.frameLength,
    m.list(F.layers.map((l) => m.fLayerPart(l.name, range(l)))),
  );
  const letters = layers.map((l) => `${l.letter} = ${l.name}`).join(', ');
  const blocks: Block[] = [
    {
      type: 'figure',
      id: 'hexdump',
      caption: m.fDumpCaption(F.frame),
      html: legendHtml(layers, range) + hexDumpHtml(bytes, layers),
      markdown: `${FENCE}\n${hexDumpText(bytes, layers)}\n${FENCE}\n\n${m.fDumpLegendText(letters)}`,
    },
    {
      type: 'table',
      head: m.fLayersHead,
      rows: F.layers.map((l) => [
        l.name,
        range(l),
        m.n(l.length),
        m.fLayerFacts[l.protocol]?.(l.fields) ?? '',
      ]),
      numeric: [2],
      nowrap: [1],
    },
    {
      type: 'figure',
      id: 'nesting',
      caption: m.fNestingCaption,
      html: nestingSvg(layers, F.frameLength, {
        box: (layer, size) => m.fBox(layer.name, size),
        header: (layer) => m.fHeader(layer.name, layer.length, range(layer)),
        message: message.summary,
        bar: m.fBar,
      }),
      markdown: `${FENCE}\n${nestingText(layers, sizes, message.summary, m, range)}\n${FENCE}`,
    },
  ];
  const app = F.layers[F.layers.length - 1]?.length ?? 0;
  const [eth = 0, ip = 0, tcp = 0] = sizes;
  const transport = F.layers[2]?.protocol === 'udp' ? 'UDP' : 'TCP';
  if (F.layers.length === 4 && F.layers[0]?.protocol === 'eth') {
    blocks.push({ type: 'list', items: m.fStory(app, tcp, ip, eth, transport) });
  }
  blocks.push(...checksumBlocks(F, m));
  blocks.push({ type: 'p', text: m.fAnalogy(transport) });
  if (F.layers[0]?.protocol === 'eth') blocks.push({ type: 'note', text: m.fFcs });
  if (F.trailer !== null) blocks.push({ type: 'note', text: m.fPadding(F.trailer.offset, F.trailer.length) });
  return { ...base, answer, blocks };
}

/** Each header's checksum, verified, and how a checksum is computed. */
function checksumBlocks(F: AnswerF, m: Messages): Block[] {
  const h = healthMessagesFor(m.lang);
  const items = F.layers
    .filter((l) => typeof l.fields.checksumStatus === 'string')
    .map((l) =>
      h.checksum(
        l.name,
        String(l.fields.checksum),
        String(l.fields.checksumStatus),
        String(l.fields.checksumComputed),
      ),
    );
  return items.length === 0
    ? []
    : [
        { type: 'list', items },
        { type: 'p', text: h.checksumHow },
      ];
}

/** Size of each layer's unit: the frame, the packet, the segment, the message (padding only in the frame). */
function unitSizes(F: AnswerF): number[] {
  const last = F.layers[F.layers.length - 1];
  const end = last === undefined ? F.frameLength : last.offset + last.length;
  return F.layers.map((l, i) => (i === 0 ? F.frameLength : end - l.offset));
}

function nestingText(
  layers: readonly MarkedLayer[],
  sizes: readonly number[],
  summary: string,
  m: Messages,
  range: (l: MarkedLayer) => string,
): string {
  return layers
    .map((layer, i) => {
      const indent = '  '.repeat(i);
      const box = m.fBox(layer.name, sizes[i] ?? 0);
      return i === layers.length - 1
        ? `${indent}${box}: "${summary}"`
        : `${indent}${box}  [ ${m.fHeader(layer.name, layer.length, range(layer))} ]`;
    })
    .join('\n');
}
