import { createReadStream } from 'node:fs';
import { ByteQueue } from '../util/byte-queue.js';
import { ClassicPcapParser, isClassicPcapMagic } from './classic-pcap-parser.js';
import { PcapError } from './pcap-error.js';
import type { PcapInterface, PcapRecord } from './pcap-record.js';
import { PCAPNG_SHB, PcapngParser } from './pcapng-parser.js';

export type CaptureFormat = 'pcap' | 'pcapng';

export interface PcapReaderOptions {
  /** Throw on a truncated final record instead of recording a warning. Default false. */
  readonly strict?: boolean;
  /** Name used in messages (usually the file path). */
  readonly source?: string;
}

/**
 * Streaming reader for classic pcap (both byte orders, micro- and nanosecond magic) and pcapng (any
 * number of sections, either byte order). Push chunks of any size; complete records come out in order.
 *
 * A truncated final record (a capture cut off by a killed tcpdump) is not an exception: `end()` records
 * a `PCAP_TRUNCATED` warning in `warnings` and the records before it stay valid. Corrupt headers throw.
 */
export class PcapReader {
  /** Problems that did not stop reading (currently: a truncated end of input). */
  readonly warnings: PcapError[] = [];
  private readonly queue = new ByteQueue();
  private parser: ClassicPcapParser | PcapngParser | undefined;
  private ended = false;

  constructor(private readonly options: PcapReaderOptions = {}) {}

  /** 'pcap' or 'pcapng' once the first 4 bytes have been seen. */
  get format(): CaptureFormat | undefined {
    if (this.parser === undefined) return undefined;
    return this.parser instanceof ClassicPcapParser ? 'pcap' : 'pcapng';
  }

  /** Interfaces described so far (pcapng: current section's IDBs; pcap: the global header). */
  get interfaces(): readonly PcapInterface[] {
    return this.parser?.interfaces ?? [];
  }

  /** Adds bytes and returns the records completed by them. `data` of a record may alias `chunk`. */
  push(chunk: Buffer): PcapRecord[] {
    if (this.ended)
      throw new PcapError('PCAP_ENDED', `push() after end() on ${this.name}; create a new reader.`);
    this.queue.push(chunk);
    const out: PcapRecord[] = [];
    const parser = this.parser ?? this.detect();
    parser?.parse(this.queue, out);
    return out;
  }

  /** Declares the end of input; leftover bytes become a `PCAP_TRUNCATED` warning (or error when strict). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.queue.length === 0 && this.parser !== undefined) return;
    const what = this.parser?.describePending(this.queue) ?? 'capture file header';
    const warning = new PcapError(
      'PCAP_TRUNCATED',
      `${this.name} ends inside the ${what}: ${this.queue.length} bytes at byte ${this.queue.position} ` +
        `were ignored. The capture was probably cut off (tcpdump killed before flushing); the records ` +
        `before it are complete. Stop tcpdump with SIGINT/SIGTERM so it flushes its buffer.`,
      { offset: this.queue.position, bytes: this.queue.length },
    );
    if (this.options.strict === true) throw warning;
    this.warnings.push(warning);
  }

  /** Reads a capture file record by record, streaming it from disk. Warnings go to `onWarning`. */
  static async *fromFile(
    path: string,
    options: PcapReaderOptions & { onWarning?: (warning: PcapError) => void } = {},
  ): AsyncGenerator<PcapRecord, void, undefined> {
    const reader = new PcapReader({ source: path, ...options });
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      yield* reader.push(chunk);
    }
    reader.end();
    for (const warning of reader.warnings) options.onWarning?.(warning);
  }

  private get name(): string {
    return this.options.source ?? 'capture';
  }

  private detect(): ClassicPcapParser | PcapngParser | undefined {
    const magicBytes = this.queue.peek(4);
    if (magicBytes === undefined) return undefined;
    const magic = magicBytes.readUInt32LE(0);
    if (magic === PCAPNG_SHB) this.parser = new PcapngParser();
    else if (isClassicPcapMagic(magic)) this.parser = new ClassicPcapParser();
    else {
      throw new PcapError(
        'PCAP_BAD_MAGIC',
        `${this.name} is neither pcap nor pcapng (first bytes ${magicBytes.toString('hex')}). ` +
          `Capture with "tcpdump -i eth0 -w file.pcap" or save from Wireshark as pcap/pcapng.`,
        { magic },
      );
    }
    return this.parser;
  }
}

/** Reads a whole capture file into memory: its records and any warnings. */
export async function readPcapFile(
  path: string,
  options: PcapReaderOptions = {},
): Promise<{ records: PcapRecord[]; warnings: PcapError[] }> {
  const records: PcapRecord[] = [];
  const warnings: PcapError[] = [];
  for await (const record of PcapReader.fromFile(path, { ...options, onWarning: (w) => warnings.push(w) })) {
    records.push(record);
  }
  return { records, warnings };
}
