import type { TcpStream } from '../../pcap/index.js';
import type {
  AnswerE,
  ChatMessage,
  Endpoint,
  Listings,
  MessageKind,
  ReportFraming,
  Segment,
  StreamConversation,
} from './answers.js';
import type { CaptureScan } from './capture-scan.js';
import { type ChatTranscript, seconds } from './chat-messages.js';
import { checkConformance } from './conformance.js';
import { printable } from './foreign-decoder.js';
import { checkAgainstDescription, type ProtocolDescription } from './protocol-description.js';
import type { ChatEndpoints } from './chat-endpoints.js';

const TURN_LENGTH = 4000;

/**
 * E: every TCP segment with payload between a client and the server's chat port, the messages whose
 * bytes it carries, and the conformance of every message to docs/PROTOCOL.md (chatlab's framing only: any
 * other application's payload is shown, text and hex, with each connection's conversation, and not judged).
 */
export function buildAnswerE(
  scan: CaptureScan,
  endpoints: ChatEndpoints,
  chat: ChatTranscript,
  framing: { framing: ReportFraming; from: AnswerE['framingFrom'] } = { framing: 'chatlab', from: 'capture' },
  description: ProtocolDescription | null = null,
): { E: AnswerE; listings: Listings; carriesOnlyOne: (frame: number) => boolean } {
  const foreign = framing.framing !== 'chatlab';
  const chatStreams = new Set(endpoints.chatStreams.map((s) => s.id));
  // Frames whose bytes were the first copy of some (a byte per frame of the capture, not a Set).
  const firstCopy = new Uint8Array(scan.frameCount + 1);
  for (const stream of endpoints.chatStreams) {
    for (const direction of [stream.clientToServer, stream.serverToClient]) {
      for (const chunk of direction.chunks) firstCopy[chunk.frames[0] ?? 0] = 1;
    }
  }
  const firstCopies = { has: (frame: number): boolean => firstCopy[frame] === 1 };
  const all = scan.segments;
  const rows: number[] = [];
  let retransmissions = 0;
  let bytes = 0;
  for (let i = 0; i < all.length; i += 1) {
    if (!chatStreams.has(all.stream[i] ?? -1)) continue;
    rows.push(i);
    bytes += all.payloadLength[i] ?? 0;
    if (!firstCopies.has(all.frame[i] ?? 0)) retransmissions += 1;
  }
  const count = rows.length;
  const firstFrame = count === 0 ? null : (all.frame[rows[0] ?? 0] ?? null);
  const lastFrame = count === 0 ? null : (all.frame[rows[count - 1] ?? 0] ?? null);
  const byId = new Map([...endpoints.chatStreams, ...endpoints.datagramStreams].map((s) => [s.id, s]));
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
    conversations: foreign ? endpoints.chatStreams.map((stream) => conversation(stream, endpoints)) : [],
    // The listings' files are named by writeReport when it writes them.
    segments: { file: null, count, retransmissions, bytes, firstFrame, lastFrame },
    messages: { file: null, count: chat.messages.length, kinds },
    conformance: {
      ok: problems.length === 0,
      serverOk: problems.every((p) => p.direction === 'client-to-server'),
      checkedSegments: count,
      checkedMessages: chat.messages.length,
      problems,
    },
  };
  const t0 = scan.firstTimestampNs ?? 0n;
  const streams = scan.reassembler.streams;
  // Every endpoint once, with its host's name: the segments share them.
  const streamEnds = new Map<TcpStream, [Endpoint, Endpoint]>();
  for (const stream of endpoints.chatStreams) {
    streamEnds.set(stream, [
      { host: endpoints.nameOf(stream.client.ip), ip: stream.client.ip, port: stream.client.port },
      { host: endpoints.nameOf(stream.server.ip), ip: stream.server.ip, port: stream.server.port },
    ]);
  }
  const make = (i: number, messages: readonly ChatMessage[]): Segment => {
    const frame = all.frame[i] ?? 0;
    const stream = streams[all.stream[i] ?? 0] as TcpStream;
    const fromClient = all.fromClient[i] === 1;
    const [client, server] = streamEnds.get(stream) as [Endpoint, Endpoint];
    const segment: Segment = {
      frame,
      time: seconds((scan.timestampNs(frame) ?? t0) - t0),
      stream: stream.id,
      src: fromClient ? client : server,
      dst: fromClient ? server : client,
      payloadLength: all.payloadLength[i] ?? 0,
      messages: messages.map((m) => ({
        id: m.id,
        summary: m.summary,
        complete: m.frame === frame && m.unfinished !== true,
      })),
      retransmission: !firstCopies.has(frame),
    };
    return foreign ? { ...segment, ...payloadOf(stream, frame, fromClient) } : segment;
  };
  const listings = new EListings(
    chat.messages,
    Int32Array.from(rows, (i) => all.frame[i] ?? 0),
    (k, m) => make(rows[k] ?? 0, m),
  );
  // A datagram of the chat over UDP (docs/PROTOCOL.md §10) is its own segment: it carries whole frames.
  const inDatagram = new Map<number, number>();
  for (const message of chat.messages)
    if (message.stream < 0) inDatagram.set(message.frame, (inDatagram.get(message.frame) ?? 0) + 1);
  const carriesOnlyOne = (frame: number): boolean =>
    (firstCopies.has(frame) && listings.messagesIn(frame) === 1) || inDatagram.get(frame) === 1;
  return { E, listings, carriesOnlyOne };
}

