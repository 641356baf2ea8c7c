import type { ChatMessage, HostTraffic } from './answers.js';
import type { CaptureScan } from './capture-scan.js';
import type { ChatEndpoints } from './chat-endpoints.js';
import type { CaptureFile } from './run-folder.js';

const PROTOCOLS = ['tcp', 'udp', 'arp', 'icmp', 'icmpv6'];

/** What each host's capture saw: frames and bytes, sent and received, by protocol, and its chat messages. */
export function buildHostTraffic(
  scan: CaptureScan,
  endpoints: ChatEndpoints,
  captures: readonly CaptureFile[],
  messages: readonly ChatMessage[],
): HostTraffic[] {
  const perStream = new Map<number, number>();
  for (const m of messages) perStream.set(m.stream, (perStream.get(m.stream) ?? 0) + 1);
  return captures.map((capture) => {
    const counters = scan.hosts.get(capture.host);
    const ip = endpoints.ipOfHost.get(capture.host) ?? null;
    const macs = ip === null ? undefined : scan.macsByIp.get(ip);
    const mac =
      macs === undefined ? null : ([...macs].sort((a, b) => b[1].count - a[1].count)[0]?.[0] ?? null);
    const frames = counters?.frames ?? 0;
    const bytes = counters?.bytes ?? 0;
    const sent = (mac === null ? undefined : counters?.bySourceMac.get(mac)) ?? { frames: 0, bytes: 0 };
    const byProtocol: Record<string, number> = {};
    let known = 0;
    for (const protocol of PROTOCOLS) {
      byProtocol[protocol] = counters?.byProtocol.get(protocol) ?? 0;
      known += byProtocol[protocol];
    }
    byProtocol.other = frames - known;
    const isServer = ip !== null && ip === endpoints.server?.ip;
    const client = endpoints.clients.find((c) => c.ip === ip);
    const chatMessages = isServer
      ? messages.length
      : (client?.streams.reduce((sum, s) => sum + (perStream.get(s.id) ?? 0), 0) ?? 0);
    return {
      name: capture.host,
      file: capture.file,
      role: isServer ? 'server' : client !== undefined ? 'client' : 'other',
      ip,
      mac,
      frames,
      bytes,
      sent: { frames: sent.frames, bytes: sent.bytes },
      received: { frames: frames - sent.frames, bytes: bytes - sent.bytes },
      byProtocol,
      chatMessages,
    };
  });
}
