import { GradeError } from './grade-error.js';

/** Every field of the answer sheet, in the order the sheet lists them, and the question it belongs to. */
export const SHEET_FIELDS = {
  'A.application': 'A',
  'A.version': 'A',
  'A.frame': 'A',
  'B.server_ip': 'B',
  'B.client_ips': 'B',
  'C.transport': 'C',
  'D.destination_port': 'D',
  'D.source_ports': 'D',
  'E.frames': 'E',
  'F.frame': 'F',
  'F.ethernet': 'F',
  'F.ip': 'F',
  'F.tcp': 'F',
  'F.application': 'F',
} as const;

export type SheetField = keyof typeof SHEET_FIELDS;
export const QUESTIONS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Question = (typeof QUESTIONS)[number];

/** What the student typed, field by field (a field left blank is absent). */
export type AnswerSheet = Partial<Record<SheetField, string>>;

export const SHEET_FILE = 'answers.txt';

const HINTS: Record<'pt-BR' | 'en', Record<SheetField, string>> = {
  'pt-BR': {
    'A.application': 'nome da aplicação, como o servidor o anuncia',
    'A.version': 'versão, como o servidor a anuncia',
    'A.frame': 'número do quadro onde você leu isso',
    'B.server_ip': 'IP do servidor',
    'B.client_ips': 'IPs dos clientes, separados por vírgula',
    'C.transport': 'TCP ou UDP',
    'D.destination_port': 'porta de destino do cliente',
    'D.source_ports': 'portas de origem dos clientes, separadas por vírgula',
    'E.frames': 'números de quadros que levam carga útil do chat, separados por vírgula',
    'F.frame': 'o quadro que você dissecou',
    'F.ethernet': 'bytes do cabeçalho Ethernet, ex.: 0-13',
    'F.ip': 'bytes do cabeçalho IP',
    'F.tcp': 'bytes do cabeçalho TCP',
    'F.application': 'bytes da mensagem da aplicação',
  },
  en: {
    'A.application': 'the application name, as the server announces it',
    'A.version': 'its version, as the server announces it',
    'A.frame': 'the frame number where you read it',
    'B.server_ip': "the server's IP",
    'B.client_ips': "the clients' IPs, comma-separated",
    'C.transport': 'TCP or UDP',
    'D.destination_port': "the client's destination port",
    'D.source_ports': "the clients' source ports, comma-separated",
    'E.frames': 'numbers of frames carrying chat payload, comma-separated',
    'F.frame': 'the frame you dissected',
    'F.ethernet': 'bytes of the Ethernet header, e.g. 0-13',
    'F.ip': 'bytes of the IP header',
    'F.tcp': 'bytes of the TCP header',
    'F.application': "bytes of the application's message",
  },
};

/** The blank sheet a student fills: `key: value` lines, a `#` comment above each saying what to give. */
export function blankSheet(student: string, lang: 'pt-BR' | 'en'): string {
  const head =
    lang === 'pt-BR'
      ? [
          `# Folha de respostas de ${student}. Escreva cada resposta depois dos dois-pontos.`,
          '# Números de quadro: os do arquivo de captura que você entrega (como o Wireshark os numera).',
          '# Faixas de bytes: início-fim, os dois incluídos, contando do byte 0 do quadro (ex.: 0-13).',
        ]
      : [
          `# Answer sheet of ${student}. Write each answer after the colon.`,
          '# Frame numbers: those of the capture file you hand in (as Wireshark numbers them).',
          '# Byte ranges: start-end, both included, counting from byte 0 of the frame (e.g. 0-13).',
        ];
  const lines = [...head, `student: ${student}`];
  let question = '';
  for (const field of Object.keys(SHEET_FIELDS) as SheetField[]) {
    if (SHEET_FIELDS[field] !== question) {
      question = SHEET_FIELDS[field];
      lines.push('');
    }
    lines.push(`# ${HINTS[lang][field]}`, `${field}: `);
  }
  return `${lines.join('\n')}\n`;
}

/** `a.version`, `A. Version`, `A-version`, `a version` all name the field `A.version`. */
function fieldOf(key: string): SheetField | 'student' | null {
  const loose = (text: string): string => text.toLowerCase().replace(/[\s._-]+/g, '');
  const want = loose(key);
  if (want === 'student' || want === 'aluno' || want === 'id') return 'student';
  return (Object.keys(SHEET_FIELDS) as SheetField[]).find((field) => loose(field) === want) ?? null;
}

/**
 * Reads a filled sheet. Blank lines and `#` comments are skipped; every other line is `field: value`
 * (`=` works too), the field named as the blank sheet names it (case, spaces and `_` do not matter). A line
 * that is neither, an unknown field or a field given twice is an error naming the line.
 */
export function parseSheet(
  text: string,
  file: string,
  lang: 'pt-BR' | 'en' = 'en',
): { student: string | null; answers: AnswerSheet } {
  const say = (pt: string, en: string): string => (lang === 'pt-BR' ? pt : en);
  const answers: AnswerSheet = {};
  const lineOf = new Map<string, number>();
  let student: string | null = null;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const at = say(`${file} linha ${i + 1}`, `${file} line ${i + 1}`);
      const match = /^([^:=]+)[:=](.*)$/.exec(line);
      if (match === null)
        throw new GradeError(
          'GRADE_BAD_SHEET',
          say(
            `${at} é "${line.slice(0, 40)}", não "campo: resposta"; mantenha os campos da folha em branco e escreva depois dos dois-pontos.`,
            `${at} is "${line.slice(0, 40)}", not "field: answer"; keep the fields of the blank sheet and write after the colon.`,
          ),
          { line: i + 1 },
        );
      const key = (match[1] ?? '').trim();
      const value = (match[2] ?? '').replace(/\s+#.*$/, '').trim();
      const field = fieldOf(key);
      if (field === null)
        throw new GradeError(
          'GRADE_BAD_SHEET',
          say(
            `${at} cita o campo "${key}", que a folha não tem; os campos são ${Object.keys(SHEET_FIELDS).join(', ')}.`,
            `${at} names the field "${key}", which the sheet has not; the fields are ${Object.keys(SHEET_FIELDS).join(', ')}.`,
          ),
          { line: i + 1 },
        );
      const before = lineOf.get(field);
      if (before !== undefined)
        throw new GradeError(
          'GRADE_BAD_SHEET',
          say(
            `${at} repete ${field} (a linha ${before} já o deu); deixe um só.`,
            `${at} gives ${field} again (line ${before} gave it already); keep one.`,
          ),
          {
            line: i + 1,
          },
        );
      lineOf.set(field, i + 1);
      if (value === '') return;
      if (field === 'student') student = value;
      else answers[field] = value;
    });
  return { student, answers };
}