/**
 * E's listings: the messages as decoded, and the segments made one at a time (each with the messages whose
 * bytes it carries, found through an index from segment to messages) so that the listing can be streamed
 * without keeping every segment; `segments` builds them all on first use.
 */
class EListings implements Listings {
  #segments: readonly Segment[] | undefined;
  /** Messages of segment k: `#messageIndex[#starts[k]]` up to `#starts[k + 1]`, in id order. */
  #starts: Int32Array | undefined;
  #messageIndex: Int32Array | undefined;
  #byFrame: Int32Array | undefined;

  /** `frames`: each segment's frame, ascending; `make(k, messages)` builds segment k. */
  constructor(
    readonly messages: readonly ChatMessage[],
    private readonly frames: Int32Array,
    private readonly make: (k: number, messages: readonly ChatMessage[]) => Segment,
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
    for (let k = 0; k < this.frames.length; k += 1) yield this.#segment(k);
  }

  segmentAt(frame: number): Segment | undefined {
    const k = this.#find(frame);
    return k < 0 ? undefined : this.#segment(k);
  }

  /** How many messages the segment of that frame carries bytes of (0 when it is none of E's). */
  messagesIn(frame: number): number {
    const k = this.#find(frame);
    if (k < 0) return 0;
    const [starts] = this.#index();
    return (starts[k + 1] ?? 0) - (starts[k] ?? 0);
  }

  #segment(k: number): Segment {
    const [starts, index] = this.#index();
    const carried: ChatMessage[] = [];
    for (let at = starts[k] ?? 0; at < (starts[k + 1] ?? 0); at += 1) {
      const message = this.messages[index[at] ?? 0];
      if (message !== undefined) carried.push(message);
    }
    return this.make(k, carried);
  }

  /** The segment's index by its frame, -1 when none. */
  #find(frame: number): number {
    if (this.#byFrame === undefined) {
      // Frame number to segment index + 1 (frames ascend, the last is the largest).
      this.#byFrame = new Int32Array((this.frames[this.frames.length - 1] ?? 0) + 1);
      this.frames.forEach((f, k) => {
        if (this.#byFrame !== undefined) this.#byFrame[f] = k + 1;
      });
    }
    return (this.#byFrame[frame] ?? 0) - 1;
  }

  /** Counting sort of (segment, message) pairs: each message's frames, each frame's segment. */
  #index(): [Int32Array, Int32Array] {
    if (this.#starts !== undefined && this.#messageIndex !== undefined)
      return [this.#starts, this.#messageIndex];
    const starts = new Int32Array(this.frames.length + 1);
    for (const message of this.messages)
      for (const frame of message.frames) {
        const k = this.#find(frame);
        if (k >= 0) starts[k + 1] = (starts[k + 1] ?? 0) + 1;
      }
    for (let k = 1; k < starts.length; k += 1) starts[k] = (starts[k] ?? 0) + (starts[k - 1] ?? 0);
    const index = new Int32Array(starts[starts.length - 1] ?? 0);
    const filled = starts.slice(0, -1);
    this.messages.forEach((message, m) => {
      for (const frame of message.frames) {
        const k = this.#find(frame);
        if (k < 0) continue;
        index[filled[k] ?? 0] = m;
        filled[k] = (filled[k] ?? 0) + 1;
      }
    });
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
function conversation(stream: TcpStream, endpoints: ChatEndpoints): StreamConversation {
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
    client: { host: endpoints.nameOf(stream.client.ip), ...stream.client },
    server: { host: endpoints.nameOf(stream.server.ip), ...stream.server },
    turns,
  };
}
