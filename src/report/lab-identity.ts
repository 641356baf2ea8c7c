import type { TcpStream } from '../pcap/index.js';
import { DEFAULT_PORT } from '../protocol/index.js';
import type { CaptureScan } from './capture-scan.js';
import type { RunInfo } from './run-record.js';

export interface IdentifiedHost {
  readonly name: string;
  readonly ip: string;
  readonly mac: string | null;
  /** First frame this host sent (its Ethernet and IP source addresses are there). */
  readonly frame: number | null;
}

export interface LabIdentity {
  readonly server: (IdentifiedHost & { readonly port: number }) | null;
  /** Connections to the server's chat port, in order of first appearance. */
  readonly chatStreams: readonly TcpStream[];
  readonly clients: readonly (IdentifiedHost & { readonly streams: readonly TcpStream[] })[];
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
export function identifyLab(scan: CaptureScan, runInfo: RunInfo | null): LabIdentity {
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
  const endpoint = chooseServer(streams, runInfo, warnings);
  if (endpoint === null) {
    return { server: null, chatStreams: [], clients: [], nameOf, ipOfHost, warnings };
  }
  const chatStreams = streams.filter((s) => s.server.ip === endpoint.ip && s.server.port === endpoint.port);
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
  const byClient = new Map<string, TcpStream[]>();
  for (const stream of chatStreams) {
    const list = byClient.get(stream.client.ip);
    if (list === undefined) byClient.set(stream.client.ip, [stream]);
    else list.push(stream);
  }
  return {
    server: { ...address(endpoint.ip), port: endpoint.port },
    chatStreams,
    clients: [...byClient].map(([ip, list]) => ({ ...address(ip), streams: list })),
    nameOf,
    ipOfHost,
    warnings,
  };
}

function chooseServer(
  streams: readonly TcpStream[],
  runInfo: RunInfo | null,
  warnings: string[],
): { ip: string; port: number } | null {
  const runServer = runInfo?.hosts.find((h) => h.role === 'server');
  const runPort = runInfo?.serverPort ?? null;
  if (runServer?.ip !== undefined && runPort !== null) {
    const found = streams.some((s) => s.server.ip === runServer.ip && s.server.port === runPort);
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
  if (best === undefined) warnings.push('no TCP connection was captured: there is no chat server to find');
  return best === undefined ? null : { ip: best.ip, port: best.port };
}
