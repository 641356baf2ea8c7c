import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite from 'node-sqlite3-wasm';
import { Store } from './store.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chatlab-store-'));
  store = new Store(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Everything the index answers about the rooms, to compare a running store with one reopened from disk. */
function seen(s: Store, rooms: string[]): object {
  return rooms.map((name) => {
    const room = s.roomByName(name.toUpperCase());
    return room && { room, members: s.members(room.id), count: s.memberCount(room.id) };
  });
}

describe('store: names, rooms and members from memory', () => {
  it('answers as the database does after a restart', () => {
    const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((n) =>
      store.addUser(n, `${n}@example.org`, 'hash', null),
    );
    if (!alice || !bob || !carol || !dave) throw new Error('users');
    const general = store.addRoom('General', alice.id, null, 10, false);
    const gone = store.addRoom('gone', bob.id, null, null, true);
    for (const u of [dave, bob, carol]) store.addMember(general.id, u.id);
    store.addMember(general.id, bob.id); // already a member: nothing changes
    store.addMember(gone.id, carol.id);
    store.removeMember(general.id, bob.id);
    store.addMember(general.id, bob.id); // back, now last
    store.setOwner(general.id, carol.id);
    store.deleteRoom(gone.id);
    const rooms = ['general', 'gone'];
    const running = seen(store, rooms);
    expect(running).toEqual([
      {
        room: expect.objectContaining({ name: 'General', ownerId: carol.id }),
        // In joining order; joins within one millisecond go by user id, as SQLite sorts them.
        members: expect.arrayContaining([alice, bob, carol, dave].map((u) => ({ id: u.id, name: u.name }))),
        count: 4,
      },
      null,
    ]);
    expect(store.isMember(general.id, dave.id)).toBe(true);
    expect(store.isMember(gone.id, carol.id)).toBe(false);
    expect(store.nameOf(dave.id)).toBe('dave');
    store.close();
    store = new Store(dir);
    expect(seen(store, rooms)).toEqual(running);
  });

  it('hands out copies: changing a room it returned changes nothing kept', () => {
    const alice = store.addUser('alice', 'alice@example.org', 'hash', null);
    const room = store.addRoom('general', alice.id, null, null, false);
    room.ownerId = 999;
    const read = store.roomById(room.id);
    if (!read) throw new Error('room');
    read.name = 'other';
    expect(store.roomByName('general')).toMatchObject({ name: 'general', ownerId: alice.id });
  });
});

describe('store: schema upgrades', () => {
  it('replaces the index of direct messages on every row (before it was partial) with the partial one', () => {
    store.close();
    const file = join(dir, 'chatlab.db');
    const db = new sqlite.Database(file);
    db.exec('PRAGMA locking_mode=EXCLUSIVE');
    db.exec('PRAGMA journal_mode=WAL');
    db.exec('DROP INDEX messages_direct');
    db.exec('CREATE INDEX messages_direct ON messages(from_id, to_id, id)');
    db.close();
    store = new Store(dir);
    const alice = store.addUser('alice', 'alice@example.org', 'hash', null);
    const bob = store.addUser('bob', 'bob@example.org', 'hash', null);
    store.close();
    const reopened = new sqlite.Database(file);
    reopened.exec('PRAGMA locking_mode=EXCLUSIVE');
    const sql = reopened.get("SELECT sql FROM sqlite_master WHERE name = 'messages_direct'")?.sql;
    reopened.close();
    expect(sql).toMatch(/WHERE room_id IS NULL$/);
    store = new Store(dir);
    expect([store.nameOf(alice.id), store.nameOf(bob.id)]).toEqual(['alice', 'bob']);
  });

  it('keeps direct messages and their history with the partial index', async () => {
    const alice = store.addUser('alice', 'alice@example.org', 'hash', null);
    const bob = store.addUser('bob', 'bob@example.org', 'hash', null);
    const room = store.addRoom('general', alice.id, null, null, false);
    const saved = [
      store.saveMessage(null, alice.id, bob.id, 'hi bob'),
      store.saveMessage(room.id, alice.id, null, 'hi all'),
      store.saveMessage(null, bob.id, alice.id, 'hi alice'),
    ];
    await Promise.all(saved);
    expect(store.directHistory(alice.id, bob.id, 10).map((m) => m.text)).toEqual(['hi bob', 'hi alice']);
    expect(store.roomHistory(room.id, 10).map((m) => m.text)).toEqual(['hi all']);
  });

  it("gives a pair's last messages in both directions, oldest first, whatever else was said", async () => {
    const [ana, bia, caio] = ['ana', 'bia', 'caio'].map((n) =>
      store.addUser(n, `${n}@example.org`, 'hash', null),
    );
    if (!ana || !bia || !caio) throw new Error('users');
    const room = store.addRoom('lab', ana.id, null, null, false);
    const said: Promise<unknown>[] = [];
    for (let i = 1; i <= 6; i++) {
      said.push(
        store.saveMessage(null, i % 2 === 1 ? ana.id : bia.id, i % 2 === 1 ? bia.id : ana.id, `ab${i}`),
      );
      said.push(store.saveMessage(null, ana.id, caio.id, `ac${i}`));
      said.push(store.saveMessage(room.id, bia.id, null, `room${i}`));
    }
    said.push(store.saveMessage(null, bia.id, ana.id, 'ab7'), store.saveMessage(null, bia.id, ana.id, 'ab8'));
    await Promise.all(said);
    expect(store.directHistory(ana.id, bia.id, 4).map((m) => m.text)).toEqual(['ab5', 'ab6', 'ab7', 'ab8']);
    expect(store.directHistory(bia.id, ana.id, 3).map((m) => m.text)).toEqual(['ab6', 'ab7', 'ab8']);
    expect(store.directHistory(ana.id, caio.id, 2).map((m) => m.text)).toEqual(['ac5', 'ac6']);
    expect(store.directHistory(bia.id, caio.id, 5)).toEqual([]);
  });
});

describe('store: one server a data folder', () => {
  it('refuses a second store on the same folder, and opens it once the first has closed', () => {
    expect(() => new Store(dir)).toThrow(/the data folder .* is in use by another chatlab server/);
    store.close();
    store = new Store(dir);
  });

  it('refuses a folder whose lock names a live process, and takes over one whose process is gone', () => {
    store.close();
    const lock = join(dir, 'chatlab.db.lock');
    mkdirSync(lock);
    // A process that is alive, not this one (pid 1), then one that has exited.
    writeFileSync(join(lock, 'owner'), '1\n');
    expect(() => new Store(dir)).toThrow(
      /in use by another chatlab server \(process 1 has .*chatlab\.db\.lock\)/,
    );
    // pid 1 again, with a start time that is not its own: a process that got the number since (a container
    // started again numbers its processes again).
    writeFileSync(join(lock, 'owner'), '1 123\n');
    store = new Store(dir);
    store.close();
    mkdirSync(lock);
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(lock, 'owner'), `${String(gone)}\n`);
    store = new Store(dir);
    store.close();
    expect(existsSync(lock)).toBe(false);
    store = new Store(dir);
  });
});

describe('store: group commit', () => {
  it('stores the messages of a turn when one of them cannot be, which fails alone', async () => {
    const alice = store.addUser('alice', 'alice@example.org', 'hash', null);
    const room = store.addRoom('general', alice.id, null, null, false);
    const doomed = store.addRoom('doomed', alice.id, null, null, false);
    const saved = [
      store.saveMessage(room.id, alice.id, null, 'one'),
      store.saveMessage(doomed.id, alice.id, null, 'lost'),
      store.saveMessage(room.id, alice.id, null, 'two'),
      store.saveMessage(room.id, alice.id, null, 'three'),
    ];
    store.deleteRoom(doomed.id); // before the turn ends: its message breaks the turn's transaction
    const settled = await Promise.allSettled(saved);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(store.roomHistory(room.id, 10).map((m) => m.text)).toEqual(['one', 'two', 'three']);
    // And the next turn stores as usual.
    expect((await store.saveMessage(room.id, alice.id, null, 'four')).text).toBe('four');
  });
});
