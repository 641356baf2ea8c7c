import { dissect, payloadBytes, type TcpStream } from '../pcap/index.js';
import type { AnswerA, ChatMessage } from './answers.js';
import type { CaptureScan } from './capture-scan.js';

/** A way an application names itself in its payload, tried in this order on every message. */
interface Namer {
  readonly source: NonNullable<AnswerA['source']>;
  readonly direction: ChatMessage['direction'];
  readonly pattern: RegExp;
  readonly protocol: string;
  /** Application and version from the match. */
  readonly read: (match: RegExpExecArray) => { application: string; version: string | null };
}

const NAMERS: readonly Namer[] = [
  // RFC 2812 §5.1: 002 RPL_YOURHOST "Your host is <servername>, running version <ver>"; 004 RPL_MYINFO.
  {
    source: 'irc-numeric',
    direction: 'server-to-client',
    pattern: /^:\S+ 002 \S+ :Your host is [^,]+, running version ([A-Za-z][\w.]*?)-(\d[\w.]*)/m,
    protocol: 'IRC (RFC 2812)',
    read: (m) => ({ application: m[1] ?? '', version: m[2] ?? null }),
  },
  {
    source: 'irc-numeric',
    direction: 'server-to-client',
    pattern: /^:\S+ 004 \S+ \S+ ([A-Za-z][\w.]*?)[-_](\d[\w.]*) /m,
    protocol: 'IRC (RFC 2812)',
    read: (m) => ({ application: m[1] ?? '', version: m[2] ?? null }),
  },
  // RFC 9110 §10.2.4 Server, §10.1.5 User-Agent: product/version.
  {
    source: 'http-header',
    direction: 'server-to-client',
    pattern: /^Server: ([^/\s]+)(?:\/(\S+))?/im,
    protocol: 'HTTP',
    read: (m) => ({ application: m[1] ?? '', version: m[2] ?? null }),
  },
  {
    source: 'http-header',
    direction: 'client-to-server',
    pattern: /^User-Agent: ([^/\s]+)(?:\/(\S+))?/im,
    protocol: 'HTTP',
    read: (m) => ({ application: m[1] ?? '', version: m[2] ?? null }),
  },
  // RFC 4253 §4.2: SSH-protoversion-softwareversion.
  {
    source: 'banner',
    direction: 'server-to-client',
    pattern: /^SSH-[\d.]+-([A-Za-z][\w.]*?)[_-]([\w.]+)/,
    protocol: 'SSH',
    read: (m) => ({ application: m[1] ?? '', version: m[2] ?? null }),
  },
  // RFC 5321 §4.2 / RFC 959: the 220 greeting usually names the program.
  {
    source: 'banner',
    direction: 'server-to-client',
    pattern: /^220[ -]\S+ E?SMTP ([A-Za-z][\w.-]*)(?: ([\d.]+))?/,
    protocol: 'SMTP',
    read: (m) => ({ application: m[1] ?? '', version: m[2] ?? null }),
  },
  {
    source: 'banner',
    direction: 'server-to-client',
    pattern: /^220[ -].*?\(?([A-Za-z][\w-]*FTPd?) ([\d.]+)\)?/i,
    protocol: 'FTP',
    read: (m) => ({ application: m[1] ?? '', version: m[2] ?? null }),
  },
  // Any other text protocol: a server's own words naming a program and a dotted version
  // ("Welcome to pychat-server 1.0").
  {
    source: 'greeting-text',
    direction: 'server-to-client',
    pattern: /\b([A-Za-z][\w.-]*[A-Za-z])[ /]v?(\d+(?:\.\d+)+)\b/,
    protocol: '',
    read: (m) => ({ application: m[1] ?? '', version: m[2] ?? null }),
  },
];

/**
 * Answer A for an application that is not chatlab: the first message, in capture order, in which it names
 * itself (IRC numerics 002/004, an HTTP Server or User-Agent header, an SSH, SMTP or FTP banner, a greeting
 * with a name and a version). Nothing found: every field null but `transport` and `port`, said honestly.
 */
export function identifyApplication(
  scan: CaptureScan,
  streams: readonly TcpStream[],
  messages: readonly ChatMessage[],
): AnswerA {
  const byId = new Map(streams.map((s) => [s.id, s]));
  for (const namer of NAMERS) {
    for (const message of messages) {
      if (message.direction !== namer.direction) continue;
      const stream = byId.get(message.stream);
      if (stream === undefined) continue;
      const text = stream
        .direction(message.direction)
        .read(message.start, Math.min(message.end, message.start + 4096))
        .toString('utf8');
      const match = namer.pattern.exec(text);
      if (match === null) continue;
      const line = lineAround(text, match.index);
      const { application, version } = namer.read(match);
      return {
        application,
        version,
        protocol: namer.protocol === '' ? null : namer.protocol,
        source: namer.source,
        frame: frameOf(message, line, scan),
        stream: message.stream,
        payload: line,
        payloadOffset: offsetIn(scan, frameOf(message, line, scan), line),
      };
    }
  }
  return unnamedApplication();
}

/** A when nothing in the capture names the application. */
export function unnamedApplication(): AnswerA {
  return {
    application: null,
    version: null,
    protocol: null,
    source: null,
    frame: null,
    stream: null,
    payload: null,
    payloadOffset: null,
  };
}

function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const lf = text.indexOf('\n', index);
  return text.slice(start, lf < 0 ? text.length : lf).replace(/\r$/, '');
}

/** The frame (of those that carried the message) whose payload holds the line's first bytes. */
function frameOf(message: ChatMessage, line: string, scan: CaptureScan): number {
  const found = message.frames.find((frame) => offsetIn(scan, frame, line) !== null);
  return found ?? message.frame;
}

function offsetIn(scan: CaptureScan, frame: number, line: string): number | null {
  const record = scan.frames[frame - 1];
  if (record === undefined) return null;
  const packet = dissect(record);
  const at = payloadBytes(packet).indexOf(line.slice(0, 24));
  return at < 0 ? null : packet.payload.offset + at;
}
