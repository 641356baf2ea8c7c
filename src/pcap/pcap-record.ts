/** Link-layer header types (tcpdump.org/linktypes.html) that this library dissects. */
export const LinkType = {
  /** LINKTYPE_ETHERNET (DLT_EN10MB): Ethernet II, what `tcpdump -i eth0` writes. */
  ETHERNET: 1,
  /** LINKTYPE_RAW: the frame starts with an IPv4 or IPv6 header. */
  RAW: 101,
  /** LINKTYPE_LINUX_SLL: Linux "cooked" v1, `tcpdump -i any` on older libpcap. */
  LINUX_SLL: 113,
  /** LINKTYPE_LINUX_SLL2: Linux "cooked" v2, `tcpdump -i any` on libpcap >= 1.10. */
  LINUX_SLL2: 276,
} as const;

/** One captured frame, as read from a classic pcap or pcapng file. */
export interface PcapRecord {
  /** Frame number within its file (or merged list), counting from 1 like Wireshark's `frame.number`. */
  readonly index: number;
  /** Capture time in nanoseconds since the Unix epoch (0n for pcapng Simple Packet Blocks, which have none). */
  readonly timestampNs: bigint;
  /** Link-layer header type of `data` (see `LinkType`). */
  readonly linkType: number;
  /** pcapng interface id (Interface Description Block order in the section); 0 for classic pcap. */
  readonly interfaceId: number;
  /** Bytes present in `data` (pcap `incl_len`, pcapng "Captured Packet Length"). */
  readonly capturedLength: number;
  /** Length of the frame on the wire (pcap `orig_len`); larger than `capturedLength` when snaplen cut it. */
  readonly originalLength: number;
  /** Frame bytes, starting at the link-layer header. May share memory with the buffer it was read from. */
  readonly data: Buffer;
}

/** What a pcapng Interface Description Block (or a classic pcap global header) says about an interface. */
export interface PcapInterface {
  readonly linkType: number;
  readonly snapLength: number;
  /** `if_name` option, when present. */
  readonly name?: string;
  /** Nanoseconds per timestamp unit as a rational `num / den` (from `if_tsresol`; default 1 us). */
  readonly tsNumerator: bigint;
  readonly tsDenominator: bigint;
  /** `if_tsoffset` option in seconds, added to every timestamp. */
  readonly tsOffsetSeconds: bigint;
}
