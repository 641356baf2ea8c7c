import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { buildTcpFrame, encodePcap, LinkType, LinuxIpIds } from '../../src/pcap/index.js';

/** A lab host of the synthetic session (the addresses the lab gives by default). */
interface Host {
  name: string;
  ip: string;
  mac: string;
}

const SERVER: Host = { name: 'server', ip: '10.77.0.10', mac: '02:42:0a:4d:00:0a' };
const CLIENTS: Host[] = ['alice', 'bob', 'carol'].map((name, i) => ({
  name,
  ip: `10.77.0.${11 + i}`,
  mac: `02:42:0a:4d:00:0${(11 + i).toString(16)}`,
}));
const PORT = 3300;
const MSS = 1448;
/** NOP, NOP, Timestamps: what Linux puts on every segment. */
const TS_OPTIONS = Buffer.from('0101080a0000000100000002', 'hex');
const ROOM = 'general';
const FILE_BYTES = 2 * 1048576;
const CHAT_ROUNDS_PER_FILE = 3000;

/** mulberry32: the same bytes on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes frames as a classic pcap file (what the lab's tcpdump writes), streaming. */
class PcapFileWriter {
  readonly #out;
  #pending: { timestampNs: bigint; originalLength: number; data: Buffer }[] = [];
  bytes = 0;
  frames = 0;
  timeNs = 1_790_000_000_000_000_000n;

  constructor(path: string) {
    this.#out = createWriteStream(path);
    const header = encodePcap([], { linkType: LinkType.ETHERNET });
    this.#out.write(header);
    this.bytes += header.length;
  }

  async add(data: Buffer, gapUs = 40): Promise<void> {
    this.timeNs += BigInt(gapUs) * 1000n;
    this.#pending.push({ timestampNs: this.timeNs, originalLength: data.length, data });
    this.bytes += 16 + data.length;
    this.frames++;
    if (this.#pending.length >= 2000) await this.#flush();
  }

  async #flush(): Promise<void> {
    const body = encodePcap(this.#pending, { linkType: LinkType.ETHERNET }).subarray(24);
    this.#pending = [];
    if (!this.#out.write(body))
      await new Promise<void>((resolve) =>
        this.#out.once('drain', () => {
          resolve();
        }),
      );
  }

