import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { ServerFixture } from '../../test/support/server-fixture.js';

// Issue 7, "thousands of connections at once": past --max-connections every extra connection is told
// SERVER_FULL and closed (docs/PROTOCOL.md §8), and the server goes on serving the ones it holds.

/** This process's open-file limit: each connection costs two descriptors here (client and server side). */
function fileLimit(): number {
  const soft = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  return Number.isFinite(soft) ? soft : 1024;
}

interface Peer {
  socket: net.Socket;
  text: string;
  closed: boolean;
}

function open(port: number): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const peer: Peer = { socket, text: '', closed: false };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (peer.text += chunk));
    socket.on('close', () => (peer.closed = true));
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(peer);
    });
    socket.once('error', reject);
  });
}

let fixture: ServerFixture;
afterEach(async () => {
  await fixture.stop();
});

describe('thousands of connections at once', () => {
  it('turns away every connection past the maximum with SERVER_FULL and serves the others', async () => {
    const total = Math.min(3000, Math.floor((fileLimit() - 300) / 2));
    const max = Math.floor((total * 2) / 3);
    fixture = await ServerFixture.start({ maxConnections: max, loginTimeoutMs: 120_000 });
    const peers: Peer[] = [];
    try {
      for (let i = 0; i < total; i += 250) {
        const batch = Array.from({ length: Math.min(250, total - i) }, () => open(fixture.port));
        peers.push(...(await Promise.all(batch)));
      }
      const answered = (p: Peer): boolean => p.text.includes('* HELLO') || p.text.includes('* BYE');
      for (let waited = 0; !peers.every(answered); waited += 20) {
        if (waited > 30_000) throw new Error(`${peers.filter(answered).length} of ${total} answered in 30 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const full = peers.filter((p) => p.text.startsWith('* BYE {"code":"SERVER_FULL"'));
      const held = peers.filter((p) => p.text.startsWith('* HELLO '));
      expect(full).toHaveLength(total - max);
      expect(held).toHaveLength(max);
      for (const peer of full) {
        for (let i = 0; !peer.closed && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
        expect(peer.closed).toBe(true);
      }
      const someone = held[held.length - 1];
      someone?.socket.write('1 REGISTER late late@example.org late-pw1\n2 LOGIN late late-pw1\n3 PING\n');
      for (let i = 0; !someone?.text.includes('\n3 200 OK') && i < 500; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(someone?.text).toMatch(/\n1 201 Created .*\n2 200 OK .*\n3 200 OK/s);
    } finally {
      for (const peer of peers) peer.socket.destroy();
    }
    // Once they are gone, a new client gets in.
    for (let i = 0; i < 200; i++) {
      const client = await fixture.connect().catch(() => undefined);
      if (client) {
        expect(await client.call('PING')).toHaveProperty('time');
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('no new client got in after the others left');
  }, 120_000);
});
