import type { MergedFrame } from '../pcap/index.js';
import type { Answers, Listings } from '../report/analysis/answers.js';
import { c } from '../report/document/document.js';
import type { AnswerSheet } from './answer-sheet.js';
import { gradeF } from './grade-f.js';
import { type GradeLang, layerAt, listOf, type QuestionGrade, say, shown } from './question-grade.js';
import { looseText, readIp, readIps, readNumber, readNumbers, readTransport } from './sheet-values.js';

/** The report's analysis of a submission's capture: its answers and the merged frames they number. */
export interface CaptureFacts {
  readonly answers: Answers;
  /** Every message and segment of E (answers.json counts them). */
  readonly listings: Listings;
  readonly frames: readonly MergedFrame[];
}

const half = (ok: boolean): number => (ok ? 0.5 : 0);

/** Grades A-F of one sheet against the facts of the student's own capture. */
export function gradeQuestions(sheet: AnswerSheet, facts: CaptureFacts, lang: GradeLang): QuestionGrade[] {
  return [gradeA, gradeB, gradeC, gradeD, gradeE, gradeF].map((grade) => grade(sheet, facts, lang));
}

function gradeA(sheet: AnswerSheet, { answers }: CaptureFacts, lang: GradeLang): QuestionGrade {
  const { application, version, frame, payloadOffset } = answers.A;
  if (application === null || version === null || frame === null) {
    return {
      question: 'A',
      score: null,
      feedback: say(
        lang,
        'A não é avaliada: a captura não traz uma saudação do servidor que nomeie a aplicação e a versão (app trazido, ou a conexão começou antes da captura).',
        'A is not graded: the capture holds no server greeting naming the application and version (a brought-in app, or the connection began before the capture).',
      ),
    };
  }
  const app = looseText(sheet['A.application'] ?? '');
  const appOk = app !== '' && (looseText(application).includes(app) || app.includes(looseText(application)));
  const versionOk = looseText(sheet['A.version'] ?? '').replace(/^v/, '') === looseText(version);
  const where = say(
    lang,
    `a saudação ${c('* HELLO')} do servidor no quadro ${frame}, a partir do byte ${payloadOffset ?? '?'}`,
    `the server's ${c('* HELLO')} greeting in frame ${frame}, from byte ${payloadOffset ?? '?'}`,
  );
  return {
    question: 'A',
    score: half(appOk) + half(versionOk),
    feedback: say(
      lang,
      `Esperado ${application} ${version}, lido em ${where}; você respondeu ${shown(sheet['A.application'], lang)} ${shown(sheet['A.version'], lang)}.`,
      `Expected ${application} ${version}, read in ${where}; you answered ${shown(sheet['A.application'], lang)} ${shown(sheet['A.version'], lang)}.`,
    ),
  };
}

function gradeB(sheet: AnswerSheet, { answers, frames }: CaptureFacts, lang: GradeLang): QuestionGrade {
  const server = answers.B.server;
  const clients = answers.B.clients.map((c) => c.ip);
  const givenServer = readIp(sheet['B.server_ip'] ?? '');
  const givenClients = readIps(sheet['B.client_ips'] ?? '');
  const serverOk = server !== null && givenServer === server.ip;
  const clientsOk = givenClients.length > 0 && sameSet(givenClients, clients);
  const ipAt = server?.frame == null ? null : layerAt(frames, server.frame, 'ipv4');
  const where =
    server?.frame == null
      ? ''
      : say(
          lang,
          ` (quadro ${server.frame}: IP de origem nos bytes ${ipAt === null ? '?' : `${ipAt + 12}-${ipAt + 15}`})`,
          ` (frame ${server.frame}: source IP at bytes ${ipAt === null ? '?' : `${ipAt + 12}-${ipAt + 15}`})`,
        );
  const clientWhere = answers.B.clients.map(
    (c) => `${c.ip}${c.frame === null ? '' : ` (${say(lang, 'quadro', 'frame')} ${c.frame})`}`,
  );
  return {
    question: 'B',
    score: half(serverOk) + half(clientsOk),
    feedback: say(
      lang,
      `Esperado servidor ${server?.ip ?? '?'}${where} e clientes ${listOf(lang, clientWhere)}; você respondeu servidor ${shown(sheet['B.server_ip'], lang)} e clientes ${shown(sheet['B.client_ips'], lang)}.`,
      `Expected server ${server?.ip ?? '?'}${where} and clients ${listOf(lang, clientWhere)}; you answered server ${shown(sheet['B.server_ip'], lang)} and clients ${shown(sheet['B.client_ips'], lang)}.`,
    ),
  };
}

function gradeC(sheet: AnswerSheet, { answers, frames }: CaptureFacts, lang: GradeLang): QuestionGrade {
  const expected = answers.C.transport;
  const given = readTransport(sheet['C.transport'] ?? '');
  const syn = answers.C.handshake[0] ?? null;
  const ipAt = syn === null ? null : layerAt(frames, syn, 'ipv4');
  const where =
    syn === null
      ? ''
      : say(
          lang,
          ` (handshake nos quadros ${answers.C.handshake.filter((f) => f !== null).join(', ')}; campo Protocol do IPv4 = 6 no byte ${ipAt === null ? '?' : ipAt + 9} do quadro ${syn})`,
          ` (handshake in frames ${answers.C.handshake.filter((f) => f !== null).join(', ')}; IPv4 Protocol field = 6 at byte ${ipAt === null ? '?' : ipAt + 9} of frame ${syn})`,
        );
  return {
    question: 'C',
    score:
      expected !== null && (given === expected || (expected === 'TCP and UDP' && namesBoth(sheet))) ? 1 : 0,
    feedback: say(
      lang,
      `Esperado ${expected ?? '?'}${where}; você respondeu ${shown(sheet['C.transport'], lang)}.`,
      `Expected ${expected ?? '?'}${where}; you answered ${shown(sheet['C.transport'], lang)}.`,
    ),
  };
}

