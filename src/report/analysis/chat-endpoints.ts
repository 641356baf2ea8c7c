import { TcpStream } from '../../pcap/index.js';
import { DEFAULT_PORT } from '../../protocol/index.js';
import type { CaptureScan, UdpFlow } from './capture-scan.js';
import type { RunInfo } from './run-record.js';

export interface IdentifiedHost {
  readonly name: string;
  readonly ip: string;
  readonly mac: string | null;
  /** First frame this host sent (its Ethernet and IP source addresses are there). */
  readonly frame: number | null;
}

/** Who is who in a capture: the chat's server and its clients, their connections and flows, every host's name. */
export interface ChatEndpoints {
  readonly server: (IdentifiedHost & { readonly port: number }) | null;
  /** Connections to the server's chat port, in order of first appearance. */
  readonly chatStreams: readonly TcpStream[];
  /** UDP flows to the server's chat port (chatlab answers on UDP too, docs/PROTOCOL.md §10). */
  readonly chatFlows: readonly UdpFlow[];
  /**
   * The same flows as streams for E's decoders: each direction's datagrams one after the other (a datagram
   * holds whole frames, so their bytes in a row are the conversation). Ids are negative, -1 for the first,
   * so they never meet a TCP stream number.
   */
  readonly datagramStreams: readonly TcpStream[];
  readonly clients: readonly (IdentifiedHost & {
    readonly streams: readonly TcpStream[];
    /** Its UDP flows to the server's chat port, each from one source port. */
    readonly flows: readonly UdpFlow[];
  })[];
  /** Host name of every address known by name (run.json, or the capture file the address dominates). */
  readonly nameOf: (ip: string) => string;
  /** The address of each capture file's host, when one stands out. */
  readonly ipOfHost: ReadonlyMap<string, string>;
  readonly warnings: readonly string[];
}

/**
 * Tells who is who. The server is the endpoint the clients connect to: run.json's server host and port
 * when given, else the listening endpoint with the most connections (those greeted with `* HELLO` first).
 * Names come from run.json, else from the capture file whose traffic an address dominates (`alice.pcap`).
 */
export function findChatEndpoints(scan: CaptureScan, runInfo: RunInfo | null): ChatEndpoints {
  const warnings: string[] = [];
  const names = new Map<string, string>();
  for (const host of runInfo?.hosts ?? []) if (host.ip !== undefined) names.set(host.ip, host.name);
  const ipOfHost = new Map<string, string>();
  for (const [host, counters] of scan.hosts) {
    const top = [...counters.addresses].sort((a, b) => b[1] - a[1])[0];
    if (top === undefined) continue;
    const runHost = runInfo?.hosts.find((h) => h.name === host);
    const ip = runHost?.ip ?? top[0];
    ipOfHost.set(host, ip);
    if (!names.has(ip)) names.set(ip, host);
  }
  const nameOf = (ip: string): string => names.get(ip) ?? ip;
  const streams = scan.reassembler.streams;
  const flows = [...scan.udpFlows.values()];
  const endpoint = chooseServer(streams, flows, runInfo, warnings);
  if (endpoint === null) {
    return {
      server: null,
      chatStreams: [],
      chatFlows: [],
      datagramStreams: [],
      clients: [],
      nameOf,
      ipOfHost,
      warnings,
    };
  }
  const chatStreams = streams.filter((s) => s.server.ip === endpoint.ip && s.server.port === endpoint.port);
  const isServer = (e: { ip: string; port: number }): boolean =>
    e.ip === endpoint.ip && e.port === endpoint.port;
  const chatFlows = flows.filter((f) => isServer(f.a) !== isServer(f.b));
  const datagramStreams = chatFlows.map((flow, i) => datagramStream(flow, -1 - i, isServer(flow.a)));
  const address = (ip: string): IdentifiedHost => {
    const macs = [...(scan.macsByIp.get(ip) ?? new Map<string, { count: number; firstFrame: number }>())];
    macs.sort((a, b) => b[1].count - a[1].count);
    const best = macs[0];
    const expected = runInfo?.hosts.find((h) => h.ip === ip)?.mac;
    if (best !== undefined && expected !== undefined && expected !== best[0]) {
      warnings.push(`run.json gives ${nameOf(ip)} the MAC ${expected}, but its frames carry ${best[0]}`);
    }
    return { name: nameOf(ip), ip, mac: best?.[0] ?? null, frame: best?.[1].firstFrame ?? null };
  };
  const byClient = new Map<string, { streams: TcpStream[]; flows: UdpFlow[] }>();
  const of = (ip: string): { streams: TcpStream[]; flows: UdpFlow[] } => {
    let entry = byClient.get(ip);
    if (entry === undefined) byClient.set(ip, (entry = { streams: [], flows: [] }));
    return entry;
  };
  for (const stream of chatStreams) of(stream.client.ip).streams.push(stream);
  for (const flow of chatFlows) of(isServer(flow.a) ? flow.b.ip : flow.a.ip).flows.push(flow);
  return {
    server: { ...address(endpoint.ip), port: endpoint.port },
    chatStreams,
    chatFlows,
    datagramStreams,
    clients: [...byClient].map(([ip, entry]) => ({ ...address(ip), ...entry })),
    nameOf,
    ipOfHost,
    warnings,
  };
}

