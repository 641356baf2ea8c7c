import { dissect } from '../pcap/index.js';
import type { AnswerSheet } from './answer-sheet.js';
import type { CaptureFacts } from './grade-questions.js';
import { type GradeLang, type QuestionGrade, say, shown } from './question-grade.js';
import { readNumber, readRange } from './sheet-values.js';

interface ExpectedLayer {
  readonly field: 'F.ethernet' | 'F.ip' | 'F.tcp' | 'F.application';
  readonly label: string;
  readonly from: number;
  readonly to: number;
}

/** The layer ranges of one frame: the report's answer F when it is that frame, else its dissection. */
function layersOf(facts: CaptureFacts, frame: number): ExpectedLayer[] | null {
  const fieldOf = (protocol: string): ExpectedLayer['field'] | null =>
    protocol === 'eth'
      ? 'F.ethernet'
      : protocol === 'ip' || protocol === 'ipv6'
        ? 'F.ip'
        : protocol === 'tcp'
          ? 'F.tcp'
          : null;
  if (facts.answers.F.frame === frame) {
    return facts.answers.F.layers.map((layer) => ({
      field: fieldOf(layer.protocol) ?? 'F.application',
      label: layer.name,
      from: layer.offset,
      to: layer.offset + layer.length - 1,
    }));
  }
  const record = facts.frames[frame - 1];
  if (record === undefined) return null;
  const packet = dissect(record);
  const layers: ExpectedLayer[] = packet.layers.flatMap((layer) => {
    const protocol = layer.kind === 'ethernet' ? 'eth' : layer.kind === 'ipv4' ? 'ip' : layer.kind;
    const field = fieldOf(protocol);
    return field === null
      ? []
      : [{ field, label: layer.kind, from: layer.offset, to: layer.offset + layer.length - 1 }];
  });
  if (packet.tcp !== undefined && packet.payload.length > 0)
    layers.push({
      field: 'F.application',
      label: 'payload',
      from: packet.payload.offset,
      to: packet.payload.offset + packet.payload.length - 1,
    });
  return layers;
}

/** F: the byte range of each layer of the frame the student names (the report's frame F by default). */
export function gradeF(sheet: AnswerSheet, facts: CaptureFacts, lang: GradeLang): QuestionGrade {
  const givenFrame = readNumber(sheet['F.frame'] ?? '');
  const frame = givenFrame ?? facts.answers.F.frame;
  const layers = frame === null ? null : layersOf(facts, frame);
  if (frame === null || layers === null) {
    return {
      question: 'F',
      score: 0,
      feedback: say(
        lang,
        `O quadro ${shown(sheet['F.frame'], lang)} não existe nesta captura (ela tem ${facts.frames.length}); o relatório usa o quadro ${facts.answers.F.frame ?? '?'}.`,
        `Frame ${shown(sheet['F.frame'], lang)} is not in this capture (it has ${facts.frames.length}); the report uses frame ${facts.answers.F.frame ?? '?'}.`,
      ),
    };
  }
  const fields = ['F.ethernet', 'F.ip', 'F.tcp', 'F.application'] as const;
  const wrong: string[] = [];
  let right = 0;
  for (const field of fields) {
    const expected = layers.find((l) => l.field === field);
    const given = readRange(sheet[field] ?? '');
    if (expected !== undefined && given !== null && given.from === expected.from && given.to === expected.to)
      right++;
    else
      wrong.push(
        `${field.slice(2)} ${expected === undefined ? say(lang, 'ausente', 'absent') : `${expected.from}-${expected.to}`} (${say(lang, 'você', 'you')}: ${shown(sheet[field], lang)})`,
      );
  }
  const expectedText = layers.map((l) => `${l.label} ${l.from}-${l.to}`).join(', ');
  return {
    question: 'F',
    score: right / fields.length,
    feedback: say(
      lang,
      `No quadro ${frame}${givenFrame === null ? ' (você não deu o quadro; usado o do relatório)' : ''} as camadas são ${expectedText}${wrong.length > 0 ? `; errado: ${wrong.join('; ')}` : '; tudo certo'}.`,
      `In frame ${frame}${givenFrame === null ? " (you gave no frame; the report's is used)" : ''} the layers are ${expectedText}${wrong.length > 0 ? `; wrong: ${wrong.join('; ')}` : '; all right'}.`,
    ),
  };
}
