import {
  type ChecksumCheck,
  checkIpv4Checksum,
  checkTransportChecksum,
  dissect,
  type Layer,
  type TcpFlags,
  type TcpOption,
} from '../../pcap/index.js';
import type { AnswerF, ChatMessage, LayerAnswer, ReportFraming } from './answers.js';
import type { CaptureScan } from './capture-scan.js';
import type { ChatEndpoints } from './chat-endpoints.js';

type Fields = Record<string, string | number | boolean>;

/**
 * F: one frame that carries a whole chat message and nothing else, preferably a client's `SAY` (a chat
 * message with text), its layers in wire order with offsets and lengths in bytes (as Wireshark's packet
 * bytes pane marks them).
 */
export function buildAnswerF(
  scan: CaptureScan,
  endpoints: ChatEndpoints,
  messages: readonly ChatMessage[],
  carriesOnlyOne: (frame: number) => boolean,
  framing: ReportFraming = 'chatlab',
): AnswerF {
  const chosen = chooseMessage(messages, carriesOnlyOne);
  const record = chosen === undefined ? undefined : scan.frame(chosen.frame);
  if (chosen === undefined || record === undefined) {
    return { frame: null, message: null, frameLength: 0, hex: '', layers: [], trailer: null };
  }
  const packet = dissect(record);
  const stream = endpoints.chatStreams.find((s) => s.id === chosen.stream);
  const checks = [checkIpv4Checksum(packet), checkTransportChecksum(packet)];
  const layers: LayerAnswer[] = packet.layers.map((layer) => {
    const described = describe(layer, stream?.direction(chosen.direction).initialSequence);
    const check = checks.find((c) => c?.layer === layer.kind);
    return check === undefined
      ? described
      : { ...described, fields: { ...described.fields, ...checksumFields(check) } };
  });
  const appEnd = packet.payload.offset + packet.payload.length;
  // As Wireshark names the layer: chatlab.lua's, its own IRC dissector's, or undissected bytes ("Data").
  const application =
    framing === 'chatlab'
      ? { name: 'chatlab', protocol: 'chatlab' }
      : framing === 'irc'
        ? { name: 'Internet Relay Chat', protocol: 'irc' }
        : { name: 'Data', protocol: 'data' };
  layers.push({
    ...application,
    offset: packet.payload.offset,
    length: packet.payload.length,
    fields: chatFields(chosen),
  });
  return {
    frame: chosen.frame,
    message: chosen.id,
    frameLength: record.data.length,
    hex: record.data.toString('hex'),
    layers,
    trailer: appEnd < record.data.length ? { offset: appEnd, length: record.data.length - appEnd } : null,
  };
}

/** The header's checksum as verified here (RFC 1071 sum; pseudo-header for TCP and UDP). */
function checksumFields(check: ChecksumCheck): Fields {
  return {
    checksumStatus: check.status,
    checksumComputed: check.expected === null ? '' : hex4(check.expected),
  };
}

/** `carriesOnlyOne(frame)`: that frame's segment carries bytes of one message only, and is no retransmission. */
function chooseMessage(
  messages: readonly ChatMessage[],
  carriesOnlyOne: (frame: number) => boolean,
): ChatMessage | undefined {
  // A message the capture cut off (m.unfinished) is not whole, even alone in its segment.
  const whole = (m: ChatMessage): boolean =>
    m.frames.length === 1 && m.unfinished !== true && carriesOnlyOne(m.frame);
  const preferences: ((m: ChatMessage) => boolean)[] = [
    (m) => m.kind === 'request' && m.verb === 'SAY',
    (m) => m.kind === 'request' && m.verb === 'TELL',
    (m) => m.kind === 'event' && (m.event === 'MSG' || m.event === 'DM'),
    (m) => m.kind === 'request',
    (m) =>
      m.kind === 'text' && m.direction === 'client-to-server' && m.verb === 'PRIVMSG' && m.irc?.ctcp == null,
    (m) =>
      m.kind === 'text' &&
      m.direction === 'client-to-server' &&
      m.irc === undefined &&
      !m.summary.startsWith('/'),
    () => true,
  ];
  for (const preferred of preferences) {
    const found = messages.find((m) => preferred(m) && whole(m));
    if (found !== undefined) return found;
  }
  return messages[0];
}

