// The disk of the file store full (docs/FAULTS.md): a second server, started from code on the lab network
// with its files folder on a 2 MiB tmpfs, and the lab's clients talking to it.
import { expect } from '@jest/globals';
import { LAB_IMAGES, serverCommand, type StartedLab, type Topology } from '../../src/lab/index.js';
import { Chat, docker, sh, throttle, until } from './fault-tools.js';

const MiB = 1024 * 1024;

export async function diskFullCase(lab: StartedLab, topology: Topology): Promise<void> {
  const name = `${topology.project}-diskfull`;
  const ip = topology.server.ip.replace(/\.\d+$/, '.20');
  const alices = lab.host('alice').container.id;
  const bobs = lab.host('bob').container.id;
  await docker('rm', '-f', name).catch(() => undefined);
  // Labelled as the project's, so removing the project removes it too if this test dies half-way.
  await docker(
    'run',
    '-d',
    '--name',
    name,
    '--label',
    `com.docker.compose.project=${topology.project}`,
    '--network',
    topology.network,
    '--ip',
    ip,
    '--tmpfs',
    '/data/files:size=2m',
    '--init',
    LAB_IMAGES.server,
    ...serverCommand(3300),
  );
  const chats: Chat[] = [];
  try {
    const health = async (): Promise<boolean> =>
      (await docker('inspect', '-f', '{{.State.Health.Status}}', name)).trim() === 'healthy';
    await until('the disk-full server to answer', health, 60_000);
    const alice = new Chat(lab.scriptedClient('alice', `${ip}:3300`));
    const bob = new Chat(lab.scriptedClient('bob', `${ip}:3300`));
    chats.push(alice, bob);
    for (const chat of [alice, bob]) {
      await chat.ok(`/register ${chat.name} ${chat.name}@example.org s3cret-${chat.name}`);
      await chat.ok(`/login ${chat.name} s3cret-${chat.name}`);
    }
    await bob.ok('/create store');
    await alice.ok('/join store');
    const make = async (file: string, bytes: number): Promise<string> =>
      (await sh(alices, `head -c ${bytes} /dev/urandom > /tmp/${file} && sha256sum /tmp/${file}`)).split(
        ' ',
      )[0] ?? '';
    await make('big.bin', 3 * MiB);
    const small = await make('small.bin', MiB / 2);
    await make('mid.bin', MiB);

    // Bigger than the free space: refused before a byte is sent.
    const big = await alice.run('/send #store /tmp/big.bin');
    expect(big).toMatchObject({ type: 'local', ok: false });
    expect(String(big.message)).toMatch(
      /^507 STORAGE_FULL: the server has room for \d+ more bytes of files, not 3145728; nothing was stored$/,
    );
    const stored = await alice.ok('/send #store /tmp/small.bin');
    const smallId = (stored.file as { id: number }).id;

    // The disk fills up while bytes arrive (something else wrote the rest of it): refused after the bytes.
    await throttle(alices, '2mbit');
    const sending = alice.run('/send #store /tmp/mid.bin');
    const partial = async (): Promise<boolean> =>
      Number((await sh(name, 'cat /data/files/partial/* 2>/dev/null | wc -c')).trim()) > 128 * 1024;
    await until('part of the upload on the server', partial);
    await sh(name, 'head -c 4194304 /dev/zero > /data/files/filler 2>/dev/null; true');
    const mid = await sending;
    await throttle(alices, null);
    expect(mid).toMatchObject({ type: 'local', ok: false });
    expect(String(mid.message)).toBe(
      '507 STORAGE_FULL: the server has no disk space left for files; nothing was stored',
    );
    await sh(name, 'rm /data/files/filler');

    // Nothing broken: no partial file, the stored one whole, the server still serving, and room again.
    expect(await sh(name, 'ls -A /data/files/partial')).toBe('');
    expect(((await bob.ok('/files')).body as { files: { name: string }[] }).files.map((f) => f.name)).toEqual(
      ['small.bin'],
    );
    await bob.ok(`/get ${smallId} /tmp/small-got.bin`);
    expect((await sh(bobs, 'sha256sum /tmp/small-got.bin')).split(' ')[0]).toBe(small);
    await alice.ok('/send #store /tmp/mid.bin');
    expect((await docker('inspect', '-f', '{{.State.Running}} {{.RestartCount}}', name)).trim()).toBe(
      'true 0',
    );
  } finally {
    for (const chat of chats) await chat.client.close().catch(() => undefined);
    await docker('rm', '-f', name).catch(() => undefined);
  }
}
