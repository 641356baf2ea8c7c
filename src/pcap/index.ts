// Capture reading, dissection, TCP reassembly, merging and writing. See each file for the spec it follows.
export { PcapError, type PcapErrorCode } from './pcap-error.js';
export { LinkType, type PcapInterface, type PcapRecord } from './pcap-record.js';
export { PcapReader, readPcapFile, type CaptureFormat, type PcapReaderOptions } from './pcap-reader.js';

export { dissect } from './dissect.js';
export { findLayer, payloadBytes, type Layer, type LayerKind, type Packet } from './packet.js';
export type { LayerBase } from './layer-base.js';
export { EtherType, type EthernetLayer, type VlanLayer } from './ethernet.js';
export type { SllLayer, Sll2Layer } from './linux-sll.js';
export type { ArpLayer } from './arp.js';
export type { Ipv4Layer, Ipv4Option } from './ipv4.js';
export type { Ipv6ExtensionHeader, Ipv6Layer } from './ipv6.js';
export type { TcpFlags, TcpLayer } from './tcp.js';
export type { TcpOption } from './tcp-options.js';
export type { UdpLayer } from './udp.js';
export type { IcmpLayer, Icmpv6Layer } from './icmp.js';
export { formatIpv4, formatIpv6, formatMac } from './address-format.js';
export { internetChecksum } from './internet-checksum.js';

export { TcpReassembler, type TcpReassemblerOptions } from './tcp-reassembler.js';
export { TcpStream, type TcpDirectionName, type TcpEndpoint, type TcpStreamSummary } from './tcp-stream.js';
export { TcpDirection, type StreamChunk, type TcpDirectionSummary } from './tcp-direction.js';

export {
  mergeCaptureFiles,
  mergeCaptures,
  type CaptureInput,
  type FrameSource,
  type MergedFrame,
  type MergeOptions,
} from './capture-merger.js';
export { FrameTable, headHash, mergeFrameTables, readFrameTable } from './frame-table.js';
export {
  PcapngWriter,
  encodePcapng,
  writePcapngFile,
  type PcapngWriterOptions,
  type WritableFrame,
} from './pcapng-writer.js';
export { encodePcap, type PcapWriterOptions } from './pcap-writer.js';
export {
  buildTcpFrame,
  buildUdpFrame,
  LinuxIpIds,
  type TcpFrameSpec,
  type UdpFrameSpec,
} from './frame-builder.js';
export {
  checkIpv4Checksum,
  checkTransportChecksum,
  type ChecksumCheck,
  type ChecksumStatus,
} from './transport-checksum.js';
