import type { CaptureHealth } from './capture-health.js';
import type { TcpAnalysisAnswer } from './tcp/tcp-analysis-answer.js';

/**
 * The machine-readable answers to the lab's questions A-F (`../shared/LAB.md`), as written to
 * `answers.json`. Every frame number is a frame of `captures/merged.pcapng`, counted from 1 as Wireshark
 * numbers it. Language-neutral: the report's prose is rendered from these values.
 */
export interface Answers {
  readonly meta: ReportMeta;
  /** A. The application and its version, as the server's greeting `* HELLO {...}` names them. */
  readonly A: AnswerA;
  /** B. Addresses of the server and of each client (IPv4 and Ethernet MAC). */
  readonly B: AnswerB;
  /** C. The transport protocol of the chat, and how many frames of the capture were TCP, UDP or other. */
  readonly C: AnswerC;
  /** D. The client's destination port (the server's port) and each client's source (ephemeral) ports. */
  readonly D: AnswerD;
  /**
   * E. Every payload-carrying segment between clients and server, decoded and checked against the spec
   * (counted here; each segment and message listed in segments.jsonl and messages.jsonl with --listings).
   */
  readonly E: AnswerE;
  /** F. One chat frame's layers in wire order, with offsets and lengths in bytes. */
  readonly F: AnswerF;
  /** Per-host traffic summary (one entry per capture file). */
  readonly traffic: readonly HostTraffic[];
  /** Whether the capture shows what a wire carried: frame sizes, checksums, cuts, drops, copies, clocks. */
  readonly health: CaptureHealth;
  /** What TCP did about loss, reordering and full buffers (tshark's tcp.analysis), and the UDP datagrams lost. */
  readonly tcpAnalysis: TcpAnalysisAnswer;
}

export interface ReportMeta {
  readonly generator: string;
  readonly generatedAt: string;
  /** From run.json when present. */
  readonly scenario: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Where the facts about hosts came from: `run.json` (names and roles) or inferred from the captures. */
  readonly hostsFrom: 'run.json' | 'captures';
  readonly captures: readonly CaptureFileInfo[];
  readonly merged: {
    /** Relative to the run folder, e.g. `captures/merged.pcapng`. */
    readonly file: string;
    readonly frames: number;
    /** Copies of one frame seen by several hosts, counted once. */
    readonly duplicatesRemoved: number;
    /** Time of frame 1 (ISO 8601); every `time` below is in seconds after it. */
    readonly firstFrameAt: string | null;
  };
  /** Readable notes about what could not be read or inferred (truncated files, missing greeting...). */
  readonly warnings: readonly string[];
  /** Changes of the hosts' links during the run (run.json): from step `step` on, `host`'s link did `text`. */
  readonly impairments: readonly { readonly step: number; readonly host: string; readonly text: string }[];
}

export interface CaptureFileInfo {
  readonly host: string;
  /** Relative to the run folder. */
  readonly file: string;
  readonly frames: number;
  /** Link types present (1 = Ethernet II, 276 = Linux cooked v2...). */
  readonly linkTypes: readonly number[];
}

export interface AnswerA {
  readonly application: string | null;
  readonly version: string | null;
  readonly protocol: string | null;
  /**
   * What named it: chatlab's `* HELLO` greeting, an IRC numeric (002/004), an HTTP Server header,
   * an SSH/SMTP/FTP banner, a server's own words with a name and a version; null when nothing did.
   */
  readonly source: 'chatlab-hello' | 'irc-numeric' | 'http-header' | 'banner' | 'greeting-text' | null;
  /** Frame that carried (the end of) the greeting. */
  readonly frame: number | null;
  readonly stream: number | null;
  /** The greeting line as sent, without its LF. */
  readonly payload: string | null;
  /** Where it lies in that frame: offset and length in bytes. */
  readonly payloadOffset: number | null;
  /**
   * A client's program naming itself (an HTTP User-Agent), kept apart: it names the client, not the
   * application on the server that A asks about. Only when nothing names the server's.
   */
  readonly client?: ClientNamed;
}

