import type { Answers, ChatMessage, Listings, Segment } from '../analysis/answers.js';
import { type Block, c, type Section } from './document.js';
import type { Messages } from './i18n/en.js';
import { sectionEForeign } from './section-e-foreign.js';

/** Rows of the segments table in the report (segments.jsonl has them all). */
export const SEGMENT_ROWS = 150;

/** The first `count` segments of E's listing. */
export function firstSegments(listings: Listings, count: number): Segment[] {
  const shown: Segment[] = [];
  if (count <= 0) return shown;
  for (const segment of listings.eachSegment()) if (shown.push(segment) >= count) break;
  return shown;
}

/**
 * E's table of the first SEGMENT_ROWS segments: frame, time, hosts, ports and length, then the columns the
 * caller adds for each segment (chatlab's messages, or a foreign protocol's text and bytes).
 */
export function segmentsTable(
  m: Messages,
  listings: Listings,
  total: number,
  head: readonly string[],
  more: (segment: Segment) => string[],
): Block {
  const shown = firstSegments(listings, SEGMENT_ROWS);
  return {
    type: 'table',
    caption: m.eSegmentsTitle(shown.length, total),
    head,
    rows: shown.map((s) => [
      String(s.frame),
      s.time.toFixed(6),
      `${s.src.host} → ${s.dst.host}`,
      c(`${s.src.port} → ${s.dst.port}`),
      m.n(s.payloadLength),
      ...more(s),
    ]),
    numeric: [0, 1, 4],
    nowrap: [2, 3],
  };
}

/**
 * The first segment that completes more than one message (messages glued in one segment): the frame
 * where two messages end first, since the messages are in the order of the frames that complete them.
 */
export function firstJoined(listings: Listings): Segment | undefined {
  let previous = 0;
  for (const message of listings.messages) {
    if (message.unfinished === true) continue;
    if (message.frame === previous) return listings.segmentAt(message.frame);
    previous = message.frame;
  }
  return undefined;
}

/** Section E: the payload, decoded, and its conformance to the protocol. */
export function sectionE(answers: Answers, m: Messages, listings: Listings): Section {
  const { E } = answers;
  if (E.framing !== 'chatlab') return sectionEForeign(answers, m, listings);
  const { conformance } = E;
  const { messages } = listings;
  const answer = conformance.ok
    ? m.eAnswerOk(E.messages.count, E.segments.count)
    : m.eAnswerProblems(E.messages.count, E.segments.count, conformance.problems.length);
  const blocks: Block[] = [{ type: 'p', text: m.eHow }];
  const { C } = answers;
  if (C.chatDatagrams > 0) blocks.push({ type: 'note', text: m.eOverUdp(C.chatDatagrams) });
  blocks.push({ type: 'p', text: m.eKinds }, { type: 'list', items: kinds(messages, m) });
  const split = messages.find((msg) => msg.frames.length > 1 && msg.kind !== 'http');
  if (split !== undefined) blocks.push({ type: 'p', text: m.eSplit(split.summary, split.frames) });
  const joined = firstJoined(listings);
  if (joined !== undefined) {
    blocks.push({ type: 'p', text: m.eJoined(joined.frame, joined.messages.length) });
  }
  if (conformance.problems.length > 0) {
    blocks.push({
      type: 'table',
      caption: m.eProblemsTitle,
      head: m.eProblemsHead,
      rows: conformance.problems.map((p) => [
        String(p.frame),
        String(p.stream),
        p.direction === 'client-to-server' ? m.roleClient : m.roleServer,
        m.problem[p.code]?.(p.detail) ?? p.text,
        p.answer === null ? '—' : m.eServerAnswer(p.answer.frame, p.answer.status, p.answer.code),
      ]),
      numeric: [0, 1],
      nowrap: [4],
    });
    if (conformance.problems.some((p) => p.answer !== null))
      blocks.push({ type: 'note', text: m.eProblemsNote });
  }
  blocks.push(
    segmentsTable(m, listings, E.segments.count, m.eSegmentsHead, (s) => [
      [
        ...s.messages.map((x) => `${c(x.summary)}${x.complete ? '' : ` ${m.eContinues}`}`),
        ...(s.retransmission ? [m.eRetransmission] : []),
      ].join(' '),
    ]),
  );
  const tone = conformance.ok ? 'ok' : 'warn';
  return { id: 'answer-e', title: m.eTitle, question: m.eQuestion, answer, tone, blocks };
}

function kinds(messages: readonly ChatMessage[], m: Messages): string[] {
  // One pass over the messages (there may be 150,000): each kind's count, and its verbs, statuses, events.
  const tally = (): Map<string, number> => new Map<string, number>();
  const requests = tally();
  const replies = tally();
  const events = tally();
  let requestCount = 0;
  let replyCount = 0;
  let eventCount = 0;
  let dataCount = 0;
  let dataBytes = 0;
  let httpCount = 0;
  let malformedCount = 0;
  const add = (counts: Map<string, number>, value: string | number | undefined): void => {
    const key = String(value);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const msg of messages) {
    switch (msg.kind) {
      case 'request':
        requestCount += 1;
        add(requests, msg.verb);
        break;
      case 'reply':
        replyCount += 1;
        add(replies, msg.status);
        break;
      case 'event':
        eventCount += 1;
        add(events, msg.event);
        break;
      case 'data':
        dataCount += 1;
        dataBytes += msg.dataLength ?? 0;
        break;
      case 'http':
        httpCount += 1;
        break;
      case 'malformed':
        malformedCount += 1;
        break;
      default:
        break;
    }
  }
  const counted = (counts: Map<string, number>): string =>
    [...counts].map(([v, count]) => (count === 1 ? c(v) : `${c(v)} ×${count}`)).join(', ');
  const items: string[] = [];
  if (requestCount > 0) items.push(m.eKindRequests(requestCount, counted(requests)));
  if (replyCount > 0) items.push(m.eKindReplies(replyCount, counted(replies)));
  if (eventCount > 0) items.push(m.eKindEvents(eventCount, counted(events)));
  if (dataCount > 0) items.push(m.eKindData(dataCount, dataBytes));
  if (httpCount > 0) items.push(m.eKindHttp(httpCount));
  if (malformedCount > 0) items.push(m.eKindMalformed(malformedCount));
  return items;
}
