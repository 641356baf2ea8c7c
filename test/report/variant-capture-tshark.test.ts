// The grading tests' variant captures (test/grade/submissions.ts: the lab fixture moved to a student's
// addresses and port) as tshark reads them: every IPv4 and TCP checksum good, every address and the chat
// port the variant's.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { deriveVariant } from '../../src/grade/variant.js';
import { tsharkFields } from '../../src/report/tshark/tshark-runner.js';
import { variantCapture } from '../grade/submissions.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('a variant capture made from the lab fixture, read by tshark', () => {
  it('has good checksums and only the variant addresses and port', async () => {
    const variant = deriveVariant('2024001', 'redes-2026');
    const dir = await mkdtemp(join(tmpdir(), 'variant-capture-'));
    dirs.push(dir);
    const file = join(dir, 'server.pcap');
    await writeFile(file, await variantCapture(variant));
    const rows = await tsharkFields(
      file,
      ['ip.checksum.status', 'tcp.checksum.status', 'ip.src', 'ip.dst', 'tcp.port'],
      {
        filter: 'ip',
        extra: ['-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'],
      },
    );
    expect(rows.length).toBeGreaterThan(150);
    const net = variant.subnet.split('.').slice(0, 3).join('.');
    for (const [ip = [], tcp = [], src = [], dst = [], ports = []] of rows) {
      expect(ip[0]).toBe('1');
      if (tcp[0] !== undefined) {
        expect(tcp[0]).toBe('1');
        expect(ports).toContain(String(variant.port));
      }
      expect(src[0]?.startsWith(`${net}.`)).toBe(true);
      expect(dst[0]?.startsWith(`${net}.`)).toBe(true);
    }
  }, 60_000);
});
