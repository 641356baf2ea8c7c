import type { Answers } from '../analysis/answers.js';
import { b, type Block, c, type Section } from './document.js';
import type { Messages } from './i18n/en.js';

/** Sections A-D: application, addresses, transport, ports. */
export function sectionsAToD(answers: Answers, m: Messages): Section[] {
  return [sectionA(answers, m), sectionB(answers, m), sectionC(answers, m), sectionD(answers, m)];
}

function sectionA({ A, C, D, E }: Answers, m: Messages): Section {
  const base = { id: 'answer-a', title: m.aTitle, question: m.aQuestion };
  const foreign = E.framing !== 'chatlab';
  if (A.application === null || A.frame === null) {
    if (!foreign && C.transport === 'UDP')
      return { ...base, answer: m.aOverUdp(C.firstDatagram, D.serverPort), tone: 'warn', blocks: [] };
    if (!foreign) return { ...base, answer: m.aMissing, tone: 'warn', blocks: [] };
    return {
      ...base,
      answer: m.aNotNamed(C.transport ?? 'TCP', D.serverPort),
      tone: 'warn',
      blocks: [
        ...(A.client === undefined
          ? []
          : ([
              {
                type: 'p',
                text: m.aClientNamed(A.client.application, A.client.version, A.client.frame),
              },
              { type: 'code', text: A.client.payload },
            ] satisfies Block[])),
        { type: 'p', text: m.aNotNamedHow },
        { type: 'p', text: m.aWhy },
      ],
    };
  }
  const client = D.clients.find((cl) => cl.connections.some((conn) => conn.stream === A.stream));
  const who = client === undefined ? '' : b(client.name);
  const evidence =
    A.source !== null && A.source !== 'chatlab-hello'
      ? (m.aForeignEvidence[A.source]?.(A.frame, who, A.payloadOffset) ?? '')
      : m.aEvidence(A.frame, who, A.payloadOffset);
  const blocks: Block[] = [
    { type: 'p', text: evidence },
    { type: 'code', text: A.payload ?? '' },
    { type: 'p', text: m.aWhy },
  ];
  return { ...base, answer: m.aAnswer(A.application, A.version ?? '?', A.protocol), blocks };
}

function sectionB({ B }: Answers, m: Messages): Section {
  const base = { id: 'answer-b', title: m.bTitle, question: m.bQuestion };
  if (B.server === null) return { ...base, answer: m.cNoChat, blocks: [] };
  const row = (h: { name: string; ip: string; mac: string | null; frame: number | null }, role: string) => [
    b(h.name),
    role,
    c(h.ip),
    h.mac === null ? '—' : c(h.mac),
    m.frame(h.frame),
  ];
  const rows = [row(B.server, m.roleServer), ...B.clients.map((cl) => row(cl, m.roleClient))];
  const blocks: Block[] = [
    { type: 'table', head: m.bHead, rows },
    { type: 'p', text: m.bHow },
  ];
  const shared = B.clients.find((cl) => cl.ip === B.server?.ip);
  if (shared !== undefined) blocks.push({ type: 'note', text: m.bShared(shared.ip) });
  return {
    ...base,
    answer: m.bAnswer(
      B.server.ip,
      B.clients.map((cl) => `${cl.name} ${b(cl.ip)}`),
    ),
    blocks,
  };
}

function sectionC({ C }: Answers, m: Messages): Section {
  const base = { id: 'answer-c', title: m.cTitle, question: m.cQuestion };
  const rows = [
    ['TCP', m.n(C.counts.tcp), m.cWhat.tcp ?? ''],
    ['UDP', m.n(C.counts.udp), m.cWhat.udp ?? ''],
    ...Object.entries(C.otherByProtocol).map(([protocol, count]) => [
      protocol.toUpperCase().replace('V6', 'v6').replace('V4', 'v4'),
      m.n(count),
      m.cWhat[protocol] ?? m.cWhat.other ?? '',
    ]),
  ];
  const blocks: Block[] = [{ type: 'table', head: m.cHead, rows, numeric: [1] }];
  if (C.transport !== 'UDP') blocks.push({ type: 'p', text: m.cHow(C.handshake) });
  if (C.chatDatagrams > 0) blocks.push({ type: 'p', text: m.cHowUdp(C.firstDatagram) });
  if (C.counts.other + C.counts.udp - C.chatDatagrams > 0)
    blocks.push({ type: 'p', text: C.chatDatagrams > 0 ? m.cOtherChat : m.cOther });
  const clients = new Set(C.conversations.filter((x) => x.chat).map((x) => x.client.ip));
  blocks.push({
    type: 'table',
    caption: m.cConversationsTitle,
    head: m.cConversationsHead,
    rows: C.conversations.map((x) => [
      x.transport,
      `${b(x.client.host)} ${c(`${x.client.ip}:${x.client.port}`)}`,
      `${b(x.server.host)} ${c(`${x.server.ip}:${x.server.port}`)}`,
      m.frame(x.firstFrame),
      m.n(x.frames),
      x.bytes === null ? '—' : `${m.n(x.bytes.toServer)}, ${m.n(x.bytes.toClient)}`,
      x.chat
        ? m.cConversationChat
        : clients.has(x.client.ip) && clients.has(x.server.ip)
          ? m.cConversationPeer
          : m.cConversationOther,
    ]),
    numeric: [3, 4],
  });
  const answer =
    C.transport === null
      ? m.cNoChat
      : C.transport === 'UDP'
        ? m.cAnswerUdp(C.chatDatagrams)
        : C.transport === 'TCP and UDP'
          ? m.cAnswerBoth(C.chatFrames - C.chatDatagrams, C.chatDatagrams)
          : m.cAnswer(C.chatFrames);
  return { ...base, answer, blocks };
}

function sectionD({ D }: Answers, m: Messages): Section {
  const base = { id: 'answer-d', title: m.dTitle, question: m.dQuestion };
  if (D.serverPort === null) return { ...base, answer: m.cNoChat, blocks: [] };
  const rows = D.clients.flatMap((client) =>
    client.connections.map((conn) => [
      b(client.name),
      c(client.ip),
      c(conn.sourcePort),
      c(D.serverPort ?? ''),
      conn.transport === 'UDP' ? m.dUdpStream : `${conn.stream}${conn.http ? ` (${m.dHttp})` : ''}`,
      m.frame(conn.frame),
    ]),
  );
  return {
    ...base,
    answer: m.dAnswer(
      D.serverPort,
      D.clients.map((cl) => m.dClient(cl.name, cl.sourcePorts)),
    ),
    blocks: [
      { type: 'table', head: m.dHead, rows },
      { type: 'p', text: m.dHow },
      ...(D.clients.some((cl) => cl.connections.some((conn) => conn.transport === 'UDP'))
        ? [{ type: 'p' as const, text: m.dHowUdp }]
        : []),
    ],
  };
}
