// The rows the server stores, as the rest of the server sees them, and how SQLite's rows become them.

export interface User {
  id: number;
  name: string;
  email: string;
  passwordHash: string;
  display: string;
  postal: string | null;
  createdAt: string;
}

export interface Room {
  id: number;
  name: string;
  ownerId: number;
  passwordHash: string | null;
  capacity: number | null;
  inviteOnly: boolean;
  createdAt: string;
}

export interface StoredMessage {
  id: number;
  roomId: number | null;
  fromId: number;
  toId: number | null;
  text: string;
  at: string;
}

export interface StoredFile {
  id: number;
  name: string;
  size: number;
  sha256: string;
  fromId: number;
  roomId: number | null;
  toId: number | null;
  at: string;
}

export interface Notification {
  id: number;
  userId: number;
  kind: string;
  room: string | null;
  fromName: string | null;
  text: string | null;
  fileId: number | null;
  at: string;
}

export type Row = Record<string, unknown>;

export const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : '';
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toUser(r: Row): User {
  return {
    id: Number(r.id),
    name: str(r.name),
    email: str(r.email),
    passwordHash: str(r.password_hash),
    display: str(r.display),
    postal: strOrNull(r.postal),
    createdAt: str(r.created_at),
  };
}

export function toRoom(r: Row): Room {
  return {
    id: Number(r.id),
    name: str(r.name),
    ownerId: Number(r.owner_id),
    passwordHash: strOrNull(r.password_hash),
    capacity: numOrNull(r.capacity),
    inviteOnly: Number(r.invite_only) === 1,
    createdAt: str(r.created_at),
  };
}

export function toMessage(r: Row): StoredMessage {
  return {
    id: Number(r.id),
    roomId: numOrNull(r.room_id),
    fromId: Number(r.from_id),
    toId: numOrNull(r.to_id),
    text: str(r.text),
    at: str(r.at),
  };
}

export function toFile(r: Row): StoredFile {
  return {
    id: Number(r.id),
    name: str(r.name),
    size: Number(r.size),
    sha256: str(r.sha256),
    fromId: Number(r.from_id),
    roomId: numOrNull(r.room_id),
    toId: numOrNull(r.to_id),
    at: str(r.at),
  };
}

export function toNotification(r: Row): Notification {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    kind: str(r.kind),
    room: strOrNull(r.room),
    fromName: strOrNull(r.from_name),
    text: strOrNull(r.text),
    fileId: numOrNull(r.file_id),
    at: str(r.at),
  };
}
