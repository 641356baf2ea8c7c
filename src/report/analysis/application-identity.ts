import { dissect, findLayer, type TcpDirection, type TcpStream } from '../../pcap/index.js';
import type { AnswerA, ChatMessage, ClientNamed, Direction } from './answers.js';
import type { CaptureScan } from './capture-scan.js';

/** How far into each direction of a connection the report looks for a name. */
const SCAN_BYTES = 65_536;
/** The longest line shown as A's evidence. */
const LINE_BYTES = 4096;
/** The most header lines read in one HTTP head. */
const HEAD_LINES = 200;

/** Where a name was read: the line's offset in its direction's bytes, and what it says. */
interface Match {
  readonly at: number;
  readonly application: string;
  readonly version: string | null;
  /** Where the evidence ends at the latest (the end of the message it was read in). */
  readonly end?: number;
}

/** What a namer reads: one direction's bytes (latin1, so a string index is a byte offset) from byte 0. */
interface Texts {
  readonly server: string;
  readonly client: string;
  /** The end of the server's first message (as E cut it), in the same bytes. */
  readonly firstServerMessageEnd: number;
}

/** A way an application names itself in its payload, tried in this order. */
interface Namer {
  readonly source: NonNullable<AnswerA['source']>;
  readonly direction: Direction;
  readonly protocol: string | null;
  readonly find: (texts: Texts) => Match | null;
}

/** Words that are not a program's name: in "from 10.77.0.11", "Server 1.7.0", "version 2.1". */
const NOT_A_NAME = new Set(
  (
    'a an the to from at on in of by for with and or is are was be as it its this that your you my we ' +
    'version ver release build rev revision v port ip address host hostname time since until up users ' +
    'user room rooms online number id server client chat service daemon app application program ' +
    'ready welcome hello hi mail smtp esmtp ftp http ssh protocol python java node'
  ).split(' '),
);

const NAMERS: readonly Namer[] = [
  // RFC 2812 §5.1: 002 RPL_YOURHOST "Your host is <servername>, running version <ver>"; 004 RPL_MYINFO.
  {
    source: 'irc-numeric',
    direction: 'server-to-client',
    protocol: 'IRC (RFC 2812)',
    find: ({ server }) =>
      matchLine(
        server,
        /^:\S+ 002 \S+ :Your host is [^,\r\n]+, running version ([A-Za-z][\w.]*?)-(\d[\w.]*)/m,
      ),
  },
  {
    source: 'irc-numeric',
    direction: 'server-to-client',
    protocol: 'IRC (RFC 2812)',
    find: ({ server }) => matchLine(server, /^:\S+ 004 \S+ \S+ ([A-Za-z][\w.]*?)[-_](\d[\w.]*) /m),
  },
  // RFC 9110 §10.2.4 Server: product/version, in a response's header (after a status line), never in text
  // that merely starts with "Server:".
  {
    source: 'http-header',
    direction: 'server-to-client',
    protocol: 'HTTP',
    find: ({ server }) => httpHeader(server, /^HTTP\/\d(?:\.\d)? \d{3}\b[^\r\n]*\r?\n/gm, 'Server'),
  },
  // RFC 4253 §4.2: SSH-protoversion-softwareversion SP comments, the first line the server sends (other
  // lines may come first only when the client's first line shows it speaks SSH too).
  {
    source: 'banner',
    direction: 'server-to-client',
    protocol: 'SSH',
    find: ({ server, client }) => {
      const match = client.startsWith('SSH-')
        ? /^SSH-\d+\.\d+-(\S+)/m.exec(server.slice(0, 8192))
        : /^SSH-\d+\.\d+-(\S+)/.exec(server);
      if (match === null) return null;
      const software = match[1] ?? '';
      // softwareversion has no minus sign (RFC 4253 §4.2), but some servers put one before the version.
      const split = /^([A-Za-z][\w.]*?)[_-](\d[\w.+~]*)$/.exec(software);
      if (split !== null) return { at: match.index, application: split[1] ?? '', version: split[2] ?? null };
      return /^[A-Za-z][\w.]*$/.test(software)
        ? { at: match.index, application: software, version: null }
        : null;
    },
  },
  // RFC 5321 §4.2: "220 <domain> ESMTP <text>", where the text usually starts with the program's name.
  {
    source: 'banner',
    direction: 'server-to-client',
    protocol: 'SMTP',
    find: ({ server }) => {
      const match = /^220[ -]\S+ E?SMTP ([A-Za-z]{3}[\w.-]*)(?: v?(\d+(?:\.\d+)+)\b)?/.exec(server);
      const name = match?.[1];
      if (match === null || name === undefined || NOT_A_NAME.has(name.toLowerCase())) return null;
      return { at: 0, application: name, version: match[2] ?? null };
    },
  },
  // RFC 959: the 220 greeting of an FTP server, which usually names the program (vsFTPd, ProFTPD...).
  {
    source: 'banner',
    direction: 'server-to-client',
    protocol: 'FTP',
    find: ({ server }) => {
      const match = /^220[ -][^\r\n]*?\b([A-Za-z][\w-]*FTPd?)\b(?: (\d+(?:\.\d+)+)\b)?/i.exec(server);
      return match === null ? null : { at: 0, application: match[1] ?? '', version: match[2] ?? null };
    },
  },
  // Any other text protocol: the server's first message, in its own words, naming a program and a dotted
  // version ("Welcome to pychat-server 1.0"). Later messages may be users' words the server relays.
  {
    source: 'greeting-text',
    direction: 'server-to-client',
    protocol: null,
    find: ({ server, firstServerMessageEnd }) => greetingText(server.slice(0, firstServerMessageEnd)),
  },
];

