/**
 * The server's tables (SQLite). Names are compared case-insensitively, as people type them. Ids are
 * AUTOINCREMENT: a deleted room's or file's id is never given again, so nothing still in flight for it (an
 * upload, a file offer) can land on a newcomer.
 */
/**
 * Direct messages by sender, receiver and id (HISTORY @user). Partial: only the rows with no room, so a room's
 * message, almost every message, is one index page fewer to write in its commit (two writes to the WAL: a
 * frame's header and its page). A data folder made before it had the index on every row: `Store` replaces it
 * (`store.ts: migrate`).
 */
export const MESSAGES_DIRECT_INDEX =
  'CREATE INDEX IF NOT EXISTS messages_direct ON messages(from_id, to_id, id) WHERE room_id IS NULL';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  display TEXT NOT NULL,
  postal TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rooms (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  owner_id INTEGER NOT NULL REFERENCES users(id),
  password_hash TEXT,
  capacity INTEGER,
  invite_only INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  joined_at TEXT NOT NULL,
  PRIMARY KEY (room_id, user_id)
);
CREATE TABLE IF NOT EXISTS invites (
  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('invite', 'request')),
  at TEXT NOT NULL,
  PRIMARY KEY (room_id, user_id, kind)
);
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  room_id INTEGER REFERENCES rooms(id) ON DELETE CASCADE,
  from_id INTEGER NOT NULL REFERENCES users(id),
  to_id INTEGER REFERENCES users(id),
  text TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_room ON messages(room_id, id);
${MESSAGES_DIRECT_INDEX};
CREATE TABLE IF NOT EXISTS files (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  from_id INTEGER NOT NULL REFERENCES users(id),
  room_id INTEGER REFERENCES rooms(id) ON DELETE SET NULL,
  to_id INTEGER REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  room TEXT,
  from_name TEXT,
  text TEXT,
  file_id INTEGER,
  at TEXT NOT NULL,
  delivered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS notifications_user ON notifications(user_id, delivered);
`;
