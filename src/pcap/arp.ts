import { formatIpv4, formatMac } from './address-format.js';
import { type LayerBase, requireBytes } from './layer-base.js';

export type ArpLayer = LayerBase<
  'arp',
  {
    /** ar$hrd: hardware address space (1 = Ethernet). */
    readonly hardwareType: number;
    /** ar$pro: protocol address space (0x0800 = IPv4). */
    readonly protocolType: number;
    /** ar$hln, ar$pln: address lengths in bytes. */
    readonly hardwareLength: number;
    readonly protocolLength: number;
    /** ar$op: 1 request, 2 reply. */
    readonly operation: number;
    readonly senderMac: string;
    readonly senderIp: string;
    readonly targetMac: string;
    readonly targetIp: string;
  }
>;

/** ARP packet (RFC 826): ar$hrd, ar$pro, ar$hln, ar$pln, ar$op, ar$sha, ar$spa, ar$tha, ar$tpa. */
export function dissectArp(data: Buffer, offset: number, end: number): ArpLayer {
  requireBytes('arp', offset, 8, end);
  const hardwareLength = data.readUInt8(offset + 4);
  const protocolLength = data.readUInt8(offset + 5);
  const length = 8 + 2 * hardwareLength + 2 * protocolLength;
  requireBytes('arp', offset, length, end);
  const spa = offset + 8 + hardwareLength;
  const tha = spa + protocolLength;
  const tpa = tha + hardwareLength;
  const ip = (at: number): string =>
    protocolLength === 4 ? formatIpv4(data, at) : data.toString('hex', at, at + protocolLength);
  return {
    kind: 'arp',
    offset,
    length,
    fields: {
      hardwareType: data.readUInt16BE(offset),
      protocolType: data.readUInt16BE(offset + 2),
      hardwareLength,
      protocolLength,
      operation: data.readUInt16BE(offset + 6),
      senderMac: formatMac(data, offset + 8, hardwareLength),
      senderIp: ip(spa),
      targetMac: formatMac(data, tha, hardwareLength),
      targetIp: ip(tpa),
    },
  };
}
