import { dissect, payloadBytes } from '../../pcap/index.js';
import type {
  AnswerA,
  AnswerB,
  AnswerC,
  AnswerD,
  ChatMessage,
  Conversation,
  HostAddress,
} from './answers.js';
import type { CaptureScan } from './capture-scan.js';
import { identifyApplication, unnamedApplication } from './application-identity.js';
import type { ChatEndpoints } from './chat-endpoints.js';

export interface DecodedChat {
  readonly messages: readonly ChatMessage[];
  readonly bodies: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
}

/** Questions A-D: who speaks (application, addresses), over what (transport) and between which ports. */
export function buildAnswersAToD(
  scan: CaptureScan,
  endpoints: ChatEndpoints,
  chat: DecodedChat,
  foreign = false,
): { A: AnswerA; B: AnswerB; C: AnswerC; D: AnswerD } {
  const A = foreign ? identifyApplication(scan, endpoints.chatStreams, chat.messages) : answerA(scan, chat);
  return { A, B: answerB(endpoints), C: answerC(scan, endpoints), D: answerD(scan, endpoints, chat) };
}

/** A: the greeting `* HELLO {"app","version","protocol"}` (docs/PROTOCOL.md §3), or a reply to `HELLO`. */
function answerA(scan: CaptureScan, chat: DecodedChat): AnswerA {
  const greeting =
    chat.messages.find(
      (m) => m.kind === 'event' && m.event === 'HELLO' && m.direction === 'server-to-client',
    ) ??
    chat.messages.find(
      (m) =>
        m.kind === 'reply' &&
        m.direction === 'server-to-client' &&
        typeof chat.bodies.get(m.id)?.app === 'string',
    );
  if (greeting === undefined) return unnamedApplication();
  const body = chat.bodies.get(greeting.id) ?? {};
  const text = (key: string): string | null => (typeof body[key] === 'string' ? body[key] : null);
  const record = scan.frame(greeting.frame);
  let payloadOffset: number | null = null;
  if (record !== undefined) {
    const packet = dissect(record);
    const at = payloadBytes(packet).indexOf(greeting.summary.slice(0, 8));
    if (at >= 0) payloadOffset = packet.payload.offset + at;
  }
  return {
    application: text('app'),
    version: text('version'),
    protocol: text('protocol'),
    source: 'chatlab-hello',
    frame: greeting.frame,
    stream: greeting.stream,
    // The whole line (the summary is cut for tables).
    payload:
      greeting.kind === 'event' && greeting.json !== undefined
        ? `* HELLO ${greeting.json}`
        : greeting.summary,
    payloadOffset,
  };
}

function answerB(endpoints: ChatEndpoints): AnswerB {
  const host = (h: { name: string; ip: string; mac: string | null; frame: number | null }): HostAddress => ({
    name: h.name,
    ip: h.ip,
    mac: h.mac,
    frame: h.frame,
  });
  return {
    server: endpoints.server === null ? null : host(endpoints.server),
    clients: endpoints.clients.map(host),
  };
}

function answerC(scan: CaptureScan, endpoints: ChatEndpoints): AnswerC {
  const tcp = scan.byProtocol.get('tcp') ?? 0;
  const udp = scan.byProtocol.get('udp') ?? 0;
  const total = scan.frameCount;
  const otherByProtocol: Record<string, number> = {};
  for (const [protocol, count] of [...scan.byProtocol].sort((a, b) => b[1] - a[1])) {
    if (protocol !== 'tcp' && protocol !== 'udp') otherByProtocol[protocol] = count;
  }
  const first = endpoints.chatStreams[0];
  const handshake = first === undefined ? undefined : scan.handshakes.get(first);
  const datagrams = endpoints.chatFlows.reduce((sum, f) => sum + f.frames, 0);
  const overTcp = endpoints.chatStreams.length > 0;
  const overUdp = endpoints.chatFlows.length > 0;
  return {
    transport: overTcp && overUdp ? 'TCP and UDP' : overTcp ? 'TCP' : overUdp ? 'UDP' : null,
    counts: { tcp, udp, other: total - tcp - udp },
    total,
    otherByProtocol,
    chatFrames: endpoints.chatStreams.reduce((sum, s) => sum + (scan.streamFrames.get(s) ?? 0), datagrams),
    chatDatagrams: datagrams,
    firstDatagram: endpoints.chatFlows.reduce<number | null>(
      (min, f) => Math.min(min ?? f.firstFrame, f.firstFrame),
      null,
    ),
    handshake: handshake === undefined ? [] : [handshake.syn, handshake.synAck, handshake.ack],
    conversations: conversations(scan, endpoints),
  };
}

function answerD(scan: CaptureScan, endpoints: ChatEndpoints, chat: DecodedChat): AnswerD {
  const httpStreams = new Set(chat.messages.filter((m) => m.kind === 'http').map((m) => m.stream));
  return {
    serverPort: endpoints.server?.port ?? null,
    clients: endpoints.clients.map((client) => {
      const server = endpoints.server;
      const connections = [
        ...client.streams.map((stream) => ({
          sourcePort: stream.client.port,
          transport: 'TCP' as const,
          stream: stream.id,
          frame: scan.handshakes.get(stream)?.syn ?? stream.firstFrame,
          http: httpStreams.has(stream.id),
        })),
        ...client.flows.map((flow) => ({
          sourcePort: (flow.a.ip === server?.ip && flow.a.port === server.port ? flow.b : flow.a).port,
          transport: 'UDP' as const,
          stream: -1 - endpoints.chatFlows.indexOf(flow), // its datagram stream's id (ChatEndpoints.datagramStreams)
          frame: flow.firstFrame,
          http: false,
        })),
      ].sort((x, y) => x.frame - y.frame);
      return {
        name: client.name,
        ip: client.ip,
        sourcePorts: [...new Set(connections.map((c) => c.sourcePort))],
        connections,
      };
    }),
  };
}

/** Every TCP connection and UDP flow, in order of first frame: what tshark -z conv,tcp / conv,udp lists. */
function conversations(scan: CaptureScan, endpoints: ChatEndpoints): Conversation[] {
  const chat = new Set(endpoints.chatStreams);
  const at = (e: { ip: string; port: number }) => ({ host: endpoints.nameOf(e.ip), ip: e.ip, port: e.port });
  const tcp = scan.reassembler.streams.map((s): Conversation => ({
    transport: 'TCP',
    client: at(s.client),
    server: at(s.server),
    stream: s.id,
    firstFrame: scan.handshakes.get(s)?.syn ?? s.firstFrame,
    frames: scan.streamFrames.get(s) ?? 0,
    bytes: { toServer: s.clientToServer.length, toClient: s.serverToClient.length },
    chat: chat.has(s),
  }));
  const chatFlows = new Set(endpoints.chatFlows);
  const isServer = (e: { ip: string; port: number }): boolean =>
    e.ip === endpoints.server?.ip && e.port === endpoints.server.port;
  const udp = [...scan.udpFlows.values()].map((f): Conversation => {
    // A chat flow is shown as a connection is: the client first, the server's chat port second.
    const [client, server] = isServer(f.a) ? [f.b, f.a] : [f.a, f.b];
    return {
      transport: 'UDP',
      client: at(client),
      server: at(server),
      stream: null,
      firstFrame: f.firstFrame,
      frames: f.frames,
      bytes: null,
      chat: chatFlows.has(f),
    };
  });
  return [...tcp, ...udp].sort((x, y) => x.firstFrame - y.firstFrame);
}