/** What named itself, where: the line and the frame (the one carrying the line's first byte). */
export interface ClientNamed {
  readonly application: string;
  readonly version: string | null;
  readonly protocol: string | null;
  readonly frame: number;
  readonly stream: number;
  readonly payload: string;
  readonly payloadOffset: number | null;
}

export interface HostAddress {
  readonly name: string;
  readonly ip: string;
  /** Ethernet source address of the frames this host sent (null without Ethernet headers). */
  readonly mac: string | null;
  /** A frame this host sent, where both addresses can be read. */
  readonly frame: number | null;
}

export interface AnswerB {
  readonly server: HostAddress | null;
  readonly clients: readonly HostAddress[];
}

export interface AnswerC {
  /** The transport protocol of the chat: its connections (TCP), its datagrams (UDP), or both to one port. */
  readonly transport: 'TCP' | 'UDP' | 'TCP and UDP' | null;
  /** Frames of the merged capture by transport: TCP, UDP, or anything else (ARP, ICMP, ICMPv6...). */
  readonly counts: { readonly tcp: number; readonly udp: number; readonly other: number };
  readonly total: number;
  /** The "other" frames by protocol: `arp`, `icmpv6`, `icmp`, `ipv6`, ... */
  readonly otherByProtocol: Readonly<Record<string, number>>;
  /** Frames between clients and the server's chat port (handshakes, data, ACKs, FINs; datagrams). */
  readonly chatFrames: number;
  /** Of those, the UDP datagrams, and the first of them (null without any). */
  readonly chatDatagrams: number;
  readonly firstDatagram: number | null;
  /** The first connection's three-way handshake: SYN, SYN-ACK, ACK frames (null where not captured). */
  readonly handshake: readonly (number | null)[];
  /** Every TCP and UDP conversation of the capture (client to client ones too), the chat's marked. */
  readonly conversations: readonly Conversation[];
}

export interface Conversation {
  readonly transport: 'TCP' | 'UDP';
  /** TCP: the connecting side; UDP: the endpoint that sent the first datagram... as tshark orders it. */
  readonly client: Endpoint;
  /** TCP: the side that accepted (listened); UDP: the other endpoint. */
  readonly server: Endpoint;
  /** TCP stream number (Wireshark's tcp.stream), null for UDP. */
  readonly stream: number | null;
  readonly firstFrame: number;
  readonly frames: number;
  /** Bytes of payload each way (TCP: reassembled; UDP: null). */
  readonly bytes: { readonly toServer: number; readonly toClient: number } | null;
  /** True for a connection to the chat server's port. */
  readonly chat: boolean;
}

export interface Connection {
  readonly sourcePort: number;
  /** TCP: a connection; UDP: the datagrams from one source port (no connection, so no stream number). */
  readonly transport: 'TCP' | 'UDP';
  /** TCP stream number, as Wireshark's `tcp.stream`; for UDP a negative id of its own (not Wireshark's). */
  readonly stream: number;
  /** First frame of the connection (its SYN when captured), or the first datagram. */
  readonly frame: number;
  /** True when it started with an HTTP request instead of chat (docs/PROTOCOL.md §7). */
  readonly http: boolean;
}

export interface AnswerD {
  readonly serverPort: number | null;
  readonly clients: readonly {
    readonly name: string;
    readonly ip: string;
    readonly sourcePorts: readonly number[];
    readonly connections: readonly Connection[];
  }[];
}

export interface Endpoint {
  readonly host: string;
  readonly ip: string;
  readonly port: number;
}

export type Direction = 'client-to-server' | 'server-to-client';

/** `text`: a message of another protocol than chatlab's, cut by the report's framing (answers.E.framing). */
export type MessageKind = 'request' | 'reply' | 'event' | 'data' | 'http' | 'malformed' | 'text';

