import type { ChatMessage, ReportFraming } from './answers.js';
import { type ChatItem, decodeChatStream, type StreamGap } from './chat-decoder.js';
import type { CaptureScan } from './capture-scan.js';
import { decodeForeignStream } from './foreign-decoder.js';
import type { ChatEndpoints } from './chat-endpoints.js';

export interface ChatTranscript {
  /** Every decoded message of every chat connection, in capture order, ids counting from 1. */
  readonly messages: readonly ChatMessage[];
  /** Parsed JSON bodies of replies and of HELLO events, by message id. */
  readonly bodies: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
  readonly gaps: readonly StreamGap[];
}

/**
 * Decodes every connection to the chat server and orders the messages as the capture shows them: with
 * chatlab's FrameDecoder, or cut by another framing (foreign-decoder.ts) for any other application.
 */
export function decodeChat(
  scan: CaptureScan,
  endpoints: ChatEndpoints,
  framing: ReportFraming = 'chatlab',
): ChatTranscript {
  const t0 = scan.firstTimestampNs ?? 0n;
  const timeOf = (frame: number): bigint => scan.timestampNs(frame) ?? t0;
  const items: ChatItem[] = [];
  const gaps: StreamGap[] = [];
  for (const stream of [...endpoints.chatStreams, ...endpoints.datagramStreams]) {
    const decoded =
      framing === 'chatlab' ? decodeChatStream(stream, timeOf) : decodeForeignStream(stream, framing, timeOf);
    for (const item of decoded.items) items.push(item);
    gaps.push(...decoded.gaps);
  }
  items.sort(
    (a, b) =>
      a.message.frame - b.message.frame ||
      a.message.stream - b.message.stream ||
      a.message.start - b.message.start,
  );
  const bodies = new Map<number, Readonly<Record<string, unknown>>>();
  const messages = items.map((item, i): ChatMessage => {
    const id = i + 1;
    if (item.body !== undefined) bodies.set(id, item.body);
    // The decoders leave id and time at 0 for here: set in place, not copied (150,000 messages on 100 MB).
    const message = item.message as { id: number; time: number };
    message.id = id;
    message.time = seconds(item.timestampNs - t0);
    return item.message;
  });
  return { messages, bodies, gaps };
}

/** Seconds, to the microsecond. */
export function seconds(ns: bigint): number {
  return Number(ns / 1000n) / 1e6;
}
