import type { PcapRecord } from '../../src/pcap/pcap-record.js';

/**
 * Hex fixtures shared by the tests. Every frame was checked with tshark 4.0 (all IPv4, TCP, UDP and ICMP
 * checksums "Good"); client 172.20.0.3:45678 (02:42:ac:14:00:03), server 172.20.0.2:3300 (02:42:ac:14:00:02).
 */
// prettier-ignore
export const FRAME = {
  /** SYN, MSS 1460, SACK_PERM, TSval 1155763, NOP, WS 7. IP ID 0x1c46, DF, TTL 64. */
  syn:
    '0242ac140002' + '0242ac140003' + '0800' + // Ethernet: dst, src, EtherType IPv4
    '45' + '00' + '003c' + '1c46' + '4000' + '40' + '06' + 'c648' + 'ac140003' + 'ac140002' + // IPv4
    'b26e' + '0ce4' + '9a3b1c2d' + '00000000' + 'a002' + 'faf0' + 'dc61' + '0000' + // TCP, Data Offset 10
    '020405b4' + '0402' + '080a0011a2b300000000' + '01' + '030307', // MSS, SACK_PERM, TS, NOP, WS
  /** PSH/ACK server -> client, NOP NOP TS, 26 payload bytes: `* HELLO {"app":"chatlab"}\n`. */
  hello:
    '0242ac140003' + '0242ac140002' + '0800' +
    '45' + '00' + '004e' + '8a01' + '4000' + '40' + '06' + '587b' + 'ac140002' + 'ac140003' +
    '0ce4' + 'b26e' + '1f2e3d4c' + '9a3b1c2e' + '8018' + '01fd' + '5f86' + '0000' +
    '0101' + '080a0011a2c80011a2b4' +
    '2a2048454c4c4f207b22617070223a22636861746c6162227d0a',
  /** ARP request: who has 172.20.0.2? tell 172.20.0.3 (42 bytes, sender side: no padding). */
  arp:
    'ffffffffffff' + '0242ac140003' + '0806' +
    '0001' + '0800' + '06' + '04' + '0001' + // hrd, pro, hln, pln, op (request)
    '0242ac140003' + 'ac140003' + '000000000000' + 'ac140002', // sha, spa, tha, tpa
  /** UDP 53535 -> 8.8.8.8:53, DNS query id 0x1234 A chatlab.server. */
  dns:
    '0242ac140002' + '0242ac140003' + '0800' +
    '45' + '00' + '003c' + '0b0c' + '4000' + '40' + '11' + '737e' + 'ac140003' + '08080808' +
    'd11f' + '0035' + '0028' + 'c50c' + // UDP: ports, Length 40, Checksum
    '123401000001000000000000' + '07636861746c6162067365727665720000010001',
  /** ICMP echo request id 7 seq 1, 16 data bytes 0x10..0x1f. */
  icmp:
    '0242ac140002' + '0242ac140003' + '0800' +
    '45' + '00' + '002c' + '3344' + '4000' + '40' + '01' + 'af5f' + 'ac140003' + 'ac140002' +
    '08' + '00' + '3f37' + '0007' + '0001' + // type, code, checksum, identifier, sequence
    '101112131415161718191a1b1c1d1e1f',
  /** IPv6 fd00::3 -> fd00::2, flow 0x12345, Destination Options header (PadN), TCP PSH/ACK "NICK ana\n". */
  ipv6:
    '0242ac140002' + '0242ac140003' + '86dd' +
    '60012345' + '0025' + '3c' + '40' + // version/class/flow, Payload Length 37, Next Header 60, Hop Limit
    'fd000000000000000000000000000003' + 'fd000000000000000000000000000002' +
    '06' + '00' + '0104' + '00000000' + // Destination Options: Next Header TCP, Hdr Ext Len 0, PadN
    'b26e' + '0ce4' + '01020304' + '0a0b0c0d' + '5018' + '01f6' + 'afff' + '0000' +
    '4e49434b20616e610a',
  /** First fragment of a 40-byte UDP datagram: MF set, offset 0, ID 0x5555, 24 data bytes. */
  fragment1:
    '0242ac140002' + '0242ac140003' + '0800' +
    '45' + '00' + '002c' + '5555' + '2000' + '40' + '11' + 'ad3e' + 'ac140003' + 'ac140002' +
    '9c40270f0028df0b' + '4142434445464748494a4b4c4d4e4f50',
  /** Last fragment: offset 3 (24 bytes), MF clear, 16 data bytes. */
  fragment2:
    '0242ac140002' + '0242ac140003' + '0800' +
    '45' + '00' + '0024' + '5555' + '0003' + '40' + '11' + 'cd43' + 'ac140003' + 'ac140002' +
    '5152535455565758595a5b5c5d5e5f60',
  /** IGMPv2 report with an IPv4 Router Alert option (IHL 6), TTL 1. */
  igmp:
    '01005e0000fb' + '0242ac140003' + '0800' +
    '46' + '00' + '0020' + '0000' + '4000' + '01' + '02' + '57c5' + 'ac140003' + 'e00000fb' + '94040000' +
    '16000904e00000fb',
} as const;

