import type { ReportDocument } from '../report/document/document.js';
import { c } from '../report/document/document.js';
import { QUESTIONS, SHEET_FILE } from './answer-sheet.js';
import { type GradeLang, listOf, say } from './question-grade.js';
import { questionText } from './questions-text.js';
import type { Student } from './roster.js';
import { clientIp, type Variant } from './variant.js';

/** A student's handout: their lab, how to start it, what to capture and hand in, and the questions. */
export function handoutDocument(student: Student, variant: Variant, lang: GradeLang): ReportDocument {
  const s = (pt: string, en: string): string => say(lang, pt, en);
  const lab = variant.lab ?? null;
  const labFlag = lab === null ? '' : ` --lab ${lab.folder}`;
  const hosts = [
    ['server', variant.serverIp, s('servidor', 'server')],
    ...variant.clients.map((name, i) => [name, clientIp(variant, i), s('cliente', 'client')]),
  ];
  return {
    lang,
    title: s(`Lab de chat: a variante de ${student.name}`, `Chat lab: ${student.name}'s variant`),
    intro: [
      {
        type: 'p',
        text: s(
          `Cada aluno tem a sua própria rede. A sua (${c(student.id)}) é a sub-rede ${c(variant.subnet)}, o servidor em ${c(variant.serverIp)} na porta ${c(variant.port)}, e os clientes ${listOf(lang, variant.clients.map(c))}. Responda sobre a SUA captura: as respostas são conferidas com ela.`,
          `Every student has a network of their own. Yours (${c(student.id)}) is subnet ${c(variant.subnet)}, the server at ${c(variant.serverIp)} on port ${c(variant.port)}, and the clients ${listOf(lang, variant.clients.map(c))}. Answer about YOUR capture: the answers are checked against it.`,
        ),
      },
    ],
    summaryTitle: s('Os hosts da sua variante', "Your variant's hosts"),
    summary: { head: [s('host', 'host'), 'IP', s('papel', 'role')], rows: hosts },
    sections: [
      {
        id: 'start',
        title: s('1. Suba a sua variante e capture', '1. Start your variant and capture'),
        blocks: [
          {
            type: 'commands',
            items: [
              {
                purpose:
                  lab === null
                    ? s(
                        'Sobe o lab da sua variante, roda a conversa (as suas mensagens e o seu arquivo) com tcpdump em cada host e escreve o relatório:',
                        "Starts your variant's lab, runs the conversation (your messages and your file) with tcpdump on every host, and writes the report:",
                      )
                    : s(
                        `Sobe o lab ${c(lab.name)} (pasta ${c(lab.folder)}) na sua variante, roda o cenário dele com tcpdump em cada host e escreve o relatório:`,
                        `Starts the lab ${c(lab.name)} (folder ${c(lab.folder)}) in your variant, runs its scenario with tcpdump on every host, and writes the report:`,
                      ),
                command: `npm run demo --${labFlag} --variant variant.json`,
              },
              {
                purpose: s(
                  'Ou suba só o lab e converse à mão (capture no eth0 de cada host):',
                  "Or start the lab alone and chat by hand (capture on each host's eth0):",
                ),
                command: `npm run lab:up --${labFlag} --subnet ${variant.subnet} --server-ip ${variant.serverIp} --first-client-ip ${variant.firstClientIp} --clients ${variant.clients.join(',')} --port ${variant.port}`,
              },
            ],
          },
          {
            type: 'list',
            items:
              lab !== null
                ? [
                    s(
                      `O cenário do lab diz o que os clientes ${listOf(lang, variant.clients.map(c))} conversam; numa conversa à mão, use esses nomes.`,
                      `The lab's scenario says what the clients ${listOf(lang, variant.clients.map(c))} say; chatting by hand, use those names.`,
                    ),
                  ]
                : [
                    s(
                      `Sala: ${c(`#${variant.texts.room}`)}; mensagens: ${variant.texts.messages.map(c).join(' / ')}`,
                      `Room: ${c(`#${variant.texts.room}`)}; messages: ${variant.texts.messages.map(c).join(' / ')}`,
                    ),
                    s(
                      `Mensagem direta de ${variant.clients[0] ?? ''}: ${c(variant.texts.direct)}`,
                      `Direct message from ${variant.clients[0] ?? ''}: ${c(variant.texts.direct)}`,
                    ),
                    s(
                      `Arquivo enviado de ${variant.clients[0] ?? ''} para ${variant.clients[1] ?? ''}: ${c(variant.file.name)}`,
                      `File sent from ${variant.clients[0] ?? ''} to ${variant.clients[1] ?? ''}: ${c(variant.file.name)}`,
                    ),
                  ],
          },
        ],
      },
      {
        id: 'hand-in',
        title: s('2. O que entregar', '2. What to hand in'),
        blocks: [
          {
            type: 'list',
            items: [
              s(
                `Uma pasta ${c(`${student.id}/`)} com a captura do servidor (${c('server.pcap')}, captura no ${c('eth0')}, com cabeçalho Ethernet; o demo a grava em ${c('report/runs/latest/captures/server.pcap')}) e a folha ${c(SHEET_FILE)} preenchida.`,
                `A folder ${c(`${student.id}/`)} holding the server's capture (${c('server.pcap')}, captured on ${c('eth0')}, with Ethernet headers; the demo writes it to ${c('report/runs/latest/captures/server.pcap')}) and the filled sheet ${c(SHEET_FILE)}.`,
              ),
              s(
                `Os números de quadro que você escrever são os do arquivo que entregar, como o Wireshark os numera (se entregar várias capturas, os de ${c('merged.pcapng')} que ${c('npm run report')} escreve).`,
                `Frame numbers you write are those of the file you hand in, as Wireshark numbers them (hand in several captures and they are those of the ${c('merged.pcapng')} that ${c('npm run report')} writes).`,
              ),
              s(
                'Faixas de bytes: início-fim, os dois incluídos, a partir do byte 0 do quadro.',
                'Byte ranges: start-end, both included, from byte 0 of the frame.',
              ),
            ],
          },
        ],
      },
      ...QUESTIONS.map((q) => ({
        id: `question-${q.toLowerCase()}`,
        title: s(`Questão ${q}`, `Question ${q}`),
        question: questionText(q, lang),
        blocks: [],
      })),
    ],
    footer: s(
      `variante de ${student.id}, gerada por chatlab assign`,
      `${student.id}'s variant, made by chatlab assign`,
    ),
  };
}
