import type { TcpStream } from '../pcap/index.js';
import type {
  AnswerE,
  ChatMessage,
  Listings,
  MessageKind,
  ReportFraming,
  Segment,
  StreamConversation,
} from './answers.js';
import type { CaptureScan, PayloadSegment } from './capture-scan.js';
import { type ChatTranscript, seconds } from './chat-messages.js';
import { checkConformance } from './conformance.js';
import { printable } from './foreign-decoder.js';
import { checkAgainstDescription, type ProtocolDescription } from './protocol-description.js';
import type { LabIdentity } from './lab-identity.js';

const TURN_LENGTH = 4000;

/** E's listings beside answers.json (JSON Lines), relative to the run folder. */
export const SEGMENTS_FILE = 'segments.jsonl';
export const MESSAGES_FILE = 'messages.jsonl';

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
): { E: AnswerE; listings: Listings } {
  const foreign = framing.framing !== 'chatlab';
  const chatStreams = new Set(lab.chatStreams);
  const firstCopies = new Set<number>();
  for (const stream of lab.chatStreams) {
    for (const direction of [stream.clientToServer, stream.serverToClient]) {
      for (const chunk of direction.chunks)
        if (chunk.frames[0] !== undefined) firstCopies.add(chunk.frames[0]);
    }
  }
  const chatSegments: PayloadSegment[] = [];
  let retransmissions = 0;
  let bytes = 0;
  for (const segment of scan.segments) {
    if (!chatStreams.has(segment.stream)) continue;
    chatSegments.push(segment);
    bytes += segment.payloadLength;
    if (!firstCopies.has(segment.frame)) retransmissions += 1;
  }
  const count = chatSegments.length;
  const firstFrame = chatSegments[0]?.frame ?? null;
  const lastFrame = chatSegments[count - 1]?.frame ?? null;
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
  const kinds: Partial<Record<MessageKind, number>> = {};
  for (const message of chat.messages) kinds[message.kind] = (kinds[message.kind] ?? 0) + 1;
  const E: AnswerE = {
    framing: framing.framing,
    framingFrom: framing.from,
    protocol: foreign && description !== null ? description.file : null,
    conversations: foreign ? lab.chatStreams.map((stream) => conversation(stream, lab)) : [],
    segments: { file: SEGMENTS_FILE, count, retransmissions, bytes, firstFrame, lastFrame },
    messages: { file: MESSAGES_FILE, count: chat.messages.length, kinds },
    conformance: {
      ok: problems.length === 0,
      serverOk: problems.every((p) => p.direction === 'client-to-server'),
      checkedSegments: count,
      checkedMessages: chat.messages.length,
      problems,
    },
  };
  const t0 = scan.firstTimestampNs ?? 0n;
  const listings = new EListings(chat.messages, chatSegments, (segment, messages) => ({
    frame: segment.frame,
    time: seconds(segment.timestampNs - t0),
    stream: segment.stream.id,
    src: { host: lab.nameOf(segment.src.ip), ...segment.src },
    dst: { host: lab.nameOf(segment.dst.ip), ...segment.dst },
    payloadLength: segment.payloadLength,
    messages: messages.map((m) => ({
      id: m.id,
      summary: m.summary,
      complete: m.frame === segment.frame && m.unfinished !== true,
    })),
    retransmission: !firstCopies.has(segment.frame),
    ...(foreign ? payloadOf(segment.stream, segment.frame, segment.fromClient) : {}),
  }));
  return { E, listings };
}

/**
 * E's listings: the messages as decoded, and the segments made one at a time from the scan's (each with
 * the messages whose bytes it carries, found through an index from segment to messages) so that the
 * listing can be streamed without keeping every segment; `segments` builds them all on first use.
 */
class EListings implements Listings {
  #segments: readonly Segment[] | undefined;
  /** Messages of segment i: `#messageIndex[#starts[i]]` up to `#starts[i + 1]`, in id order. */
  #starts: Int32Array | undefined;
  #messageIndex: Int32Array | undefined;
  #segmentOfFrame: Map<number, number> | undefined;

  constructor(
    readonly messages: readonly ChatMessage[],
    private readonly chatSegments: readonly PayloadSegment[],
    private readonly make: (segment: PayloadSegment, messages: ChatMessage[]) => Segment,
  ) {}

  get segments(): readonly Segment[] {
    this.#segments ??= [...this.eachSegment()];
    return this.#segments;
  }

  *eachSegment(): Generator<Segment, void, undefined> {
    if (this.#segments !== undefined) {
      yield* this.#segments;
      return;
    }
    for (let i = 0; i < this.chatSegments.length; i += 1) yield this.#segment(i);
  }

  segmentAt(frame: number): Segment | undefined {
    this.#index();
    const i = this.#segmentOfFrame?.get(frame);
    return i === undefined ? undefined : this.#segment(i);
  }

  #segment(i: number): Segment {
    const [starts, index] = this.#index();
    const carried: ChatMessage[] = [];
    for (let k = starts[i] ?? 0; k < (starts[i + 1] ?? 0); k += 1) {
      const message = this.messages[index[k] ?? 0];
      if (message !== undefined) carried.push(message);
    }
    return this.make(this.chatSegments[i] as PayloadSegment, carried);
  }

  /** Counting sort of (segment, message) pairs: each message's frames, each frame's segment. */
  #index(): [Int32Array, Int32Array] {
    if (this.#starts !== undefined && this.#messageIndex !== undefined)
      return [this.#starts, this.#messageIndex];
    const segmentOfFrame = new Map<number, number>();
    this.chatSegments.forEach((segment, i) => segmentOfFrame.set(segment.frame, i));
    const starts = new Int32Array(this.chatSegments.length + 1);
    for (const message of this.messages)
      for (const frame of message.frames) {
        const i = segmentOfFrame.get(frame);
        if (i !== undefined) starts[i + 1] = (starts[i + 1] ?? 0) + 1;
      }
    for (let i = 1; i < starts.length; i += 1) starts[i] = (starts[i] ?? 0) + (starts[i - 1] ?? 0);
    const index = new Int32Array(starts[starts.length - 1] ?? 0);
    const filled = starts.slice(0, -1);
    this.messages.forEach((message, m) => {
      for (const frame of message.frames) {
        const i = segmentOfFrame.get(frame);
        if (i === undefined) continue;
        index[filled[i] ?? 0] = m;
        filled[i] = (filled[i] ?? 0) + 1;
      }
    });
    this.#segmentOfFrame = segmentOfFrame;
    this.#starts = starts;
    this.#messageIndex = index;
    return [starts, index];
  }
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