/** A chat over both transports (docs/PROTOCOL.md §10) is answered by naming both. */
function namesBoth(sheet: AnswerSheet): boolean {
  const words: string[] = (sheet['C.transport'] ?? '').toUpperCase().match(/[A-Z]+/g) ?? [];
  return words.includes('TCP') && words.includes('UDP');
}

function gradeD(sheet: AnswerSheet, { answers, frames }: CaptureFacts, lang: GradeLang): QuestionGrade {
  const port = answers.D.serverPort;
  const sources = answers.D.clients.flatMap((c) => c.sourcePorts);
  const givenPort = readNumber(sheet['D.destination_port'] ?? '');
  const givenSources = readNumbers(sheet['D.source_ports'] ?? '');
  const portOk = port !== null && givenPort === port;
  const sourcesOk = givenSources.length > 0 && givenSources.every((p) => sources.includes(p));
  const first = answers.D.clients[0]?.connections[0];
  const tcpAt = first === undefined ? null : layerAt(frames, first.frame, 'tcp');
  const where =
    first === undefined || tcpAt === null
      ? ''
      : say(
          lang,
          ` (no SYN do quadro ${first.frame}: porta de origem nos bytes ${tcpAt}-${tcpAt + 1}, de destino nos bytes ${tcpAt + 2}-${tcpAt + 3})`,
          ` (in the SYN of frame ${first.frame}: source port at bytes ${tcpAt}-${tcpAt + 1}, destination port at bytes ${tcpAt + 2}-${tcpAt + 3})`,
        );
  const perClient = answers.D.clients.map((c) => `${c.name} ${c.sourcePorts.join('/')}`);
  const wrong = givenSources.filter((p) => !sources.includes(p));
  return {
    question: 'D',
    score: half(portOk) + half(sourcesOk),
    feedback: say(
      lang,
      `Esperado destino ${port ?? '?'} e origens ${listOf(lang, perClient)}${where}; você respondeu destino ${shown(sheet['D.destination_port'], lang)} e origens ${shown(sheet['D.source_ports'], lang)}${wrong.length > 0 ? ` (${wrong.join(', ')} não é porta de origem de cliente nesta captura)` : ''}.`,
      `Expected destination ${port ?? '?'} and sources ${listOf(lang, perClient)}${where}; you answered destination ${shown(sheet['D.destination_port'], lang)} and sources ${shown(sheet['D.source_ports'], lang)}${wrong.length > 0 ? ` (${wrong.join(', ')} is no client source port in this capture)` : ''}.`,
    ),
  };
}

function gradeE(sheet: AnswerSheet, { answers, listings }: CaptureFacts, lang: GradeLang): QuestionGrade {
  const payload = listings.segments.filter((s) => s.payloadLength > 0);
  const byFrame = new Map(payload.map((s) => [s.frame, s]));
  const given = [...new Set(readNumbers(sheet['E.frames'] ?? ''))];
  const right = given.filter((f) => byFrame.has(f));
  const wrong = given.filter((f) => !byFrame.has(f));
  const examples = payload
    .slice(0, 3)
    .map((s) => `${s.frame} (${s.payloadLength} B: ${c(shorten(s.messages[0]?.summary ?? '?'))})`);
  const { conformance } = answers.E;
  const conforms =
    answers.A.application === null
      ? say(
          lang,
          'a conformidade com o protocolo não é julgada aqui: nenhuma saudação nomeia a aplicação',
          'conformance to the protocol is not judged here: no greeting names the application',
        )
      : conformance.serverOk
        ? say(lang, 'o servidor seguiu o protocolo em tudo', 'the server followed the protocol throughout')
        : say(
            lang,
            `${conformance.problems.length} problema(s) de protocolo`,
            `${conformance.problems.length} protocol problem(s)`,
          );
  const score = given.length === 0 ? 0 : Math.floor((right.length / given.length) * 4) / 4;
  return {
    question: 'E',
    score,
    feedback: say(
      lang,
      `Esperados quadros com carga útil do chat (${payload.length} nesta captura, ex.: ${examples.join('; ')}; ${conforms}); ${given.length === 0 ? 'você não deu nenhum' : `dos ${given.length} que você deu, ${right.length} levam carga útil`}${wrong.length > 0 ? ` (não levam: ${wrong.slice(0, 8).join(', ')})` : ''}.`,
      `Expected frames carrying chat payload (${payload.length} in this capture, e.g. ${examples.join('; ')}; ${conforms}); ${given.length === 0 ? 'you gave none' : `of the ${given.length} you gave, ${right.length} carry payload`}${wrong.length > 0 ? ` (these do not: ${wrong.slice(0, 8).join(', ')})` : ''}.`,
    ),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