export const HELLO_PAYLOAD = '* HELLO {"app":"chatlab"}\n';

/** Classic pcap global headers: magic, 2.4, thiszone 0, sigfigs 0, snaplen 262144, LINKTYPE_ETHERNET. */
export const PCAP_HEADER = {
  microLittle: 'd4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + '01000000',
  nanoBig: 'a1b23c4d' + '0002' + '0004' + '00000000' + '00000000' + '00040000' + '00000001',
} as const;

/**
 * pcapng files checked with tshark: SHB (shb_userappl "chatlab-test"), IDB 0 (Ethernet, default
 * microseconds), IDB 1 (Ethernet, if_name "eth0", if_tsresol 9), EPB(if 0, SYN, 1700000000.123456),
 * NRB (skipped), EPB(if 1, HELLO, 1700000000.123789012, opt_comment "hi"), ISB (skipped), SPB (ARP).
 */
// prettier-ignore
export const PCAPNG = {
  little: [
    '0a0d0d0a300000004d3c2b1a01000000ffffffffffffffff04000c00636861746c61622d746573740000000030000000',
    '0100000014000000010000000000040014000000',
    '010000002800000001000000ffff0000020004006574683009000100090000000000000028000000',
    '060000006c00000000000000240a0600402220184a0000004a000000' + FRAME.syn + '00006c000000',
    '04000000100000000000000010000000',
    '060000008800000001000000fe9c9717d4de8a3d5c0000005c000000' + FRAME.hello + '01000200686900000000000088000000',
    '050000001800000000000000240a06004022201818000000',
    '030000003c0000002a000000' + FRAME.arp + '00003c000000',
  ].join(''),
  big: [
    '0a0d0d0a000000301a2b3c4d00010000ffffffffffffffff0004000c636861746c61622d746573740000000000000030',
    '0000000100000014000100000004000000000014',
    '0000000100000028000100000000ffff000200046574683000090001090000000000000000000028',
    '000000060000006c0000000000060a24182022400000004a0000004a' + FRAME.syn + '00000000006c',
    '00000004000000100000000000000010',
    '00000006000000880000000117979cfe3d8aded40000005c0000005c' + FRAME.hello + '00010002686900000000000000000088',
    '00000005000000180000000000060a241820224000000018',
    '000000030000003c0000002a' + FRAME.arp + '00000000003c',
  ].join(''),
} as const;

/** Hex to bytes; spaces between fields are allowed and ignored. */
export function hex(text: string): Buffer {
  return Buffer.from(text.replaceAll(' ', ''), 'hex');
}

/** A record holding `data` (hex or bytes), as the reader would yield it. */
export function recordOf(data: Buffer | string, linkType = 1, index = 7, timestampNs = 5n): PcapRecord {
  const bytes = typeof data === 'string' ? hex(data) : data;
  return {
    index,
    timestampNs,
    linkType,
    interfaceId: 0,
    capturedLength: bytes.length,
    originalLength: bytes.length,
    data: bytes,
  };
}

/** Pcap records of hex frames, each at its time (ns) with its link type (Ethernet by default), numbered from 1. */
export function records(list: readonly [frame: string, atNs: bigint, linkType?: number][]): PcapRecord[] {
  return list.map(([frame, at, linkType], i) => {
    const data = hex(frame);
    return {
      index: i + 1,
      timestampNs: at,
      linkType: linkType ?? 1,
      interfaceId: 0,
      capturedLength: data.length,
      originalLength: data.length,
      data,
    };
  });
}
