import type { Room } from './store-rows.js';

/** A name as SQLite's NOCASE compares it: ASCII letters fold, nothing else does. */
export const foldName = (name: string): string => name.replace(/[A-Z]+/g, (s) => s.toLowerCase());

/** Whether a membership (joined at, user id) sorts after another, as `ORDER BY joined_at, user_id` does. */
const after = (at: string, userId: number, lastAt: string, lastId: number): boolean =>
  at > lastAt || (at === lastAt && userId > lastId);

interface Members {
  joined: Map<number, string>;
  /** The latest (joined_at, user id) that joined, kept to see whether a new join goes last. */
  lastAt: string;
  lastId: number;
}

/**
 * What the server reads on every message, kept in memory (docs/PROTOCOL.md §4): user names by id, the rooms by
 * id and by name, and each room's members in joining order. The database stays the truth: the index is loaded
 * from it at start-up, and the Store changes it only after the database accepted the same change.
 */
export class StoreIndex {
  private readonly names = new Map<number, string>();
  private readonly roomsById = new Map<number, Room>();
  private readonly roomsByName = new Map<string, Room>();
  /** Each room's members: user id to joined_at, in the order of (joined_at, user id). */
  private readonly members = new Map<number, Members>();

  nameOf(userId: number): string | undefined {
    return this.names.get(userId);
  }

  setName(userId: number, name: string): void {
    this.names.set(userId, name);
  }

  // --- rooms ---

  roomById(id: number): Room | null {
    const room = this.roomsById.get(id);
    return room ? { ...room } : null;
  }

  roomByName(name: string): Room | null {
    const room = this.roomsByName.get(foldName(name));
    return room ? { ...room } : null;
  }

  setRoom(room: Room): void {
    const kept = { ...room };
    this.roomsById.set(room.id, kept);
    this.roomsByName.set(foldName(room.name), kept);
    if (!this.members.has(room.id)) this.members.set(room.id, { joined: new Map(), lastAt: '', lastId: 0 });
  }

  setOwner(roomId: number, ownerId: number): void {
    const room = this.roomsById.get(roomId);
    if (room) this.setRoom({ ...room, ownerId });
  }

  /** The room, its memberships and its invitations go (the database deletes them in cascade). */
  deleteRoom(roomId: number): void {
    const room = this.roomsById.get(roomId);
    if (!room) return;
    this.roomsById.delete(roomId);
    this.roomsByName.delete(foldName(room.name));
    this.members.delete(roomId);
  }

  // --- membership ---

  /** The members' ids in joining order; the same Map's keys the index keeps, not a copy: read, do not hold. */
  memberIds(roomId: number): IterableIterator<number> {
    return (this.members.get(roomId)?.joined ?? new Map<number, string>()).keys();
  }

  memberCount(roomId: number): number {
    return this.members.get(roomId)?.joined.size ?? 0;
  }

  isMember(roomId: number, userId: number): boolean {
    return this.members.get(roomId)?.joined.has(userId) ?? false;
  }

  /** Adds a membership where `ORDER BY joined_at, user_id` puts it (at the end, unless the clock went back). */
  addMember(roomId: number, userId: number, joinedAt: string): void {
    const members = this.members.get(roomId);
    if (!members || members.joined.has(userId)) return;
    // The latest join ever (a member who left may have been it): a join after it goes last, as it sorts.
    const last = after(joinedAt, userId, members.lastAt, members.lastId);
    if (last) {
      members.lastAt = joinedAt;
      members.lastId = userId;
    }
    members.joined.set(userId, joinedAt);
    if (last) return;
    const sorted = [...members.joined].sort(([aId, aAt], [bId, bAt]) => (after(aAt, aId, bAt, bId) ? 1 : -1));
    members.joined.clear();
    for (const [id, at] of sorted) members.joined.set(id, at);
  }

  removeMember(roomId: number, userId: number): void {
    this.members.get(roomId)?.joined.delete(userId);
  }
}