function chooseServer(
  streams: readonly TcpStream[],
  flows: readonly UdpFlow[],
  runInfo: RunInfo | null,
  warnings: string[],
): { ip: string; port: number } | null {
  const runServer = runInfo?.hosts.find((h) => h.role === 'server');
  const runPort = runInfo?.serverPort ?? null;
  if (runServer?.ip !== undefined && runPort !== null) {
    const at = (e: { ip: string; port: number }): boolean => e.ip === runServer.ip && e.port === runPort;
    const found = streams.some((s) => at(s.server)) || flows.some((f) => at(f.a) || at(f.b));
    if (found) return { ip: runServer.ip, port: runPort };
    warnings.push(
      `run.json names ${runServer.ip}:${runPort} as the server, but no connection to it was captured`,
    );
  }
  const scores = new Map<string, { ip: string; port: number; score: number }>();
  for (const stream of streams) {
    const key = `${stream.server.ip}|${stream.server.port}`;
    const greeted = stream.serverToClient.read(0, 8).toString('latin1') === '* HELLO ';
    const score =
      1 +
      (stream.handshakeSeen ? 1 : 0) +
      (greeted ? 1000 : 0) +
      (stream.server.port === (runPort ?? DEFAULT_PORT) ? 10 : 0);
    const entry = scores.get(key);
    if (entry === undefined) scores.set(key, { ip: stream.server.ip, port: stream.server.port, score });
    else entry.score += score;
  }
  const best = [...scores.values()].sort((a, b) => b.score - a.score)[0];
  if (best !== undefined) return { ip: best.ip, port: best.port };
  // No TCP connection: a chat over UDP, whose server is the endpoint that the most flows share.
  const shared = new Map<string, { ip: string; port: number; flows: number }>();
  for (const flow of flows) {
    for (const e of [flow.a, flow.b]) {
      const key = `${e.ip}|${e.port}`;
      const entry = shared.get(key);
      if (entry === undefined) shared.set(key, { ...e, flows: 1 });
      else entry.flows += 1;
    }
  }
  const udp = [...shared.values()].sort((a, b) => b.flows - a.flows)[0];
  if (udp === undefined) {
    warnings.push('no TCP connection and no UDP datagram was captured: there is no chat server to find');
    return null;
  }
  return { ip: udp.ip, port: udp.port };
}

/** One chat flow's datagrams as a stream (see ChatEndpoints.datagramStreams): the client is the other endpoint. */
function datagramStream(flow: UdpFlow, id: number, serverIsA: boolean): TcpStream {
  const [client, server] = serverIsA ? [flow.b, flow.a] : [flow.a, flow.b];
  const first = flow.datagrams[0];
  const stream = new TcpStream(id, client, server, flow.firstFrame, first?.timestampNs ?? 0n);
  const plain = { syn: false, fin: false, rst: false };
  for (const datagram of flow.datagrams) {
    const direction = datagram.fromA !== serverIsA ? stream.clientToServer : stream.serverToClient;
    // Each datagram right after the one before: its "sequence number" is the bytes so far.
    direction.add(datagram.frame, direction.length, plain, datagram.payload);
    stream.packets += 1;
    stream.lastFrame = datagram.frame;
    stream.lastTimestampNs = datagram.timestampNs;
  }
  return stream;
}
