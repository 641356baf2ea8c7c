import { formatIpv6 } from './address-format.js';
import { type LayerBase, malformed, requireBytes } from './layer-base.js';

export interface Ipv6ExtensionHeader {
  /** Next Header value that announced this header (0 Hop-by-Hop, 43 Routing, 44 Fragment, 60 Dest. Options). */
  readonly type: number;
  readonly offset: number;
  readonly length: number;
}

export type Ipv6Layer = LayerBase<
  'ipv6',
  {
    readonly version: 6;
    readonly trafficClass: number;
    readonly flowLabel: number;
    /** Payload Length: bytes after the fixed 40-byte header, extension headers included. */
    readonly payloadLength: number;
    /** Next Header of the fixed header. */
    readonly nextHeader: number;
    readonly hopLimit: number;
    readonly src: string;
    readonly dst: string;
    readonly extensionHeaders: readonly Ipv6ExtensionHeader[];
    /** Upper-layer protocol after all extension headers (6 TCP, 17 UDP, 58 ICMPv6, 59 none). */
    readonly protocol: number;
    /** Fragment header values when present (RFC 8200 4.5); offset in bytes. */
    readonly fragment?: {
      readonly offset: number;
      readonly moreFragments: boolean;
      readonly identification: number;
    };
  }
>;

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTHENTICATION = 51;
const DESTINATION_OPTIONS = 60;
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;

/**
 * IPv6 header (RFC 8200 3): Version, Traffic Class, Flow Label, Payload Length, Next Header, Hop Limit,
 * Source and Destination Address; extension headers (RFC 8200 4) are walked and included in `length`.
 */
export function dissectIpv6(data: Buffer, offset: number, end: number): Ipv6Layer {
  requireBytes('ipv6', offset, 40, end);
  const word = data.readUInt32BE(offset);
  if (word >>> 28 !== 6) throw malformed('ipv6', offset, `has version ${word >>> 28}, not 6`);
  const nextHeader = data.readUInt8(offset + 6);
  const extensionHeaders: Ipv6ExtensionHeader[] = [];
  let fragment: { offset: number; moreFragments: boolean; identification: number } | undefined;
  let protocol = nextHeader;
  let at = offset + 40;
  while (isExtension(protocol)) {
    requireBytes('ipv6', at, 8, end);
    let length: number;
    if (protocol === FRAGMENT) {
      // Fragment header: Next Header, Reserved, Fragment Offset (13) | Res (2) | M, Identification.
      const offsetFlags = data.readUInt16BE(at + 2);
      fragment = {
        offset: offsetFlags & 0xfff8,
        moreFragments: (offsetFlags & 1) === 1,
        identification: data.readUInt32BE(at + 4),
      };
      length = 8;
    } else if (protocol === AUTHENTICATION) {
      length = (data.readUInt8(at + 1) + 2) * 4; // RFC 4302 2.2: Payload Len in 32-bit words minus 2
    } else {
      length = (data.readUInt8(at + 1) + 1) * 8; // Hdr Ext Len in 8-octet units, not counting the first 8
    }
    requireBytes('ipv6', at, length, end);
    extensionHeaders.push({ type: protocol, offset: at, length });
    protocol = data.readUInt8(at);
    at += length;
    // A non-first fragment carries no upper-layer header: stop walking.
    if (fragment !== undefined && fragment.offset > 0) break;
  }
  return {
    kind: 'ipv6',
    offset,
    length: at - offset,
    fields: {
      version: 6,
      trafficClass: (word >>> 20) & 0xff,
      flowLabel: word & 0xfffff,
      payloadLength: data.readUInt16BE(offset + 4),
      nextHeader,
      hopLimit: data.readUInt8(offset + 7),
      src: formatIpv6(data, offset + 8),
      dst: formatIpv6(data, offset + 24),
      extensionHeaders,
      protocol,
      ...(fragment && { fragment }),
    },
  };
}

function isExtension(protocol: number): boolean {
  return (
    protocol === HOP_BY_HOP ||
    protocol === ROUTING ||
    protocol === FRAGMENT ||
    protocol === AUTHENTICATION ||
    protocol === DESTINATION_OPTIONS ||
    protocol === MOBILITY ||
    protocol === HIP ||
    protocol === SHIM6
  );
}