/** One decoded chat frame (or HTTP exchange, or a line that is no frame) and the frames that carried it. */
export interface ChatMessage {
  readonly id: number;
  readonly stream: number;
  readonly direction: Direction;
  readonly kind: MessageKind;
  /** One line as Wireshark's Info column would put it, e.g. `5 SAY general hello`. */
  readonly summary: string;
  /** Frame that completed it (where Wireshark shows it). */
  readonly frame: number;
  /** Every frame that carried any of its bytes (retransmissions included). */
  readonly frames: readonly number[];
  /** Byte range in its direction of the stream, and its length on the wire (LF included). */
  readonly start: number;
  readonly end: number;
  readonly time: number;
  readonly tag?: number | null;
  readonly verb?: string;
  readonly args?: string;
  readonly status?: number;
  readonly reason?: string;
  readonly event?: string;
  /** JSON body of a reply or event, as sent (cut after 2000 characters). */
  readonly json?: string;
  readonly transfer?: number;
  readonly offset?: number;
  readonly dataLength?: number;
  /** For `malformed`: the decoder's code (BAD_FRAME, BAD_ENCODING, FRAME_TOO_LARGE). */
  readonly problem?: string;
  /** For `text`: the message's bytes as UTF-8 (control characters as `\xNN`, cut after 2000 characters). */
  readonly text?: string;
  /** For `text`: the same bytes in hexadecimal (cut after 512 bytes). */
  readonly hex?: string;
  /**
   * For `text`: the capture ends before the message does (a line without its LF, fewer bytes than its
   * length prefix says), so what is shown is only its beginning.
   */
  readonly unfinished?: true;
  /** For `text` under IRC framing: the line parsed (RFC 2812 §2.3.1), null when the line is no IRC message. */
  readonly irc?: {
    readonly prefix: string | null;
    readonly command: string;
    readonly params: readonly string[];
    readonly ctcp: string | null;
  } | null;
}

