import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTcpFrame, encodePcap, LinkType } from '../pcap/index.js';
import { MAX_ETHERNET_FRAME, scanCaptureOffloads } from './capture-offloads.js';

function frame(payloadBytes: number): { timestampNs: bigint; originalLength: number; data: Buffer } {
  const data = buildTcpFrame({
    src: '10.77.0.11',
    dst: '10.77.0.10',
    srcPort: 40000,
    dstPort: 3300,
    seq: 1,
    flags: 'PA',
    payload: Buffer.alloc(payloadBytes, 0x61),
  });
  return { timestampNs: 1_000_000_000n, originalLength: data.length, data };
}

describe('scanCaptureOffloads', () => {
  it('counts the frames longer than an Ethernet frame, per file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatlab-offloads-'));
    try {
      const wire = frame(MAX_ETHERNET_FRAME - 54); // 14 Ethernet + 20 IP + 20 TCP: exactly the maximum
      const merged = frame(2 * 1448);
      expect(wire.data.length).toBe(MAX_ETHERNET_FRAME);
      writeFileSync(join(dir, 'alice.pcap'), encodePcap([wire, frame(10)], { linkType: LinkType.ETHERNET }));
      writeFileSync(
        join(dir, 'server.pcap'),
        encodePcap([wire, merged, merged], { linkType: LinkType.ETHERNET }),
      );
      writeFileSync(join(dir, 'merged.pcapng'), 'not read');
      expect(await scanCaptureOffloads(dir)).toEqual({
        files: 2,
        frames: 5,
        oversized: 2,
        affected: ['server.pcap'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says there is nothing to judge without captures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatlab-offloads-'));
    try {
      expect(await scanCaptureOffloads(dir)).toBeUndefined();
      expect(await scanCaptureOffloads(join(dir, 'missing'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
