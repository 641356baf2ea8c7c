// The real lab through testcontainers: the rendered compose file up, two client containers chatting
// through the server with the scriptable client, then the capture files checked frame by frame.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildTopology,
  readLabConfig,
  StartedLab,
  writeLabCompose,
  type RunningHost,
} from '../../src/lab/index.js';
import { ComposeLab } from './compose-lab.js';
import { command, ok, signIn, waitFor } from './chat-session.js';
import { ETHERNET, streamBytes, tcpFrames, waitForCaptured, type TcpFrame } from './capture-frames.js';

const captures = mkdtempSync(join(tmpdir(), 'chatlab-it-captures-'));
const topology = buildTopology(
  readLabConfig({
    CHATLAB_PROJECT: 'chatlab-it',
    CHATLAB_SUBNET: '10.77.101.0/24',
    CHATLAB_CLIENTS: 'alice,bob',
    CHATLAB_HOST_PORT: 'none',
    CHATLAB_CAPTURES: captures,
  }),
);
const composeFile = writeLabCompose(topology);
const TEXT = 'hello bob, this is alice on the lab network';

let environment: ComposeLab | undefined;
let hosts: Record<string, RunningHost> = {};
const frames: Record<string, TcpFrame[]> = {};

beforeAll(async () => {
  environment = await ComposeLab.up(topology, composeFile);
  try {
    const lab = await StartedLab.attach(topology, composeFile);
    hosts = Object.fromEntries(lab.hosts.map((host) => [host.name, host]));

    const bob = lab.scriptedClient('bob');
    const alice = lab.scriptedClient('alice');
    try {
      await signIn(bob, 'bob');
      await ok(bob, '/create general');
      await signIn(alice, 'alice');
      await ok(alice, '/join general');
      await command(alice, TEXT);
      await waitFor(
        bob,
        "alice's message in #general",
        (o) => o.event === 'MSG' && JSON.stringify(o).includes(TEXT),
      );
      await ok(alice, '/msg bob a direct one');
      await waitFor(
        bob,
        "alice's direct message",
        (o) => o.event === 'DM' && JSON.stringify(o).includes('a direct one'),
      );
    } finally {
      await alice.close();
      await bob.close();
    }
    for (const name of ['server', 'alice', 'bob'])
      await waitForCaptured(join(captures, `${name}.pcap`), TEXT);
  } catch (error) {
    await environment.down();
    throw error;
  }
  await environment.down(); // tcpdump gets SIGTERM and flushes; the files stay in `captures`
  for (const host of ['server', 'alice', 'bob'])
    frames[host] = await tcpFrames(join(captures, `${host}.pcap`));
}, 600_000);

afterAll(async () => {
  await environment?.down();
  if (process.env.CHATLAB_KEEP_CAPTURES === '1') process.stdout.write(`captures kept in ${captures}\n`);
  else rmSync(captures, { recursive: true, force: true });
}, 60_000);

const host = (name: string): RunningHost => {
  const found = hosts[name];
  if (found === undefined) throw new Error(`no host ${name}`);
  return found;
};

describe('the lab network', () => {
  it('gives every host its own fixed address and MAC', () => {
    expect(host('server').ip).toBe('10.77.101.10');
    expect(host('alice').ip).toBe('10.77.101.11');
    expect(host('bob').ip).toBe('10.77.101.12');
    const macs = new Set(Object.values(hosts).map((h) => h.mac));
    expect(macs.size).toBe(3);
    for (const mac of macs) expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  it('captures real Ethernet frames (EN10MB) on every host', () => {
    for (const name of ['server', 'alice', 'bob']) {
      expect(frames[name]?.length).toBeGreaterThan(0);
      expect(new Set(frames[name]?.map((f) => f.linkType))).toEqual(new Set([ETHERNET]));
    }
  });

  it("shows alice's message leaving alice: her MAC and IP, an ephemeral port, to the server's port", () => {
    const alice = host('alice');
    const server = host('server');
    const sent = (frames.alice ?? []).filter((f) => f.payload.includes(TEXT));
    expect(sent.length).toBeGreaterThan(0);
    for (const frame of sent) {
      expect(frame).toMatchObject({
        ethSrc: alice.mac,
        ethDst: server.mac,
        ipSrc: alice.ip,
        ipDst: server.ip,
      });
      expect(frame.dstPort).toBe(topology.port);
      expect(frame.srcPort).toBeGreaterThanOrEqual(1024);
      expect(frame.srcPort).not.toBe(topology.port);
    }
  });

  it('shows the server relaying it to bob, and the server greeting first with its name', () => {
    const server = host('server');
    const bob = host('bob');
    const relayed = (frames.server ?? []).filter((f) => f.ipDst === bob.ip && f.payload.includes(TEXT));
    expect(relayed.length).toBeGreaterThan(0);
    expect(relayed[0]).toMatchObject({
      ethSrc: server.mac,
      ethDst: bob.mac,
      ipSrc: server.ip,
      srcPort: topology.port,
    });
    const toBob = streamBytes(frames.bob ?? [], server.ip, bob.ip).toString('utf8');
    expect(toBob.startsWith('* HELLO {"app":"chatlab-server"')).toBe(true);
    expect(toBob).toContain(TEXT);
    expect(toBob).toContain('a direct one');
  });
});