export interface Segment {
  readonly frame: number;
  readonly time: number;
  readonly stream: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** TCP payload bytes (Wireshark's `tcp.len`). */
  readonly payloadLength: number;
  /** The chat messages this segment carries bytes of; `complete` when their last byte is here. */
  readonly messages: readonly { readonly id: number; readonly summary: string; readonly complete: boolean }[];
  /** True when every byte was already received in an earlier segment. */
  readonly retransmission: boolean;
  /** The segment's payload as text (as `ChatMessage.text`), for foreign framings. */
  readonly payloadText?: string;
  readonly payloadHex?: string;
}

/** One chat connection reassembled: who sent what, in order, one turn per TCP segment. */
export interface StreamConversation {
  readonly stream: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly turns: readonly { readonly direction: Direction; readonly frame: number; readonly text: string }[];
}

export type ProblemCode =
  | 'BAD_FRAME'
  | 'BAD_ENCODING'
  | 'FRAME_TOO_LARGE'
  | 'WRONG_DIRECTION'
  | 'UNKNOWN_STATUS'
  | 'REASON_MISMATCH'
  | 'UNKNOWN_VERB'
  | 'BAD_ARGUMENTS'
  | 'UNMATCHED_REPLY'
  | 'ERROR_WITHOUT_CODE'
  | 'UNKNOWN_EVENT'
  | 'UNKNOWN_TRANSFER'
  | 'DATA_OUT_OF_ORDER'
  | 'DATA_BEYOND_SIZE'
  /** A DIGEST sent before the last byte of its upload (over TCP: the client's, whatever the network did). */
  | 'DIGEST_BEFORE_END'
  | 'CAPTURE_GAP'
  /** Any application but chatlab: a message that matches none of its direction's patterns in the protocol description. */
  | 'NOT_IN_PROTOCOL';

export interface Problem {
  readonly frame: number;
  readonly stream: number;
  readonly direction: Direction;
  readonly code: ProblemCode;
  /** The message concerned, when there is one. */
  readonly message: number | null;
  /** What is wrong, in English (the report words it in its own language from `code` and `detail`). */
  readonly text: string;
  /** The values the sentence is built from (a verb, a status code, an expected offset...). */
  readonly detail: Readonly<Record<string, string | number>>;
  /** For a client's request: the server's final reply to it (frame, status, error code). */
  readonly answer: { readonly frame: number; readonly status: number; readonly code: string | null } | null;
}

/** How E cut the streams into messages: `chatlab` (docs/PROTOCOL.md), IRC lines, any lines, segments, length-prefixed. */
export type ReportFraming = 'chatlab' | 'irc' | 'line' | 'segment' | 'length';

/**
 * A listing too long for answers.json: `count` items, written beside it as JSON Lines (one JSON value per
 * line, in order) on request (`--listings`): then `file` is its path relative to the run folder, else
 * null (`readListings` makes the items again from the captures).
 */
export interface ListingFile {
  readonly file: string | null;
  readonly count: number;
}

/** E's payload segments: the summary here, every `Segment` in `segments.jsonl` (with `--listings`). */
export interface SegmentsSummary extends ListingFile {
  /** Segments whose every byte an earlier segment already carried. */
  readonly retransmissions: number;
  /** Payload bytes of all the segments (`tcp.len` summed, copies included). */
  readonly bytes: number;
  /** The first and the last segment's frame (null without segments). */
  readonly firstFrame: number | null;
  readonly lastFrame: number | null;
}

/** E's messages: the summary here, every `ChatMessage` in `messages.jsonl` (by id; with `--listings`). */
export interface MessagesSummary extends ListingFile {
  /** Messages of each kind (kinds that occur only). */
  readonly kinds: Readonly<Partial<Record<MessageKind, number>>>;
}

/**
 * Every segment and every message of E, which answers.json only counts (`E.segments`, `E.messages`):
 * what the report's own sections read, and what `writeReport` streams into segments.jsonl and
 * messages.jsonl when asked to. `segments` is built when first read; `eachSegment` gives them one at a
 * time without keeping them.
 */
export interface Listings {
  readonly messages: readonly ChatMessage[];
  readonly segments: readonly Segment[];
  eachSegment(): Iterable<Segment>;
  /** The segment of that frame, when it is one of E's. */
  segmentAt(frame: number): Segment | undefined;
}

export interface AnswerE {
  readonly framing: ReportFraming;
  /** Where the framing came from: the --framing option, run.json's lab.app, or the capture itself. */
  readonly framingFrom: 'option' | 'run.json' | 'capture';
  /** The protocol description the messages were checked against (other framings), or null: nothing judged. */
  readonly protocol: string | null;
  /** Each chat connection's bytes in order, both directions (foreign framings only). */
  readonly conversations: readonly StreamConversation[];
  /** Every payload segment: counted here, listed in `segments.file` (segments.jsonl, with --listings). */
  readonly segments: SegmentsSummary;
  /** Every message: counted here, listed in `messages.file` (messages.jsonl, with --listings). */
  readonly messages: MessagesSummary;
  readonly conformance: {
    /** No problem at all. */
    readonly ok: boolean;
    /** No problem in what the server sent (a scenario that sends bad requests on purpose still has this). */
    readonly serverOk: boolean;
    readonly checkedSegments: number;
    readonly checkedMessages: number;
    readonly problems: readonly Problem[];
  };
}

export interface LayerAnswer {
  /** `Ethernet II`, `IPv4`, `TCP`, `chatlab` (or `Linux cooked capture v2`, `IPv6`... on other captures). */
  readonly name: string;
  /** Wireshark's protocol name for it: `eth`, `ip`, `tcp`, `chatlab`, `sll`, `ipv6`. */
  readonly protocol: string;
  readonly offset: number;
  readonly length: number;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

export interface AnswerF {
  readonly frame: number | null;
  /** The chat message carried whole by that frame. */
  readonly message: number | null;
  readonly frameLength: number;
  /** The frame's bytes in hexadecimal. */
  readonly hex: string;
  readonly layers: readonly LayerAnswer[];
  /** Bytes after the last layer (Ethernet padding), when any. */
  readonly trailer: { readonly offset: number; readonly length: number } | null;
}

export interface HostTraffic {
  readonly name: string;
  readonly file: string;
  readonly role: 'server' | 'client' | 'other';
  readonly ip: string | null;
  readonly mac: string | null;
  readonly frames: number;
  /** Bytes on the wire (`frame.len`). */
  readonly bytes: number;
  readonly sent: { readonly frames: number; readonly bytes: number };
  readonly received: { readonly frames: number; readonly bytes: number };
  /** Frames by protocol: `tcp`, `udp`, `arp`, `icmp`, `icmpv6`, `other`. */
  readonly byProtocol: Readonly<Record<string, number>>;
  /** Chat messages this host sent and received (server: all of them). */
  readonly chatMessages: number;
}