function describe(layer: Layer, initialSequence: number | undefined): LayerAnswer {
  const base = { offset: layer.offset, length: layer.length };
  switch (layer.kind) {
    case 'ethernet':
      return {
        name: 'Ethernet II',
        protocol: 'eth',
        ...base,
        fields: {
          destination: layer.fields.dst,
          source: layer.fields.src,
          type: hex4(layer.fields.etherType),
        },
      };
    case 'ipv4': {
      const f = layer.fields;
      return {
        name: 'IPv4',
        protocol: 'ip',
        ...base,
        fields: {
          version: f.version,
          headerLength: f.headerLength,
          dscp: f.dscp,
          ecn: f.ecn,
          totalLength: f.totalLength,
          identification: hex4(f.identification),
          dontFragment: f.dontFragment,
          moreFragments: f.moreFragments,
          fragmentOffset: f.fragmentOffset,
          ttl: f.ttl,
          protocol: f.protocol,
          checksum: hex4(f.checksum),
          source: f.src,
          destination: f.dst,
        },
      };
    }
    case 'tcp': {
      const f = layer.fields;
      const fields: Fields = {
        sourcePort: f.srcPort,
        destinationPort: f.dstPort,
        sequenceNumber: f.seq,
        acknowledgmentNumber: f.ack,
        headerLength: f.headerLength,
        flags: flagNames(f.flags),
        window: f.window,
        checksum: hex4(f.checksum),
        urgentPointer: f.urgentPointer,
        options: f.options.map(optionName).join(', '),
      };
      if (initialSequence !== undefined)
        fields.relativeSequenceNumber = ((f.seq - initialSequence) >>> 0) + 1;
      return { name: 'TCP', protocol: 'tcp', ...base, fields };
    }
    case 'udp':
      return {
        name: 'UDP',
        protocol: 'udp',
        ...base,
        fields: {
          sourcePort: layer.fields.srcPort,
          destinationPort: layer.fields.dstPort,
          length: layer.fields.length,
          checksum: hex4(layer.fields.checksum),
        },
      };
    case 'ipv6':
      return {
        name: 'IPv6',
        protocol: 'ipv6',
        ...base,
        fields: {
          source: layer.fields.src,
          destination: layer.fields.dst,
          nextHeader: layer.fields.protocol,
        },
      };
    case 'sll':
    case 'sll2':
      return {
        name: layer.kind === 'sll' ? 'Linux cooked capture v1' : 'Linux cooked capture v2',
        protocol: layer.kind,
        ...base,
        fields: { address: layer.fields.address, protocol: hex4(layer.fields.protocol) },
      };
    case 'vlan':
      return { name: '802.1Q VLAN', protocol: 'vlan', ...base, fields: { id: layer.fields.vlanId } };
    default:
      return { name: layer.kind.toUpperCase(), protocol: layer.kind, ...base, fields: {} };
  }
}

function chatFields(message: ChatMessage): Fields {
  const fields: Fields = { kind: message.kind };
  if (message.tag !== undefined) fields.tag = message.tag ?? '-';
  if (message.verb !== undefined) fields.verb = message.verb;
  if (message.args !== undefined) fields.args = message.args;
  if (message.verb === 'SAY' || message.verb === 'TELL') {
    const args = message.args ?? '';
    const space = args.indexOf(' ');
    fields[message.verb === 'SAY' ? 'room' : 'user'] = space < 0 ? args : args.slice(0, space);
    fields.text = space < 0 ? '' : args.slice(space + 1);
  }
  if (message.status !== undefined) fields.status = message.status;
  if (message.reason !== undefined) fields.reason = message.reason;
  if (message.event !== undefined) fields.event = message.event;
  if (message.json !== undefined) fields.json = message.json;
  if (message.transfer !== undefined) fields.transfer = message.transfer;
  if (message.irc != null) {
    if (message.irc.prefix !== null) fields.prefix = message.irc.prefix;
    fields.params = message.irc.params.join(' | ');
  }
  if (message.text !== undefined) fields.text = message.text;
  fields.line = message.summary;
  return fields;
}

function flagNames(flags: TcpFlags): string {
  // Wireshark's order in the Info column: SYN, FIN, RST, PSH, ACK, URG, ECE, CWR.
  const names = ['syn', 'fin', 'rst', 'psh', 'ack', 'urg', 'ece', 'cwr'] as const;
  return names
    .filter((n) => flags[n])
    .map((n) => n.toUpperCase())
    .join(', ');
}

function optionName(option: TcpOption): string {
  switch (option.kind) {
    case 'mss':
      return `MSS ${option.value}`;
    case 'window-scale':
      return `WS ${option.shift}`;
    case 'timestamps':
      return `Timestamps ${option.value}/${option.echoReply}`;
    default:
      return option.kind.toUpperCase();
  }
}

function hex4(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}
