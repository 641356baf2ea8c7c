// Test helper (never product code): a student's submission made from the committed lab capture
// (test/report/fixtures/lab-session, 10.77.60.0/24 on port 3300) moved to a variant's addresses and port,
// with every IPv4 and TCP checksum recomputed, and a filled answer sheet.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePcap, internetChecksum, LinkType, readPcapFile } from '../../src/pcap/index.js';
import { onesComplementSum } from '../../src/pcap/internet-checksum.js';
import { analyseRun } from '../../src/report/analysis/analyse-run.js';
import type { Answers, Listings } from '../../src/report/analysis/answers.js';
import { type AnswerSheet, SHEET_FILE, SHEET_FIELDS, type SheetField } from '../../src/grade/answer-sheet.js';
import { clientIp, type Variant } from '../../src/grade/variant.js';

export const FIXTURE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'report',
  'fixtures',
  'lab-session',
);
const FIXTURE_NET = '10.77.60';
const FIXTURE_PORT = 3300;

/** The fixture's host addresses mapped to the variant's: server .10 to the variant's server, .11-.13 to its clients. */
function addressMap(variant: Variant): Map<string, Buffer> {
  const ip = (text: string): Buffer => Buffer.from(text.split('.').map(Number));
  const map = new Map<string, Buffer>([[`${FIXTURE_NET}.10`, ip(variant.serverIp)]]);
  for (let i = 0; i < 3; i++) map.set(`${FIXTURE_NET}.${11 + i}`, ip(clientIp(variant, i)));
  return map;
}

function swapIp(data: Buffer, at: number, map: Map<string, Buffer>): void {
  const now = [...data.subarray(at, at + 4)].join('.');
  map.get(now)?.copy(data, at);
}

/** One Ethernet frame moved to the variant: ARP and IPv4 addresses, the chat port, both checksums. */
function rewriteFrame(original: Buffer, map: Map<string, Buffer>, port: number): Buffer {
  const data = Buffer.from(original);
  const etherType = data.readUInt16BE(12);
  if (etherType === 0x0806) {
    swapIp(data, 14 + 14, map); // ARP sender protocol address (RFC 826)
    swapIp(data, 14 + 24, map); // target protocol address
    return data;
  }
  if (etherType !== 0x0800) return data;
  const ip = 14;
  const ihl = (data[ip] ?? 0x45) & 0x0f;
  const totalLength = data.readUInt16BE(ip + 2);
  swapIp(data, ip + 12, map);
  swapIp(data, ip + 16, map);
  data.writeUInt16BE(0, ip + 10); // RFC 791 Header Checksum
  data.writeUInt16BE(internetChecksum(data, ip, ip + ihl * 4), ip + 10);
  if (data[ip + 9] !== 6) return data;
  const tcp = ip + ihl * 4;
  for (const at of [tcp, tcp + 2]) if (data.readUInt16BE(at) === FIXTURE_PORT) data.writeUInt16BE(port, at);
  const end = Math.min(ip + totalLength, data.length);
  if (end < ip + totalLength) return data; // cut by the snap length: the checksum cannot be computed
  data.writeUInt16BE(0, tcp + 16); // RFC 9293 3.1 Checksum
  const pseudo = onesComplementSum(data, ip + 12, ip + 20, 6 + (end - tcp));
  data.writeUInt16BE(internetChecksum(data, tcp, end, pseudo), tcp + 16);
  return data;
}

/** The fixture's `host` capture moved to the variant, as pcap bytes. */
export async function variantCapture(variant: Variant, host = 'server'): Promise<Buffer> {
  const { records } = await readPcapFile(join(FIXTURE, 'captures', `${host}.pcap`));
  const map = addressMap(variant);
  return encodePcap(
    records.map((r) => ({ ...r, data: rewriteFrame(r.data, map, variant.port) })),
    { linkType: LinkType.ETHERNET },
  );
}

/** The sheet a student who read everything right would hand in, from the report's own answers. */
export function rightSheet({ answers, listings }: { answers: Answers; listings: Listings }): AnswerSheet {
  const f = (protocol: string): string => {
    const layer = answers.F.layers.find((l) => l.protocol === protocol);
    return layer === undefined ? '' : `${layer.offset}-${layer.offset + layer.length - 1}`;
  };
  const app = answers.F.layers.find((l) => !['eth', 'ip', 'tcp'].includes(l.protocol));
  return {
    'A.application': answers.A.application ?? '',
    'A.version': answers.A.version ?? '',
    'A.frame': String(answers.A.frame ?? ''),
    'B.server_ip': answers.B.server?.ip ?? '',
    'B.client_ips': answers.B.clients.map((c) => c.ip).join(', '),
    'C.transport': answers.C.transport ?? '',
    'D.destination_port': String(answers.D.serverPort ?? ''),
    'D.source_ports': answers.D.clients.flatMap((c) => c.sourcePorts).join(', '),
    'E.frames': listings.segments
      .filter((s) => s.payloadLength > 0)
      .slice(0, 5)
      .map((s) => s.frame)
      .join(', '),
    'F.frame': String(answers.F.frame ?? ''),
    'F.ethernet': f('eth'),
    'F.ip': f('ip'),
    'F.tcp': f('tcp'),
    'F.application': app === undefined ? '' : `${app.offset}-${app.offset + app.length - 1}`,
  };
}

/** A sheet as text, `field: value` a line. */
export function sheetText(student: string, sheet: AnswerSheet): string {
  const lines = [`student: ${student}`];
  for (const field of Object.keys(SHEET_FIELDS) as SheetField[])
    lines.push(`${field}: ${sheet[field] ?? ''}`);
  return `${lines.join('\n')}\n`;
}

/** The report's answers for a submission's capture (what a right sheet is filled from). */
export async function answersOf(dir: string): Promise<{ answers: Answers; listings: Listings }> {
  return analyseRun(dir);
}

/**
 * Writes `<dir>/<student>/` with `variant`'s server capture (or `capture` bytes given) and a sheet: the
 * right answers changed by `edit`, or the sheet text `sheet` as given.
 */
export async function writeSubmission(
  dir: string,
  student: string,
  variant: Variant,
  options: { capture?: Buffer; edit?: (sheet: AnswerSheet) => AnswerSheet; sheet?: string | null } = {},
): Promise<string> {
  const folder = join(dir, student);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'server.pcap'), options.capture ?? (await variantCapture(variant)));
  if (options.sheet === null) return folder;
  if (options.sheet !== undefined) {
    await writeFile(join(folder, SHEET_FILE), options.sheet);
    return folder;
  }
  const right = rightSheet(await answersOf(folder));
  await writeFile(join(folder, SHEET_FILE), sheetText(student, (options.edit ?? ((s) => s))(right)));
  return folder;
}
