import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sqlite from 'node-sqlite3-wasm';
import type { Notification, Room, Row, StoredFile, StoredMessage, User } from './store-rows.js';
import { str, toFile, toMessage, toNotification, toRoom, toUser } from './store-rows.js';
import { StoreIndex } from './store-index.js';
import { MESSAGES_DIRECT_INDEX, SCHEMA } from './store-schema.js';

export type { Notification, Room, StoredFile, StoredMessage, User } from './store-rows.js';

type Value = string | number | null;

/** A message waiting for its turn's transaction (`Store.saveMessage`). */
interface QueuedMessage extends Omit<StoredMessage, 'id'> {
  resolve: (message: StoredMessage) => void;
  reject: (error: unknown) => void;
}

const now = (): string => new Date().toISOString();

/** In the WebAssembly VFS's `<db>.lock` folder: the pid of the server that holds it. */
const OWNER_FILE = 'owner';

/** The database files this process has open: a second Store on one of them fails as another process's would. */
const openHere = new Set<string>();

/**
 * When a process started, in clock ticks since boot (`/proc/<pid>/stat`, field 22), or '' where there is no
 * /proc: with the pid, what tells a live owner from another process that got its number since.
 */
function startTime(pid: number | 'self'): string {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // After the command's name, in parentheses (which may hold spaces), come fields 3 on.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/**
 * The process that owns a data folder's `<db>.lock` (the pid, and its start time, written in it), or null when
 * there is none or it is gone: a server that was killed leaves the folder behind, and a container started
 * again numbers its processes again (a pid that is this process's own, or another process's that started at
 * another time, is not the owner).
 */
function liveOwner(lock: string): number | null {
  let pid: number;
  let started: string;
  try {
    const [first = '', second = ''] = readFileSync(join(lock, OWNER_FILE), 'utf8').trim().split(' ');
    [pid, started] = [Number(first), second];
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  const current = started === '' ? '' : startTime(pid);
  return current !== '' && current !== started ? null : pid;
}

/** A second server on a data folder: refused, as two writers would each keep their own WAL index. */
function inUse(dataDir: string, why: string): Error {
  return new Error(
    `the data folder ${dataDir} is in use by another chatlab server (${why}): stop it, or give this one another data folder`,
  );
}

/** Finalizes a statement; one whose step failed throws that error again, and is finalized all the same. */
function drop(statement: sqlite.Statement): void {
  try {
    statement.finalize();
  } catch {
    // finalized
  }
}

/**
 * Everything the server keeps across restarts, in one SQLite file (`<data>/chatlab.db`) through
 * node-sqlite3-wasm: SQLite compiled to WebAssembly, so nothing native is built anywhere. WAL journal with
 * synchronous=NORMAL: a killed server loses no committed write (a commit is in the WAL file, written with
 * pwrite, before the reply); the WAL is fsync'd at each checkpoint (every 1000 pages, SQLite's default), so
 * a power loss or a kernel crash can lose the last commits since then, not the database. A room message's
 * commit writes three pages to the WAL (the messages table, its room index, sqlite_sequence for
 * AUTOINCREMENT), each a frame header and a page: six pwrite64 calls; the index of direct messages is partial
 * (store-schema.ts) so that a room message does not touch it. What every message reads (names, rooms,
 * members) is served from memory (StoreIndex), loaded at start and changed with the database.
 */
export class Store {
  private readonly db: sqlite.Database;
  private readonly file: string;
  private readonly index = new StoreIndex();
  /** Messages saved this turn of the event loop, committed together when it ends. */
  private queued: QueuedMessage[] = [];
  /**
   * What every commit runs (BEGIN, COMMIT, ROLLBACK, the message INSERT), prepared once and kept by their SQL:
   * `exec` or `run` would parse each anew. A statement whose step failed is dropped and prepared again at its
   * next use (runPrepared).
   */
  private readonly prepared = new Map<string, sqlite.Statement>();

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    const file = (this.file = resolve(dataDir, 'chatlab.db'));
    if (openHere.has(file)) throw inUse(dataDir, 'this process has it open');
    // The WebAssembly VFS locks with a `<db>.lock` folder, not with a lock of the system's: a server that was
    // killed leaves it behind (stale: removed), and a live one is known by the pid written in it.
    const lock = `${file}.lock`;
    const owner = liveOwner(lock);
    if (owner !== null) throw inUse(dataDir, `process ${String(owner)} has ${lock}`);
    if (existsSync(lock)) rmSync(lock, { recursive: true, force: true });
    this.db = new sqlite.Database(file);
    openHere.add(file);
    try {
      // EXCLUSIVE before WAL: the WAL index in memory (no -shm file, which the VFS could not share), and the
      // lock taken at the first read and held until close.
      this.db.exec('PRAGMA locking_mode=EXCLUSIVE');
      this.db.exec('PRAGMA journal_mode=WAL');
      mkdirSync(lock, { recursive: true }); // made by the VFS as the database was read
      writeFileSync(join(lock, OWNER_FILE), `${String(process.pid)} ${startTime('self')}\n`);
      this.db.exec('PRAGMA synchronous=NORMAL');
      this.db.exec('PRAGMA foreign_keys=ON');
      this.db.exec(SCHEMA);
      this.migrate();
      this.load();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Brings a data folder made by an earlier version up to SCHEMA. */
  private migrate(): void {
    const direct = this.db.get(
      "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'messages_direct'",
    );
    if (direct !== null && !/\bWHERE\b/i.test(str(direct.sql))) {
      // The index on every message (before it was partial): rebuilt on the direct messages alone.
      this.transaction(() => {
        this.db.exec('DROP INDEX messages_direct');
        this.db.exec(MESSAGES_DIRECT_INDEX);
      });
    }
  }

  /** Fills the index from the database. */
  private load(): void {
    for (const row of this.db.all('SELECT id, name FROM users'))
      this.index.setName(Number(row.id), str(row.name));
    for (const room of this.many('SELECT * FROM rooms', [], toRoom)) this.index.setRoom(room);
    const members = this.db.all(
      'SELECT room_id, user_id, joined_at FROM members ORDER BY room_id, joined_at, user_id',
    );
    for (const row of members)
      this.index.addMember(Number(row.room_id), Number(row.user_id), str(row.joined_at));
  }

  close(): void {
    if (!this.db.isOpen) return;
    this.commitMessages();
    for (const statement of this.prepared.values()) drop(statement);
    this.prepared.clear();
    // The VFS removes its lock folder as the database closes, and only if it is empty.
    rmSync(join(`${this.file}.lock`, OWNER_FILE), { force: true });
    this.db.close();
    openHere.delete(this.file);
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: () => T): T {
    this.runPrepared('BEGIN');
    try {
      const result = work();
      this.runPrepared('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.runPrepared('ROLLBACK');
      throw error;
    }
  }

  /**
   * Runs a statement kept in `prepared`. The wasm library keeps a failed step's error for the statement's next
   * reset and then refuses to bind new values ("Could not reset statement prior to binding new values"), so a
   * statement that failed is dropped, to be prepared again at its next use: before, the messages after one
   * that could not be stored failed too.
   */
  private runPrepared(sql: string, values: Value[] = []): sqlite.RunResult {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    try {
      return statement.run(values);
    } catch (error) {
      this.prepared.delete(sql);
      drop(statement);
      throw error;
    }
  }

  // --- users ---

  addUser(name: string, email: string, passwordHash: string, postal: string | null): User {
    const at = now();
    const id = this.insert(
      'INSERT INTO users (name, email, password_hash, display, postal, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [name, email, passwordHash, name, postal, at],
    );
    this.index.setName(id, name);
    return { id, name, email, passwordHash, display: name, postal, createdAt: at };
  }

  userByName(name: string): User | null {
    return this.one('SELECT * FROM users WHERE name = ?', [name], toUser);
  }

  userByLogin(login: string): User | null {
    return this.one('SELECT * FROM users WHERE name = ? OR email = ?', [login, login], toUser);
  }

  userById(id: number): User | null {
    return this.one('SELECT * FROM users WHERE id = ?', [id], toUser);
  }

  /** A user's name, from memory. */
  nameOf(id: number): string | null {
    return this.index.nameOf(id) ?? null;
  }

  emailTaken(email: string): boolean {
    return this.db.get('SELECT 1 FROM users WHERE email = ?', [email]) !== null;
  }

  users(): User[] {
    return this.many('SELECT * FROM users ORDER BY name', [], toUser);
  }

  setDisplay(userId: number, display: string): void {
    this.db.run('UPDATE users SET display = ? WHERE id = ?', [display, userId]);
  }

  // --- rooms and membership ---

  addRoom(
    name: string,
    ownerId: number,
    passwordHash: string | null,
    capacity: number | null,
    inviteOnly: boolean,
  ): Room {
    const at = now();
    const room = this.transaction(() => {
      const id = this.insert(
        'INSERT INTO rooms (name, owner_id, password_hash, capacity, invite_only, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        [name, ownerId, passwordHash, capacity, inviteOnly ? 1 : 0, at],
      );
      this.db.run('INSERT INTO members (room_id, user_id, joined_at) VALUES (?, ?, ?)', [id, ownerId, at]);
      return { id, name, ownerId, passwordHash, capacity, inviteOnly, createdAt: at };
    });
    this.index.setRoom(room);
    this.index.addMember(room.id, ownerId, at);
    return room;
  }

  /** From memory, as every request naming a room reads it. */
  roomByName(name: string): Room | null {
    return this.index.roomByName(name);
  }

  roomById(id: number): Room | null {
    return this.index.roomById(id);
  }

  rooms(): Room[] {
    return this.many('SELECT * FROM rooms ORDER BY name', [], toRoom);
  }

  deleteRoom(roomId: number): void {
    this.db.run('DELETE FROM rooms WHERE id = ?', [roomId]);
    this.index.deleteRoom(roomId);
  }

  setOwner(roomId: number, userId: number): void {
    this.db.run('UPDATE rooms SET owner_id = ? WHERE id = ?', [userId, roomId]);
    this.index.setOwner(roomId, userId);
  }

  /** The room's members' ids in joining order, from memory: iterate at once, do not keep. */
  memberIds(roomId: number): IterableIterator<number> {
    return this.index.memberIds(roomId);
  }

  memberCount(roomId: number): number {
    return this.index.memberCount(roomId);
  }

  /** The room's members with their names, in joining order. */
  members(roomId: number): { id: number; name: string }[] {
    return [...this.index.memberIds(roomId)].map((id) => ({ id, name: this.index.nameOf(id) ?? '?' }));
  }

  isMember(roomId: number, userId: number): boolean {
    return this.index.isMember(roomId, userId);
  }

  addMember(roomId: number, userId: number): void {
    const at = now();
    this.db.run('INSERT OR IGNORE INTO members (room_id, user_id, joined_at) VALUES (?, ?, ?)', [
      roomId,
      userId,
      at,
    ]);
    this.db.run('DELETE FROM invites WHERE room_id = ? AND user_id = ?', [roomId, userId]);
    this.index.addMember(roomId, userId, at);
  }

  removeMember(roomId: number, userId: number): void {
    this.db.run('DELETE FROM members WHERE room_id = ? AND user_id = ?', [roomId, userId]);
    this.index.removeMember(roomId, userId);
  }

  roomsOf(userId: number): Room[] {
    return this.many(
      'SELECT rooms.* FROM rooms JOIN members ON members.room_id = rooms.id WHERE members.user_id = ? ORDER BY rooms.name',
      [userId],
      toRoom,
    );
  }

  // --- invitations and join requests ---

  hasInvite(roomId: number, userId: number, kind: 'invite' | 'request'): boolean {
    return (
      this.db.get('SELECT 1 FROM invites WHERE room_id = ? AND user_id = ? AND kind = ?', [
        roomId,
        userId,
        kind,
      ]) !== null
    );
  }

  addInvite(roomId: number, userId: number, kind: 'invite' | 'request'): void {
    this.db.run('INSERT OR IGNORE INTO invites (room_id, user_id, kind, at) VALUES (?, ?, ?, ?)', [
      roomId,
      userId,
      kind,
      now(),
    ]);
  }

  removeInvite(roomId: number, userId: number, kind: 'invite' | 'request'): void {
    this.db.run('DELETE FROM invites WHERE room_id = ? AND user_id = ? AND kind = ?', [roomId, userId, kind]);
  }

  // --- messages ---

  /**
   * Stores a message with the others saved in this turn of the event loop, all in one transaction (group
   * commit): resolves once that transaction has committed, so whoever waits for it replies only about a
   * message that is on disk; rejects if it could not be stored.
   */
  saveMessage(
    roomId: number | null,
    fromId: number,
    toId: number | null,
    text: string,
  ): Promise<StoredMessage> {
    return new Promise((resolve, reject) => {
      const message = { roomId, fromId, toId, text, at: now(), resolve, reject };
      if (this.queued.push(message) === 1) {
        setImmediate(() => {
          this.commitMessages();
        });
      }
    });
  }

  /**
   * Commits the messages saved so far in one transaction, then settles each, in the order they were saved.
   * If the transaction fails, each is tried in a transaction of its own, so one message that cannot be
   * stored (its room was deleted meanwhile) fails alone.
   */
  commitMessages(): void {
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    let ids: number[] | null = null;
    try {
      ids = this.transaction(() => batch.map((m) => this.insertQueued(m)));
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error);
    }
    if (ids === null && batch.length === 1) return;
    batch.forEach((m, i) => {
      let id = ids?.[i];
      if (id === undefined) {
        try {
          id = this.transaction(() => this.insertQueued(m));
        } catch (error) {
          m.reject(error);
          return;
        }
      }
      m.resolve({ id, roomId: m.roomId, fromId: m.fromId, toId: m.toId, text: m.text, at: m.at });
    });
  }

  private insertQueued(m: QueuedMessage): number {
    const sql = 'INSERT INTO messages (room_id, from_id, to_id, text, at) VALUES (?, ?, ?, ?, ?)';
    return Number(this.runPrepared(sql, [m.roomId, m.fromId, m.toId, m.text, m.at]).lastInsertRowid);
  }

  roomHistory(roomId: number, count: number): StoredMessage[] {
    return this.many(
      'SELECT * FROM messages WHERE room_id = ? ORDER BY id DESC LIMIT ?',
      [roomId, count],
      toMessage,
    ).reverse();
  }

  /**
   * The last `count` messages between two users, oldest first: each direction's newest from the partial index
   * messages_direct, merged (with one OR over both directions SQLite took messages_room instead and read every
   * direct message of the server, newest first, until it had `count` of this pair).
   */
  directHistory(a: number, b: number, count: number): StoredMessage[] {
    const newest =
      'SELECT * FROM (SELECT * FROM messages WHERE room_id IS NULL AND from_id = ? AND to_id = ? ORDER BY id DESC LIMIT ?)';
    return this.many(
      `${newest} UNION ALL ${newest} ORDER BY id DESC LIMIT ?`,
      [a, b, count, b, a, count, count],
      toMessage,
    ).reverse();
  }

  // --- files ---

  addFile(file: Omit<StoredFile, 'id' | 'at'>): StoredFile {
    const at = now();
    const id = this.insert(
      'INSERT INTO files (name, size, sha256, from_id, room_id, to_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [file.name, file.size, file.sha256, file.fromId, file.roomId, file.toId, at],
    );
    return { ...file, id, at };
  }

  fileById(id: number): StoredFile | null {
    return this.one('SELECT * FROM files WHERE id = ?', [id], toFile);
  }

  /** Files sent by, to, or to a room of the user. */
  filesFor(userId: number): StoredFile[] {
    return this.many(
      `SELECT * FROM files WHERE from_id = ? OR to_id = ?
         OR room_id IN (SELECT room_id FROM members WHERE user_id = ?) ORDER BY id`,
      [userId, userId, userId],
      toFile,
    );
  }

  // --- notifications ---

  addNotification(n: Omit<Notification, 'id' | 'at'>): Notification {
    const at = now();
    const id = this.insert(
      'INSERT INTO notifications (user_id, kind, room, from_name, text, file_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [n.userId, n.kind, n.room, n.fromName, n.text, n.fileId, at],
    );
    return { ...n, id, at };
  }

  pendingNotifications(userId: number): Notification[] {
    return this.many(
      'SELECT * FROM notifications WHERE user_id = ? AND delivered = 0 ORDER BY id',
      [userId],
      toNotification,
    );
  }

  recentNotifications(userId: number, count: number): Notification[] {
    return this.many(
      'SELECT * FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?',
      [userId, count],
      toNotification,
    ).reverse();
  }

  markDelivered(ids: readonly number[]): void {
    for (const id of ids) this.db.run('UPDATE notifications SET delivered = 1 WHERE id = ?', [id]);
  }

  // --- helpers ---

  private insert(sql: string, values: Value[]): number {
    return Number(this.db.run(sql, values).lastInsertRowid);
  }

  private one<T>(sql: string, values: Value[], map: (row: Row) => T): T | null {
    const row = this.db.get(sql, values);
    return row === null ? null : map(row);
  }

  private many<T>(sql: string, values: Value[], map: (row: Row) => T): T[] {
    return this.db.all(sql, values).map(map);
  }
}
