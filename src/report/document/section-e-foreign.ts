import type { Answers, ChatMessage, Listings } from '../analysis/answers.js';
import { type Block, c, type Section } from './document.js';
import type { Messages } from './i18n/en.js';
import { firstJoined, segmentsTable } from './section-e.js';

const HEX_SHOWN = 96;
const TEXT_SHOWN = 160;

/**
 * Section E for any application but chatlab: every segment's payload as text and hex, each connection's
 * reassembled conversation, and what the messages were; nothing judged against docs/PROTOCOL.md.
 */
export function sectionEForeign({ E }: Answers, m: Messages, listings: Listings): Section {
  const { messages } = listings;
  const framing = m.eFraming[E.framing] ?? E.framing;
  const blocks: Block[] = [
    { type: 'p', text: m.eForeignHow(framing, m.eFramingFrom[E.framingFrom] ?? E.framingFrom) },
    { type: 'p', text: m.eKinds },
    { type: 'list', items: [m.eKindText(messages.length, commands(messages))] },
  ];
  const split = messages.find((msg) => msg.frames.length > 1);
  if (split !== undefined) blocks.push({ type: 'p', text: m.eSplit(split.summary, split.frames) });
  const joined = firstJoined(listings);
  if (joined !== undefined) {
    blocks.push({ type: 'p', text: m.eJoined(joined.frame, joined.messages.length) });
  }
  const unfinished = messages.find((msg) => msg.unfinished === true);
  if (unfinished !== undefined)
    blocks.push({ type: 'p', text: m.eUnfinished(unfinished.summary, unfinished.frame) });
  const { problems } = E.conformance;
  if (problems.length > 0) {
    blocks.push({
      type: 'table',
      caption: m.eProblemsTitle,
      head: m.eProblemsHead.slice(0, 4),
      rows: problems.map((p) => [
        String(p.frame),
        String(p.stream),
        p.direction === 'client-to-server' ? m.roleClient : m.roleServer,
        m.problem[p.code]?.(p.detail) ?? p.text,
      ]),
      numeric: [0, 1],
    });
  }
  for (const conversation of E.conversations) {
    const side = (d: ChatMessage['direction']) =>
      d === 'client-to-server' ? conversation.client.host : conversation.server.host;
    blocks.push({
      type: 'code',
      caption: m.eConversationTitle(
        conversation.stream,
        `${conversation.client.host} ${conversation.client.ip}:${conversation.client.port}`,
        `${conversation.server.host} ${conversation.server.ip}:${conversation.server.port}`,
      ),
      text: conversation.turns
        .map((t) => `[${m.frame(t.frame)}] ${side(t.direction)}: ${lines(t.text)}`)
        .join('\n'),
    });
  }
  blocks.push(
    segmentsTable(m, listings, E.segments.count, m.eSegmentsHeadForeign, (s) => [
      [c(cut(s.payloadText ?? '', TEXT_SHOWN)), ...(s.retransmission ? [m.eRetransmission] : [])].join(' '),
      c(cut(s.payloadHex ?? '', HEX_SHOWN)),
    ]),
  );
  const base = { id: 'answer-e', title: m.eTitle, question: m.eQuestion, blocks };
  if (E.protocol === null)
    return { ...base, answer: m.eAnswerForeign(E.messages.count, E.segments.count, framing) };
  return problems.length === 0
    ? { ...base, answer: m.eProtocolOk(E.messages.count, E.protocol), tone: 'ok' }
    : { ...base, answer: m.eProtocolProblems(E.messages.count, problems.length, E.protocol), tone: 'warn' };
}

/** The IRC commands (or first words) sent, counted: `PRIVMSG ×5, JOIN ×2`. */
function commands(messages: readonly ChatMessage[]): string {
  const counts = new Map<string, number>();
  for (const message of messages) {
    const word = message.verb ?? message.summary.split(' ')[0] ?? '';
    if (!message.verb && !/^\/\w+$/.test(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([w, count]) => (count === 1 ? c(w) : `${c(w)} ×${count}`))
    .join(', ');
}

/** One line of the block per line sent (after each \x0a), continuation lines indented. */
function lines(text: string): string {
  return text.replace(/\\x0a(?!$)/g, '\\x0a\n    ');
}

function cut(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
