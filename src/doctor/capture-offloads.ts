import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LinkType, PcapReader } from '../pcap/index.js';

/** An Ethernet frame on a 1500-byte MTU is at most 1514 bytes without its FCS, which captures leave out. */
export const MAX_ETHERNET_FRAME = 1514;

/** What the captures in a folder say about offloads: frames larger than the wire allows. */
export interface OffloadScan {
  files: number;
  frames: number;
  /** Frames longer than one Ethernet frame: segments the kernel merged (GRO) or had not cut yet (TSO/GSO). */
  oversized: number;
  /** The files with oversized frames. */
  affected: string[];
}

/**
 * Reads every .pcap and .pcapng in `dir` (merged.pcapng excepted: it repeats the hosts' frames) and counts
 * the frames longer than an Ethernet frame can be on the wire. Undefined when the folder has no capture.
 */
export async function scanCaptureOffloads(dir: string): Promise<OffloadScan | undefined> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /\.pcap(ng)?$/.test(name) && name !== 'merged.pcapng');
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  const scan: OffloadScan = { files: 0, frames: 0, oversized: 0, affected: [] };
  for (const name of names.sort()) {
    let oversized = 0;
    try {
      for await (const record of PcapReader.fromFile(join(dir, name))) {
        scan.frames++;
        if (record.linkType === LinkType.ETHERNET && record.originalLength > MAX_ETHERNET_FRAME) oversized++;
      }
    } catch {
      continue; // a capture still being written, or not a capture: the report says what is wrong with it
    }
    scan.files++;
    scan.oversized += oversized;
    if (oversized > 0) scan.affected.push(name);
  }
  return scan;
}
