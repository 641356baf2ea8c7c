import type { Notification, Room, StoredFile, StoredMessage, Store, User } from './store.js';

/** What clients see of the stored rows: no hashes, names instead of ids (docs/PROTOCOL.md §4, §6). */
export class Views {
  constructor(
    private readonly store: Store,
    private readonly isOnline: (userId: number) => boolean,
  ) {}

  nameOf(userId: number | null): string | null {
    return userId === null ? null : this.store.nameOf(userId);
  }

  user(user: User): object {
    return { name: user.name, display: user.display, online: this.isOnline(user.id) };
  }

  profile(user: User): object {
    return { ...this.user(user), email: user.email, postal: user.postal, since: user.createdAt };
  }

  room(room: Room): object {
    let online = 0;
    for (const id of this.store.memberIds(room.id)) if (this.isOnline(id)) online++;
    return {
      name: room.name,
      owner: this.nameOf(room.ownerId),
      locked: room.passwordHash !== null,
      inviteOnly: room.inviteOnly,
      members: this.store.memberCount(room.id),
      online,
      capacity: room.capacity,
    };
  }

  members(room: Room): object[] {
    return this.store.members(room.id).map(({ id, name }) => ({
      name,
      online: this.isOnline(id),
      owner: id === room.ownerId,
    }));
  }

  message(message: StoredMessage, roomName?: string): object {
    const common = { id: message.id, from: this.nameOf(message.fromId), text: message.text, at: message.at };
    return message.roomId === null
      ? { ...common, to: this.nameOf(message.toId) }
      : { ...common, room: roomName ?? null };
  }

  file(file: StoredFile, roomName: string | null): object {
    return {
      id: file.id,
      name: file.name,
      size: file.size,
      sha256: file.sha256,
      from: this.nameOf(file.fromId),
      to: roomName === null ? this.nameOf(file.toId) : `#${roomName}`,
      at: file.at,
    };
  }

  notification(n: Notification): object {
    return { id: n.id, kind: n.kind, room: n.room, from: n.fromName, text: n.text, file: n.fileId, at: n.at };
  }
}
