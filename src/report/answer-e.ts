import type { AnswerE, ChatMessage, Segment } from './answers.js';
import type { CaptureScan } from './capture-scan.js';
import { type ChatTranscript, seconds } from './chat-messages.js';
import { checkConformance } from './conformance.js';
import type { LabIdentity } from './lab-identity.js';

/**
 * E: every TCP segment with payload between a client and the server's chat port, the messages whose
 * bytes it carries, and the conformance of every message to docs/PROTOCOL.md.
 */
export function buildAnswerE(scan: CaptureScan, lab: LabIdentity, chat: ChatTranscript): AnswerE {
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
        complete: m.frame === segment.frame,
      })),
      retransmission: !firstCopies.has(segment.frame),
    });
  }
  const problems = checkConformance(
    chat.messages.map((message) => {
      const body = chat.bodies.get(message.id);
      return body === undefined ? { message } : { message, body };
    }),
    chat.gaps,
  );
  return {
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