  async close(): Promise<void> {
    await this.#flush();
    await new Promise<void>((resolve, reject) => {
      this.#out.end((error?: Error | null) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }
}

/** One client's TCP connection to the server, sequence numbers kept (RFC 9293 3.4). */
class Flow {
  #clientSeq = 1_000_000;
  #serverSeq = 7_000_000;
  readonly #clientIpIds = new LinuxIpIds(0x1000);
  readonly #serverIpIds = new LinuxIpIds(0x7000);
  #tag = 0;

  constructor(
    private readonly pcap: PcapFileWriter,
    readonly client: Host,
    readonly port: number,
  ) {}

  nextTag(): number {
    return ++this.#tag;
  }

  async #segment(fromClient: boolean, flags: string, payload: Buffer): Promise<void> {
    const [src, dst] = fromClient ? [this.client, SERVER] : [SERVER, this.client];
    const frame = buildTcpFrame({
      srcMac: src.mac,
      dstMac: dst.mac,
      src: src.ip,
      dst: dst.ip,
      srcPort: fromClient ? this.port : PORT,
      dstPort: fromClient ? PORT : this.port,
      seq: fromClient ? this.#clientSeq : this.#serverSeq,
      ack: flags.includes('A') ? (fromClient ? this.#serverSeq : this.#clientSeq) : 0,
      flags,
      options: TS_OPTIONS,
      payload,
      ipId: (fromClient ? this.#clientIpIds : this.#serverIpIds).next(flags),
    });
    const step = (flags.includes('S') || flags.includes('F') ? 1 : 0) + payload.length;
    if (fromClient) this.#clientSeq = (this.#clientSeq + step) >>> 0;
    else this.#serverSeq = (this.#serverSeq + step) >>> 0;
    await this.pcap.add(frame);
  }

  async open(): Promise<void> {
    await this.#segment(true, 'S', Buffer.alloc(0));
    await this.#segment(false, 'SA', Buffer.alloc(0));
    await this.#segment(true, 'A', Buffer.alloc(0));
  }

  /** Bytes from one side in MSS-sized segments, the other side acknowledging every second one. */
  async send(fromClient: boolean, bytes: Buffer): Promise<void> {
    for (let at = 0, n = 0; at < bytes.length; at += MSS, n++) {
      const last = at + MSS >= bytes.length;
      await this.#segment(fromClient, last ? 'PA' : 'A', bytes.subarray(at, at + MSS));
      if (last || n % 2 === 1) await this.#segment(!fromClient, 'A', Buffer.alloc(0));
    }
  }

  async line(fromClient: boolean, text: string): Promise<void> {
    await this.send(fromClient, Buffer.from(`${text}\n`));
  }

  async close(): Promise<void> {
    await this.#segment(true, 'FA', Buffer.alloc(0));
    await this.#segment(false, 'FA', Buffer.alloc(0));
    await this.#segment(true, 'A', Buffer.alloc(0));
  }
}

const WORDS =
  'the lab packet frame header segment port address chat room message server client bytes tcp ip ethernet capture'.split(
    ' ',
  );

/**
 * Writes a lab-like chat session as the server's capture (`server.pcap`, link type EN10MB) of at least
 * `targetBytes`: three clients connect, log in and join a room, then chat (each SAY answered and fanned
 * out as MSG events) with a 2 MiB file uploaded (`UPLOAD ... -`, DATA, `DIGEST`, as chatlab's client sends it)
 * and downloaded every few thousand messages. Deterministic.
 */
export async function writeSyntheticCapture(
  path: string,
  targetBytes: number,
): Promise<{ bytes: number; frames: number; messages: number; files: number }> {
  const pcap = new PcapFileWriter(path);
  const random = prng(3300);
  const at = (): string => new Date(Number(pcap.timeNs / 1_000_000n)).toISOString();
  const flows = CLIENTS.map((client, i) => new Flow(pcap, client, 41_000 + i * 1111));
  let messageId = 0;
  let fileId = 0;
  let transfer = 0;
  for (const [i, flow] of flows.entries()) {
    const name = flow.client.name;
    await flow.open();
    await flow.line(false, `* HELLO {"app":"chatlab-server","version":"0.1.0","protocol":"CHATLAB/1"}`);
    let tag = flow.nextTag();
    await flow.line(true, `${tag} REGISTER ${name} ${name}@example.org s3cret-${name}`);
    await flow.line(false, `${tag} 201 Created {"user":{"name":"${name}","display":"${name}"}}`);
    tag = flow.nextTag();
    await flow.line(true, `${tag} LOGIN ${name} s3cret-${name}`);
    await flow.line(false, `${tag} 200 OK {"user":{"name":"${name}"},"rooms":[],"notifications":0}`);
    tag = flow.nextTag();
    await flow.line(true, `${tag} ${i === 0 ? 'CREATE' : 'JOIN'} ${ROOM}`);
    await flow.line(
      false,
      `${tag} ${i === 0 ? '201 Created' : '200 OK'} {"room":{"name":"${ROOM}","owner":"alice"}}`,
    );
  }
  let messages = 0;
  let files = 0;
  while (pcap.bytes < targetBytes) {
    for (let round = 0; round < CHAT_ROUNDS_PER_FILE && pcap.bytes < targetBytes; round++) {
      const from = flows[Math.floor(random() * flows.length)] ?? flows[0];
      if (from === undefined) break;
      const words = Array.from(
        { length: 3 + Math.floor(random() * 30) },
        () => WORDS[Math.floor(random() * WORDS.length)] ?? 'x',
      );
      const text = `${words.join(' ')} #${messages}`;
      const tag = from.nextTag();
      await from.line(true, `${tag} SAY ${ROOM} ${text}`);
      const id = ++messageId;
      await from.line(false, `${tag} 200 OK {"id":${id},"at":"${at()}"}`);
      for (const to of flows) {
        if (to !== from)
          await to.line(
            false,
            `* MSG {"id":${id},"room":"${ROOM}","from":"${from.client.name}","text":"${text}","at":"${at()}"}`,
          );
      }
      messages++;
    }
    if (pcap.bytes >= targetBytes) break;
    const [up, down] = [flows[files % flows.length], flows[(files + 1) % flows.length]];
    if (up === undefined || down === undefined) break;
    const bytes = Buffer.alloc(FILE_BYTES);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE(Math.floor(random() * 4294967296), i);
    const sha = createHash('sha256').update(bytes).digest('hex');
    let tag = up.nextTag();
    const upload = ++transfer;
    // As chatlab's client uploads: the digest after the bytes, in an untagged DIGEST (docs/PROTOCOL.md §4 "Files").
    await up.line(true, `${tag} UPLOAD #${ROOM} ${bytes.length} - photo-${files}.bin`);
    await up.line(false, `${tag} 100 Continue {"transfer":${upload},"chunk":65536}`);
    for (let offset = 0; offset < bytes.length; offset += 65536) {
      const chunk = bytes.subarray(offset, offset + 65536);
      await up.send(true, Buffer.concat([Buffer.from(`DATA ${upload} ${offset} ${chunk.length}\n`), chunk]));
    }
    await up.line(true, `DIGEST ${upload} ${sha}`);
    const id = ++fileId;
    const file = `{"id":${id},"name":"photo-${files}.bin","size":${bytes.length},"sha256":"${sha}","from":"${up.client.name}","to":"#${ROOM}"}`;
    await up.line(false, `${tag} 201 Created {"file":${file}}`);
    for (const to of flows) if (to !== up) await to.line(false, `* FILE {"file":${file}}`);
    tag = down.nextTag();
    const download = ++transfer;
    await down.line(true, `${tag} DOWNLOAD ${id}`);
    await down.line(false, `${tag} 200 OK {"file":${file},"transfer":${download}}`);
    for (let offset = 0; offset < bytes.length; offset += 65536) {
      const chunk = bytes.subarray(offset, offset + 65536);
      await down.send(
        false,
        Buffer.concat([Buffer.from(`DATA ${download} ${offset} ${chunk.length}\n`), chunk]),
      );
    }
    files++;
  }
  for (const flow of flows) {
    const tag = flow.nextTag();
    await flow.line(true, `${tag} QUIT`);
    await flow.line(false, `${tag} 200 OK`);
    await flow.close();
  }
  await pcap.close();
  return { bytes: pcap.bytes, frames: pcap.frames, messages, files };
}
