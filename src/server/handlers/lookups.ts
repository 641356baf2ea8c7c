import { ChatError } from '../../protocol/index.js';
import type { Outcome, RequestContext, ServerContext } from '../handler.js';
import type { Session } from '../connection.js';
import type { Room, User } from '../store.js';

/** Lookups that refuse with the protocol's status codes when what was named is not there or not allowed. */

export function roomNamed(server: ServerContext, name: string): Room {
  const room = server.store.roomByName(name);
  if (!room) throw new ChatError(404, 'NO_SUCH_ROOM', `no room ${name}; ROOMS lists them`);
  return room;
}

export function userNamed(server: ServerContext, name: string): User {
  const user = server.store.userByName(name);
  if (!user) throw new ChatError(404, 'NO_SUCH_USER', `no user ${name}; USERS lists them`);
  return user;
}

export function memberRoom(server: ServerContext, name: string, user: Session): Room {
  const room = roomNamed(server, name);
  if (!server.store.isMember(room.id, user.id)) {
    throw new ChatError(403, 'NOT_A_MEMBER', `you are not a member of ${room.name}; JOIN it first`);
  }
  return room;
}

export function ownedRoom(server: ServerContext, name: string, user: Session): Room {
  const room = roomNamed(server, name);
  if (room.ownerId !== user.id) {
    throw new ChatError(
      403,
      'NOT_OWNER',
      `only the owner of ${room.name}, ${server.views.nameOf(room.ownerId) ?? '?'}, can do that`,
    );
  }
  return room;
}

export function checkCapacity(server: ServerContext, room: Room): void {
  if (room.capacity !== null && server.store.memberCount(room.id) >= room.capacity) {
    throw new ChatError(403, 'ROOM_FULL', `${room.name} is full (${room.capacity} members)`);
  }
}

/** Makes the user a member: the reply carries the room, its members and its recent history. */
export function enterRoom({ server, user }: RequestContext, room: Room): Outcome {
  server.store.addMember(room.id, user.id);
  const history = server.store.roomHistory(room.id, server.limits.historyOnJoin);
  return {
    status: 200,
    body: {
      room: server.views.room(room),
      members: server.views.members(room),
      history: history.map((m) => server.views.message(m, room.name)),
    },
    after: () => {
      server.roomEvent(room, 'JOIN', { room: room.name, user: user.name }, user.id);
    },
  };
}
