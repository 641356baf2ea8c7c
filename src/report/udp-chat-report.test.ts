import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { cleanScenario } from '../../test/support/tcp-analysis/test-scenarios.js';
import { SyntheticCapture } from '../../test/support/tcp-analysis/test-captures.js';
import { writeReport } from './write-report.js';

// chatlab over UDP (docs/PROTOCOL.md §10) as the report must answer it: C says UDP and why, the chat's
// datagrams are the chat's conversation, D lists the client's source port without a TCP stream.

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** alice's chat over UDP: HELLO and its greeting, a SAY whose datagram the link drops, one that arrives. */
function udpChat(capture = new SyntheticCapture(), at = 0): SyntheticCapture {
  capture.datagram(at + 1000, true, '1 HELLO chatlab-client/0.1.0\n');
  capture.datagram(
    at + 2000,
    false,
    '* HELLO {"app":"chatlab-server","version":"0.1.0","transport":"udp"}\n',
  );
  capture.datagram(at + 2100, false, '1 200 OK {}\n');
  capture.datagram(at + 3000, true, '2 SAY lab lost on the way\n', true);
  capture.datagram(at + 9000, true, '3 SAY lab this one arrives\n');
  capture.datagram(at + 9100, false, '3 200 OK {}\n');
  return capture;
}

async function report(
  capture: SyntheticCapture,
): Promise<{ dir: string; answers: Awaited<ReturnType<typeof writeReport>>['answers'] }> {
  const dir = await mkdtemp(join(tmpdir(), 'chatlab-udp-report-'));
  dirs.push(dir);
  await capture.write(dir);
  const { answers } = await writeReport(dir, { lang: 'en' });
  return { dir, answers };
}

describe('the report of a chat over UDP', () => {
  it('answers C with UDP and why, marks the datagrams as the chat, gives D the source port, decodes them in A and E', async () => {
    const { dir, answers } = await report(udpChat());
    expect(answers.C.transport).toBe('UDP');
    expect(answers.C.handshake).toEqual([]);
    expect(answers.C.chatDatagrams).toBe(6); // the merged capture has them all, the lost one from alice's file
    expect(
      answers.C.conversations.map(
        (x) =>
          `${x.transport} ${x.client.host}:${x.client.port} ${x.server.ip}:${x.server.port} ${String(x.chat)}`,
      ),
    ).toEqual(['UDP alice:40000 10.77.0.10:3300 true']);
    expect(answers.B.clients.map((c) => c.name)).toEqual(['alice']);
    expect(answers.D.serverPort).toBe(3300);
    expect(answers.D.clients[0]?.connections).toEqual([
      { sourcePort: 40000, transport: 'UDP', stream: -1, frame: answers.C.firstDatagram, http: false },
    ]);
    expect(answers.tcpAnalysis.udp.lostCount).toBe(1);
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('**UDP**. All 6 frames between the clients and the server');
    expect(md).toContain('an 8-byte header');
    expect(md).toContain('UDP: no stream');
    expect(md).not.toContain('three-way handshake'); // there is none to explain
    // A and E read the datagrams as they read a connection: the greeting names the server.
    expect(answers.A).toMatchObject({
      application: 'chatlab-server',
      version: '0.1.0',
      source: 'chatlab-hello',
    });
    expect(md).toContain("The chat's 6 UDP datagrams are decoded here too");
    expect(answers.E.messages.count).toBe(6); // HELLO, greeting, reply, the lost SAY (in alice's file), SAY, reply
    // F: a datagram with one SAY, its layers Ethernet, IPv4, UDP (8 bytes), chatlab.
    expect(answers.F.layers.map((l) => `${l.protocol} ${l.offset}/${l.length}`)).toEqual([
      'eth 0/14',
      'ip 14/20',
      'udp 34/8',
      `chatlab 42/${String(answers.F.frameLength - 42)}`,
    ]);
    expect(answers.F.layers[3]?.fields).toMatchObject({ verb: 'SAY', room: 'lab' });
    const f = md.slice(md.indexOf('## F.'));
    expect(f).toContain('Protocol 17 = UDP follows');
    expect(f).toMatch(/UDP datagram: \d+ bytes/);
    expect(f).toContain('to its UDP socket');
    expect(f).not.toMatch(/TCP (socket|put its header)|= TCP follows|Protocol 6 means/);
  });

  it('answers TCP and UDP when the clients use both to the same port', async () => {
    const capture = new SyntheticCapture();
    cleanScenario(capture, 40001, 0);
    udpChat(capture, 50_000);
    const { answers } = await report(capture);
    expect(answers.C.transport).toBe('TCP and UDP');
    expect(answers.C.conversations.filter((x) => x.chat).map((x) => x.transport)).toEqual(['TCP', 'UDP']);
    expect(answers.D.clients[0]?.connections.map((c) => `${c.transport} ${c.sourcePort}`)).toEqual([
      'TCP 40001',
      'UDP 40000',
    ]);
  });
});

describe('a chat over UDP whose greeting was lost', () => {
  it('says no greeting was captured in the datagrams, and where the server would have named itself', async () => {
    const capture = new SyntheticCapture();
    capture.datagram(1000, true, '1 HELLO chatlab-client/0.1.0\n');
    capture.datagram(3000, true, '2 SAY lab anyone?\n');
    const { dir, answers } = await report(capture);
    expect(answers.A.application).toBeNull();
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain("No greeting from the server was captured in the chat's datagrams over UDP");
  });
});