/** RFC 9110 §10.1.5 User-Agent: the client's program, which is not the server's (A's question). */
const USER_AGENT: Namer = {
  source: 'http-header',
  direction: 'client-to-server',
  protocol: 'HTTP',
  find: ({ client }) => httpHeader(client, /^[A-Z]+ \S+ HTTP\/\d(?:\.\d)?\r?\n/gm, 'User-Agent'),
};

/**
 * Answer A for an application that is not chatlab: what it says about itself, in the first frame of the
 * capture that shows it (IRC numerics 002/004, an HTTP Server header, an SSH, SMTP or FTP banner, the
 * server's greeting with a name and a version). Nothing found: every field null, said honestly; a client's
 * User-Agent is kept apart (`client`), since it names the client's program, not the server's.
 */
export function identifyApplication(
  scan: CaptureScan,
  streams: readonly TcpStream[],
  messages: readonly ChatMessage[],
): AnswerA {
  const texts = streams.map((stream) => ({ stream, texts: textsOf(stream, messages) }));
  const client = firstFound(USER_AGENT, texts, scan);
  for (const namer of NAMERS) {
    const found = firstFound(namer, texts, scan);
    if (found !== null) return { ...found, source: namer.source };
  }
  return client === null ? unnamedApplication() : { ...unnamedApplication(), client };
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

function textsOf(stream: TcpStream, messages: readonly ChatMessage[]): Texts {
  const server = contiguous(stream.serverToClient).toString('latin1');
  const first = messages.find(
    (m) => m.stream === stream.id && m.direction === 'server-to-client' && m.start === 0,
  );
  return {
    server,
    client: contiguous(stream.clientToServer).toString('latin1'),
    firstServerMessageEnd: Math.min(first?.end ?? 0, server.length),
  };
}

/** A direction's bytes from its first, up to the first bytes never captured (so offsets stay true). */
function contiguous(direction: TcpDirection): Buffer {
  let end = 0;
  for (const chunk of direction.chunks) {
    if (chunk.start !== end || end >= SCAN_BYTES) break;
    end = chunk.end;
  }
  return direction.read(0, Math.min(end, SCAN_BYTES));
}

/** The namer's match in every connection; the one in the earliest frame, as ClientNamed. */
function firstFound(
  namer: Namer,
  texts: readonly { stream: TcpStream; texts: Texts }[],
  scan: CaptureScan,
): ClientNamed | null {
  let best: ClientNamed | null = null;
  for (const { stream, texts: t } of texts) {
    const match = namer.find(t);
    if (match === null || match.application === '') continue;
    const direction = stream.direction(namer.direction);
    const frame = frameAt(direction, match.at);
    if (frame === null || (best !== null && best.frame <= frame)) continue;
    const text = namer.direction === 'server-to-client' ? t.server : t.client;
    const lf = text.indexOf('\n', match.at);
    const lineEnd = Math.min(lf < 0 ? text.length : lf, match.end ?? text.length, match.at + LINE_BYTES);
    best = {
      application: match.application,
      version: match.version,
      protocol: namer.protocol,
      frame,
      stream: stream.id,
      payload: Buffer.from(text.slice(match.at, lineEnd), 'latin1').toString('utf8').replace(/\r$/, ''),
      payloadOffset: offsetInFrame(scan, direction, frame, match.at),
    };
  }
  return best;
}

/** The frame that first carried the byte at `at` of this direction. */
function frameAt(direction: TcpDirection, at: number): number | null {
  const chunk = direction.chunks.find((c) => c.start <= at && at < c.end);
  return chunk?.frames[0] ?? null;
}

/** Where the byte at `at` of this direction lies in `frame`, counted from the frame's first byte. */
function offsetInFrame(scan: CaptureScan, direction: TcpDirection, frame: number, at: number): number | null {
  const record = scan.frame(frame);
  const base = direction.initialSequence;
  if (record === undefined || base === undefined) return null;
  const packet = dissect(record);
  const tcp = findLayer(packet, 'tcp');
  if (tcp === undefined) return null;
  const into = at - ((tcp.fields.seq - base) >>> 0);
  return into >= 0 && into < packet.payload.length ? packet.payload.offset + into : null;
}

/** The line where the pattern matches: the name is its first group, the version its second. */
function matchLine(text: string, pattern: RegExp): Match | null {
  const match = pattern.exec(text);
  if (match === null) return null;
  return { at: match.index, application: match[1] ?? '', version: match[2] ?? null };
}

/** A header of an HTTP message's head: the lines after its start line, up to the empty line that ends it. */
function httpHeader(text: string, startLine: RegExp, header: string): Match | null {
  const field = new RegExp(`^${header}:[ \\t]*([^/\\s]+)(?:/([^\\s(]+))?`, 'i');
  for (const start of text.matchAll(startLine)) {
    let at = start.index + start[0].length;
    for (let count = 0; count < HEAD_LINES; count += 1) {
      const lf = text.indexOf('\n', at);
      const line = text.slice(at, lf < 0 ? text.length : lf).replace(/\r$/, '');
      if (line === '') break;
      const match = field.exec(line);
      if (match !== null) return { at, application: match[1] ?? '', version: match[2] ?? null };
      if (lf < 0) break;
      at = lf + 1;
    }
  }
  return null;
}

/**
 * A program's name and its dotted version in a greeting: "pychat-server 1.0", "mychat/2.1", "mychat
 * version 2.1". Not an address ("from 10.77.0.11"), nor a word that names no program ("Server 1.7.0").
 */
function greetingText(text: string): Match | null {
  const pattern =
    /\b([A-Za-z][\w.-]*[A-Za-z])(?: (?:version|release|ver\.?))?[ /]v?(\d+(?:\.\d+)+)(?![\w.]*\d)(?!:\d)/g;
  for (const match of text.matchAll(pattern)) {
    const name = match[1] ?? '';
    const version = match[2] ?? '';
    if (NOT_A_NAME.has(name.toLowerCase())) continue;
    const parts = version.split('.');
    if (parts.length === 4 && parts.every((p) => Number(p) <= 255)) continue; // an IPv4 address
    const lf = text.lastIndexOf('\n', match.index);
    return { at: lf + 1, application: name, version, end: text.length };
  }
  return null;
}
