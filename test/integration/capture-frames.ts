import { readFile } from 'node:fs/promises';
import { dissect, findLayer, LinkType, payloadBytes, readPcapFile } from '../../src/pcap/index.js';

/** One TCP segment of a capture, with the fields the lab's assertions look at. */
export interface TcpFrame {
  linkType: number;
  ethSrc: string;
  ethDst: string;
  ipSrc: string;
  ipDst: string;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

/** The TCP segments of a capture file, through the project's own pcap reader and dissector. */
export async function tcpFrames(file: string): Promise<TcpFrame[]> {
  const { records } = await readPcapFile(file);
  const frames: TcpFrame[] = [];
  for (const record of records) {
    const packet = dissect(record);
    const ethernet = findLayer(packet, 'ethernet');
    if (ethernet === undefined || packet.ip === undefined || packet.tcp === undefined) continue;
    frames.push({
      linkType: record.linkType,
      ethSrc: ethernet.fields.src.toLowerCase(),
      ethDst: ethernet.fields.dst.toLowerCase(),
      ipSrc: packet.ip.src,
      ipDst: packet.ip.dst,
      srcPort: packet.tcp.srcPort,
      dstPort: packet.tcp.dstPort,
      payload: Buffer.from(payloadBytes(packet)),
    });
  }
  return frames;
}

/** The link type tcpdump writes for `-i eth0`: real Ethernet II headers. */
export const ETHERNET = LinkType.ETHERNET;

/** All payload bytes sent from one endpoint to another, in capture order. */
export function streamBytes(frames: readonly TcpFrame[], from: string, to: string): Buffer {
  return Buffer.concat(frames.filter((f) => f.ipSrc === from && f.ipDst === to).map((f) => f.payload));
}

/** Waits until a capture file holds `text` (tcpdump writes per packet), so stopping the lab loses nothing. */
export async function waitForCaptured(file: string, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bytes = await readFile(file).catch(() => Buffer.alloc(0));
    if (bytes.includes(text)) return;
    if (Date.now() > deadline)
      throw new Error(`${file} did not contain "${text}" after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
