import type { TcpStream } from '../pcap/index.js';
import type { AnswerE, ChatMessage, ReportFraming, Segment, StreamConversation } from './answers.js';
import type { CaptureScan } from './capture-scan.js';
import { type ChatTranscript, seconds } from './chat-messages.js';
import { checkConformance } from './conformance.js';
import { printable } from './foreign-decoder.js';
import { checkAgainstDescription, type ProtocolDescription } from './protocol-description.js';
import type { LabIdentity } from './lab-identity.js';

const TURN_LENGTH = 4000;

/**
 * E: every TCP segment with payload between a client and the server's chat port, the messages whose
 * bytes it carries, and the conformance of every message to docs/PROTOCOL.md (chatlab's framing only: any
 * other application's payload is shown, text and hex, with each connection's conversation, and not judged).
 */
export function buildAnswerE(
  scan: CaptureScan,
  lab: LabIdentity,
  chat: ChatTranscript,
  framing: { framing: ReportFraming; from: AnswerE['framingFrom'] } = { framing: 'chatlab', from: 'capture' },
  description: ProtocolDescription | null = null,
): AnswerE {
  const foreign = framing.framing !== 'chatlab';
  const chatStreams = new Set(lab.chatStreams);
  const firstCopies = new Set<number>();
  for (const stream of lab.chatStreams) {
    for (const direction of [stream.clientToServer, stream.serverToClient]) {
      for (const chunk of direction.chunks)
        if (chunk.frames[0] !== undefined) firstCopies.add(chunk.frames[0]);
    }
  }
  const byFrame = new Map<number, ChatMessage[]>();
  for (const message of chat.messages) {
    for (const frame of message.frames) {
      const list = byFrame.get(frame);
      if (list === undefined) byFrame.set(frame, [message]);
      else list.push(message);
    }
  }
  const t0 = scan.firstTimestampNs ?? 0n;
  const segments: Segment[] = [];
  for (const segment of scan.segments) {
    if (!chatStreams.has(segment.stream)) continue;
    segments.push({
      frame: segment.frame,
      time: seconds(segment.timestampNs - t0),
      stream: segment.stream.id,
      src: { host: lab.nameOf(segment.src.ip), ...segment.src },
      dst: { host: lab.nameOf(segment.dst.ip), ...segment.dst },
      payloadLength: segment.payloadLength,
      messages: (byFrame.get(segment.frame) ?? []).map((m) => ({
        id: m.id,
        summary: m.summary,
        complete: m.frame === segment.frame && m.unfinished !== true,
      })),
      retransmission: !firstCopies.has(segment.frame),
      ...(foreign ? payloadOf(segment.stream, segment.frame, segment.fromClient) : {}),
    });
  }
  const byId = new Map(lab.chatStreams.map((s) => [s.id, s]));
  const textOf = (message: ChatMessage): string => {
    const body = byId.get(message.stream)?.direction(message.direction).read(message.start, message.end);
    return body === undefined ? '' : body.subarray(framing.framing === 'length' ? 4 : 0).toString('utf8');
  };
  const problems = foreign
    ? description === null
      ? []
      : checkAgainstDescription(chat.messages, description, textOf)
    : checkConformance(
        chat.messages.map((message) => {
          const body = chat.bodies.get(message.id);
          return body === undefined ? { message } : { message, body };
        }),
        chat.gaps,
      );
  return {
    framing: framing.framing,
    framingFrom: framing.from,
    protocol: foreign && description !== null ? description.file : null,
    conversations: foreign ? lab.chatStreams.map((stream) => conversation(stream, lab)) : [],
    segments,
    messages: chat.messages,
    conformance: {
      ok: problems.length === 0,
      serverOk: problems.every((p) => p.direction === 'client-to-server'),
      checkedSegments: segments.length,
      checkedMessages: chat.messages.length,
      problems,
    },
  };
}

function payloadOf(
  stream: TcpStream,
  frame: number,
  fromClient: boolean,
): { payloadText?: string; payloadHex?: string } {
  const chunk = (fromClient ? stream.clientToServer : stream.serverToClient).chunks.find(
    (c) => c.frames[0] === frame,
  );
  if (chunk === undefined) return {};
  return { payloadText: printable(chunk.data), payloadHex: chunk.data.toString('hex') };
}

/** A connection's bytes in the order they travelled, one turn per segment (retransmitted copies once). */
function conversation(stream: TcpStream, lab: LabIdentity): StreamConversation {
  const chunks = [
    ...stream.clientToServer.chunks.map((c) => ({ direction: 'client-to-server' as const, c })),
    ...stream.serverToClient.chunks.map((c) => ({ direction: 'server-to-client' as const, c })),
  ].sort((a, b) => (a.c.frames[0] ?? 0) - (b.c.frames[0] ?? 0));
  const turns: {
    direction: StreamConversation['turns'][number]['direction'];
    frame: number;
    text: string;
  }[] = [];
  for (const { direction, c } of chunks) {
    turns.push({ direction, frame: c.frames[0] ?? 0, text: printable(c.data).slice(0, TURN_LENGTH) });
  }
  return {
    stream: stream.id,
    client: { host: lab.nameOf(stream.client.ip), ...stream.client },
    server: { host: lab.nameOf(stream.server.ip), ...stream.server },
    turns,
  };
}
