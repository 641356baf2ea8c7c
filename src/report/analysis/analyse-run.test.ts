import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { analyseRun } from './analyse-run.js';
import { ALICE, BOB, runJsonFor, SERVER, twoClientSession } from '../../../test/support/test-session.js';

describe('analyseRun', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('answers A-D from a two-client session without run.json (names from the capture files)', async () => {
    const { session, greeting, arp, dns } = twoClientSession();
    dir = await session.write(await mkdtemp(join(tmpdir(), 'report-')));
    const { answers, frames } = await analyseRun(dir);
    expect(answers.meta.hostsFrom).toBe('captures');
    expect(frames).toHaveLength(answers.meta.merged.frames);
    expect(answers.meta.merged.duplicatesRemoved).toBeGreaterThan(0);
    expect(answers.A).toMatchObject({
      application: 'chatlab-server',
      version: '0.1.0',
      protocol: 'CHATLAB/1',
      frame: greeting,
    });
    expect(answers.A.payloadOffset).toBe(66);
    expect(answers.A.payload).toBe(
      '* HELLO {"app":"chatlab-server","version":"0.1.0","protocol":"CHATLAB/1"}',
    );
    expect(answers.B.server).toEqual({
      name: 'server',
      ip: SERVER.ip,
      mac: SERVER.mac,
      frame: expect.any(Number),
    });
    expect(answers.B.clients.map((c) => [c.name, c.ip, c.mac])).toEqual([
      ['alice', ALICE.ip, ALICE.mac],
      ['bob', BOB.ip, BOB.mac],
    ]);
    expect(answers.C.transport).toBe('TCP');
    expect(answers.C.counts).toEqual({ tcp: answers.C.total - 2, udp: 1, other: 1 });
    expect(answers.C.otherByProtocol).toEqual({ arp: 1 });
    expect(answers.C.handshake).toEqual([arp + 1, arp + 2, arp + 3]);
    expect(dns).toBeGreaterThan(0);
    expect(answers.D.serverPort).toBe(3300);
    expect(answers.D.clients.map((c) => [c.name, c.sourcePorts])).toEqual([
      ['alice', [40001]],
      ['bob', [40002]],
    ]);
    expect(answers.D.clients[0]?.connections[0]).toEqual({
      sourcePort: 40001,
      transport: 'TCP',
      stream: 0,
      frame: arp + 1,
      http: false,
    });
  });

  it('lists every payload segment with its messages and finds the payload conforming (E)', async () => {
    const { session, aHello, say, msg } = twoClientSession();
    dir = await session.write(await mkdtemp(join(tmpdir(), 'report-')));
    const { answers, listings } = await analyseRun(dir);
    const { E } = answers;
    expect(E.conformance).toEqual({
      ok: true,
      serverOk: true,
      checkedSegments: 15,
      checkedMessages: 15,
      problems: [],
    });
    expect(listings.segments[0]).toEqual({
      frame: aHello,
      time: expect.any(Number),
      stream: 0,
      src: { host: 'alice', ip: ALICE.ip, port: 40001 },
      dst: { host: 'server', ip: SERVER.ip, port: 3300 },
      payloadLength: 29,
      messages: [{ id: 1, summary: '1 HELLO chatlab-client/0.1.0', complete: true }],
      retransmission: false,
    });
    const sayMessage = listings.messages.find((m) => m.frame === say);
    expect(sayMessage).toMatchObject({
      kind: 'request',
      tag: 3,
      verb: 'SAY',
      args: 'general hello bob',
      frames: [say],
    });
    expect(listings.messages.find((m) => m.frame === msg)).toMatchObject({
      kind: 'event',
      event: 'MSG',
      direction: 'server-to-client',
      stream: 1,
    });
  });

  it("takes F's layers from the SAY frame: offsets 0, 14, 34, 66", async () => {
    const { session, say } = twoClientSession();
    dir = await session.write(await mkdtemp(join(tmpdir(), 'report-')));
    const { F } = (await analyseRun(dir)).answers;
    const text = '3 SAY general hello bob\n';
    expect(F.frame).toBe(say);
    expect(F.layers.map((l) => [l.name, l.protocol, l.offset, l.length])).toEqual([
      ['Ethernet II', 'eth', 0, 14],
      ['IPv4', 'ip', 14, 20],
      ['TCP', 'tcp', 34, 32],
      ['chatlab', 'chatlab', 66, text.length],
    ]);
    expect(F.frameLength).toBe(66 + text.length);
    expect(Buffer.from(F.hex, 'hex').subarray(66).toString()).toBe(text);
    expect(F.layers[2]?.fields).toMatchObject({
      sourcePort: 40001,
      destinationPort: 3300,
      flags: 'PSH, ACK',
      headerLength: 32,
    });
    expect(F.layers[3]?.fields).toMatchObject({ verb: 'SAY', room: 'general', text: 'hello bob' });
    expect(F.trailer).toBeNull();
  });

  it("takes names and the server from run.json, and counts each host's traffic", async () => {
    const { session } = twoClientSession();
    const renamed = [SERVER, { ...ALICE, name: 'ana' }, BOB];
    dir = await session.write(await mkdtemp(join(tmpdir(), 'report-')), runJsonFor(renamed, 'basic'));
    const { answers } = await analyseRun(dir);
    expect(answers.meta).toMatchObject({ scenario: 'basic', hostsFrom: 'run.json' });
    expect(answers.B.clients.map((c) => c.name)).toEqual(['ana', 'bob']);
    const server = answers.traffic.find((t) => t.name === 'server');
    const alice = answers.traffic.find((t) => t.name === 'alice');
    expect(server).toMatchObject({ role: 'server', ip: SERVER.ip, mac: SERVER.mac, chatMessages: 15 });
    expect(alice).toMatchObject({ role: 'client', ip: ALICE.ip, chatMessages: 9 });
    expect(alice?.sent.frames).toBeGreaterThan(0);
    expect((alice?.sent.frames ?? 0) + (alice?.received.frames ?? 0)).toBe(alice?.frames);
    expect(alice?.byProtocol).toMatchObject({ arp: 1, udp: 0 });
  });
});
