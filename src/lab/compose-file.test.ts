import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderCompose } from './compose-file.js';
import { DEFAULT_LAB_CONFIG, readLabConfig } from './lab-config.js';
import { composeFileFor } from './lab-compose.js';
import { DEFAULT_COMPOSE_FILE, LAB_STATE_DIR, REPO_ROOT } from './paths.js';
import { buildTopology } from './topology.js';

const atDefault = { root: REPO_ROOT, composeDir: dirname(DEFAULT_COMPOSE_FILE) };

describe('renderCompose', () => {
  it('renders exactly the committed compose/lab.yml for the default topology (run `npm run lab:render`)', () => {
    expect(readFileSync(DEFAULT_COMPOSE_FILE, 'utf8')).toBe(renderCompose(buildTopology(), atDefault));
  });

  it('puts every host at its fixed address with a sniffer on its eth0, flushing per packet', () => {
    const text = renderCompose(buildTopology(), atDefault);
    expect(text).toContain('- subnet: 10.77.0.0/24');
    expect(text).toContain('ipv4_address: 10.77.0.10');
    expect(text).toContain('ipv4_address: 10.77.0.13');
    expect(text).toContain('network_mode: service:bob');
    const bobCapture = text.slice(text.indexOf('  bob-capture:'));
    const tcpdump = 'exec tcpdump -i eth0 -p --immediate-mode -B 65536 -U -Z root -w /captures/bob.pcap';
    expect(bobCapture).toContain(`    command:\n      - 'sh'\n      - '-c'\n`);
    // Offloads off first (real frames on the wire), then tcpdump in place of the shell.
    expect(bobCapture).toContain('ethtool -K eth0 tx off tso off gso off gro off');
    expect(bobCapture.indexOf('ethtool')).toBeLessThan(bobCapture.indexOf(tcpdump));
    expect(bobCapture).toContain(`; ${tcpdump}"`);
    expect(text).toContain("volumes: ['../captures:/captures']");
  });

  it("sizes the sniffers' capture buffers so that a large lab does not take gigabytes of the engine's memory", () => {
    const buffers = (clients: number): Map<string, number> => {
      const names = Array.from({ length: clients }, (_, i) => `c${String(i)}`);
      const text = renderCompose(buildTopology({ ...DEFAULT_LAB_CONFIG, clients: names }), atDefault);
      return new Map(
        [...text.matchAll(/tcpdump .* -B (\d+) .* -w \/captures\/([\w-]+)\.pcap/g)].map(
          ([, kib = '', host = '']) => [host, Number(kib) / 1024] as const,
        ),
      );
    };
    const small = buffers(3);
    expect([...small.values()]).toEqual([64, 64, 64, 64]); // the default lab: 64 MiB each, as before
    const large = buffers(30);
    expect(large.size).toBe(31);
    expect(large.get('server')).toBe(64); // it sees every packet of the lab
    expect(large.get('c0')).toBe(16);
    const total = [...large.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(64 + 30 * 16); // 544 MiB, where 64 each was 1984
    expect(buffers(10).get('c9')).toBe(44);
  });

  it("keeps the server's data folder in a named volume, so a killed and restarted server finds its data", () => {
    const text = renderCompose(buildTopology(), atDefault);
    const server = text.slice(text.indexOf('  server:'), text.indexOf('  alice:'));
    expect(server).toContain("volumes: ['server-data:/data']");
    expect(server).not.toContain('tmpfs');
    expect(text).toContain('\nvolumes:\n  server-data:\n');
  });

  it('follows a changed topology: subnet, port, no published port, absolute captures folder', () => {
    const topology = buildTopology(
      readLabConfig({
        CHATLAB_PROJECT: 'lab2',
        CHATLAB_SUBNET: '10.88.0.0/24',
        CHATLAB_PORT: '4000',
        CHATLAB_HOST_PORT: 'none',
        CHATLAB_CLIENTS: '2',
        CHATLAB_CAPTURES: '/tmp/caps',
      }),
    );
    const text = renderCompose(topology, { root: REPO_ROOT, composeDir: LAB_STATE_DIR });
    expect(text).toContain('name: lab2');
    expect(text).toMatch(/- '--port'\n\s+- '4000'\n/);
    expect(text).toMatch(/- '--udp'\n/); // chatlab's server answers on UDP too (docs/PROTOCOL.md §10)
    expect(text).toContain("CHATLAB_SERVER: '10.88.0.10:4000'");
    expect(text).not.toContain('ports:');
    expect(text).not.toContain('carol');
    expect(text).toContain("volumes: ['/tmp/caps:/captures']");
    expect(text).toContain('context: ..');
  });

  it('keeps compose/lab.yml for the defaults and writes other labs under .lab/', () => {
    expect(composeFileFor(buildTopology())).toBe(DEFAULT_COMPOSE_FILE);
    const other = buildTopology(readLabConfig({ CHATLAB_PROJECT: 'lab2' }));
    expect(composeFileFor(other)).toBe(join(LAB_STATE_DIR, 'lab2.yml'));
  });
});
