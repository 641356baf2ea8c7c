import type { PcapError } from './pcap-error.js';
import type { PcapRecord } from './pcap-record.js';
import { PcapReader } from './pcap-reader.js';

/** One host's capture. */
export interface CaptureInput {
  /** Name of the host (or file) that captured these records. */
  readonly host: string;
  readonly records: Iterable<PcapRecord>;
}

/** Where one copy of a merged frame was captured. */
export interface FrameSource {
  readonly host: string;
  /** Frame number in that host's file. */
  readonly index: number;
  readonly timestampNs: bigint;
}

/**
 * A frame of the merged capture. `index` is its merged frame number (from 1, time order);
 * `timestampNs` and `data` come from the earliest copy; `interfaceId` is the order of first appearance
 * of its link type (the IDB `PcapngWriter` gives it).
 */
export interface MergedFrame extends PcapRecord {
  /** Hosts whose capture holds this frame, earliest first. */
  readonly hosts: readonly string[];
  readonly sources: readonly FrameSource[];
}

export interface MergeOptions {
  /** Copies of the same bytes at most this far apart are one frame. Default 1 s. */
  readonly windowNs?: bigint;
}

interface Entry {
  readonly host: string;
  readonly order: number;
  readonly record: PcapRecord;
}

interface Building {
  readonly frame: MergedFrame & { hosts: string[]; sources: FrameSource[] };
  readonly key: string;
}

/**
 * Merges several hosts' captures of the same lab into one time-ordered list. A frame between two
 * captured hosts is in both files; copies with identical bytes and link type within `windowNs` count
 * once, and the merged frame lists every host that saw it. A host's own file never merges with itself,
 * so a frame a host really sent twice stays twice.
 */
export function mergeCaptures(inputs: readonly CaptureInput[], options: MergeOptions = {}): MergedFrame[] {
  const windowNs = options.windowNs ?? 1_000_000_000n;
  const entries: Entry[] = [];
  inputs.forEach((input, order) => {
    for (const record of input.records) entries.push({ host: input.host, order, record });
  });
  entries.sort(
    (a, b) =>
      compareBigint(a.record.timestampNs, b.record.timestampNs) ||
      a.order - b.order ||
      a.record.index - b.record.index,
  );
  const merged: MergedFrame[] = [];
  const interfaceIds = new Map<number, number>();
  const recent = new Map<string, Building[]>();
  const window: Building[] = [];
  let windowHead = 0;
  for (const { host, record } of entries) {
    // Forget frames that fell out of the window so the map stays small on long captures.
    for (let old = window[windowHead]; old !== undefined; old = window[windowHead]) {
      if (record.timestampNs - old.frame.timestampNs <= windowNs) break;
      const list = recent.get(old.key);
      if (list !== undefined && list[0] === old) list.shift();
      if (list?.length === 0) recent.delete(old.key);
      windowHead += 1;
    }
    const key = frameKey(record);
    const candidates = recent.get(key);
    const match = candidates?.find(
      (c) =>
        !c.frame.hosts.includes(host) &&
        c.frame.data.equals(record.data) &&
        c.frame.linkType === record.linkType,
    );
    const source = { host, index: record.index, timestampNs: record.timestampNs };
    if (match !== undefined) {
      match.frame.hosts.push(host);
      match.frame.sources.push(source);
      continue;
    }
    let interfaceId = interfaceIds.get(record.linkType);
    if (interfaceId === undefined) {
      interfaceId = interfaceIds.size;
      interfaceIds.set(record.linkType, interfaceId);
    }
    // Built field by field: object spread of records is several times slower on large captures.
    const frame = {
      index: merged.length + 1,
      timestampNs: record.timestampNs,
      linkType: record.linkType,
      interfaceId,
      capturedLength: record.capturedLength,
      originalLength: record.originalLength,
      data: record.data,
      hosts: [host],
      sources: [source],
    };
    const building = { frame, key };
    merged.push(frame);
    window.push(building);
    if (candidates === undefined) recent.set(key, [building]);
    else candidates.push(building);
  }
  return merged;
}

/** Reads each host's file and merges them. Warnings (truncated files) are returned, not thrown. */
export async function mergeCaptureFiles(
  files: readonly { readonly host: string; readonly path: string }[],
  options: MergeOptions = {},
): Promise<{ frames: MergedFrame[]; warnings: PcapError[] }> {
  const warnings: PcapError[] = [];
  const inputs: CaptureInput[] = [];
  for (const { host, path } of files) {
    const records: PcapRecord[] = [];
    for await (const record of PcapReader.fromFile(path, { onWarning: (w) => warnings.push(w) })) {
      records.push(record);
    }
    inputs.push({ host, records });
  }
  return { frames: mergeCaptures(inputs, options), warnings };
}

/**
 * Bucket key: link type, length and the first 96 bytes (all headers up to TCP options, where IP ID,
 * checksums and sequence numbers differ between frames). Matches are confirmed with a full byte compare.
 */
function frameKey(record: PcapRecord): string {
  return `${record.linkType}:${record.data.length}:${record.data.toString('latin1', 0, 96)}`;
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
