import type { Answers, ChatMessage } from '../analysis/answers.js';
import { b, c, type Section } from './document.js';
import type { Messages } from './i18n/en.js';
import {
  type Participant,
  sequenceMermaid,
  sequenceRowStarts,
  sequenceRows,
  sequenceSvg,
} from './svg-sequence.js';
import { type CommandPaths, tsharkCommands } from './tshark-commands.js';

/** Arrows drawn in the sequence chart (the rest is in messages.jsonl). */
export const SEQUENCE_ROWS = 200;

/** The message sequence chart, the per-host traffic table and the tshark commands. */
export function sectionsExtra(
  answers: Answers,
  m: Messages,
  paths: CommandPaths,
  messages: readonly ChatMessage[],
): Section[] {
  return [sequenceSection(answers, m, messages), hostsSection(answers, m), tsharkSection(answers, m, paths)];
}

function sequenceSection({ B, D, E }: Answers, m: Messages, messages: readonly ChatMessage[]): Section {
  const clientOfStream = new Map<number, string>();
  for (const client of D.clients)
    for (const conn of client.connections) clientOfStream.set(conn.stream, client.name);
  const server = B.server;
  const clients: Participant[] = B.clients.map((cl) => ({ name: cl.name, detail: cl.ip, server: false }));
  const serverParticipant: Participant = {
    name: server?.name ?? 'server',
    detail: `${server?.ip ?? ''}:${D.serverPort ?? ''}`,
    server: true,
  };
  const half = Math.ceil(clients.length / 2);
  const participants =
    clients.length >= 2
      ? [...clients.slice(0, half), serverParticipant, ...clients.slice(half)]
      : [...clients, serverParticipant];
  // Rows are built for the messages of the rows shown only (a capture may have 150,000 messages).
  const { starts, rows } = sequenceRowStarts(messages, SEQUENCE_ROWS + 1);
  const shown = sequenceRows(
    messages.slice(0, starts[SEQUENCE_ROWS] ?? messages.length),
    (stream) => clientOfStream.get(stream) ?? '?',
    serverParticipant.name,
    m.seqData,
  ).slice(0, SEQUENCE_ROWS);
  const blocks: Section['blocks'] = [
    { type: 'p', text: E.framing === 'chatlab' ? m.seqIntro : m.seqIntroForeign },
    ...(shown.length < rows ? [{ type: 'note' as const, text: m.seqLimited(shown.length, rows) }] : []),
    {
      type: 'figure',
      id: 'sequence-diagram',
      caption: m.seqCaption,
      html: sequenceSvg(participants, shown, m.seconds),
      markdown: sequenceMermaid(participants, shown),
    },
  ];
  return { id: 'sequence', title: m.seqTitle, blocks };
}

function hostsSection({ traffic, meta }: Answers, m: Messages): Section {
  const role = { server: m.roleServer, client: m.roleClient, other: m.roleOther };
  return {
    id: 'hosts',
    title: m.hostsTitle,
    blocks: [
      { type: 'p', text: m.hostsIntro(meta.merged.frames, meta.merged.duplicatesRemoved) },
      {
        type: 'table',
        head: m.hostsHead,
        rows: traffic.map((h) => [
          b(h.name),
          role[h.role],
          h.ip === null ? '—' : c(h.ip),
          h.mac === null ? '—' : c(h.mac),
          m.n(h.frames),
          m.n(h.bytes),
          m.n(h.sent.frames),
          m.n(h.received.frames),
          m.n(h.byProtocol.tcp ?? 0),
          m.n(h.byProtocol.udp ?? 0),
          m.n(h.byProtocol.arp ?? 0),
          m.n(h.byProtocol.icmpv6 ?? 0),
          m.n((h.byProtocol.other ?? 0) + (h.byProtocol.icmp ?? 0)),
          m.n(h.chatMessages),
        ]),
        numeric: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
        nowrap: [2, 3],
      },
    ],
  };
}

function tsharkSection(answers: Answers, m: Messages, paths: CommandPaths): Section {
  return {
    id: 'tshark',
    title: m.tsharkTitle,
    blocks: [
      { type: 'p', text: answers.E.framing === 'chatlab' ? m.tsharkIntro : m.tsharkIntroForeign },
      {
        type: 'commands',
        items: tsharkCommands(answers, paths).map((cmd) => ({
          purpose: `${b(cmd.question === 'hosts' ? m.hostsTitle : cmd.question)}: ${m.commandPurpose[cmd.key]}`,
          command: cmd.command,
        })),
      },
    ],
  };
}
