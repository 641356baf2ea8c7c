import { ChatError } from '../../protocol/index.js';
import type { HandlerTable } from '../handler.js';
import { ok } from '../handler.js';
import { GuessBudget } from '../guess-budget.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { checkCapacity, enterRoom, memberRoom, ownedRoom, roomNamed, userNamed } from './lookups.js';

// docs/PROTOCOL.md §4 "Rooms"
export const roomHandlers: HandlerTable = {
  CREATE: async ({ server, user }, args) => {
    const name = args.string('room');
    const capacity = args.options.get('capacity');
    if (capacity !== undefined && (typeof capacity !== 'number' || capacity < 1 || capacity > 10000)) {
      throw new ChatError(400, 'BAD_CAPACITY', 'capacity is a number of members from 1 to 10000');
    }
    if (server.store.roomByName(name))
      throw new ChatError(409, 'ROOM_EXISTS', `a room ${name} exists; JOIN it`);
    const password = args.options.get('password');
    const hash = typeof password === 'string' ? await hashPassword(password) : null;
    if (server.store.roomByName(name))
      throw new ChatError(409, 'ROOM_EXISTS', `a room ${name} exists; JOIN it`);
    const room = server.store.addRoom(
      name,
      user.id,
      hash,
      capacity ?? null,
      args.options.get('invite-only') === true,
    );
    return { status: 201, body: { room: server.views.room(room) } };
  },

  ROOMS: ({ server }) => ok({ rooms: server.store.rooms().map((r) => server.views.room(r)) }),

  JOIN: async (ctx, args) => {
    const { server, user } = ctx;
    const room = roomNamed(server, args.string('room'));
    if (server.store.isMember(room.id, user.id)) {
      throw new ChatError(409, 'ALREADY_MEMBER', `you are a member of ${room.name} already`);
    }
    const invited = server.store.hasInvite(room.id, user.id, 'invite');
    if (room.inviteOnly && !invited) {
      throw new ChatError(
        403,
        'INVITE_ONLY',
        `${room.name} is invite-only; REQUEST ${room.name} to ask its owner`,
      );
    }
    if (room.passwordHash !== null && !invited) {
      const password = args.optionalString('password');
      // Each room password has its own guess budget, per guessing user and per address.
      const guesses = new GuessBudget(server.loginFailures, [
        `room:${room.id}:user:${user.id}`,
        `room:${room.id}:addr:${ctx.conn.address}`,
      ]);
      if (password !== undefined) guesses.check(`too many wrong passwords for ${room.name}`);
      if (password === undefined || !(await verifyPassword(password, room.passwordHash))) {
        if (password !== undefined) guesses.wrong();
        throw new ChatError(401, 'BAD_ROOM_PASSWORD', `${room.name} is locked: JOIN ${room.name} <password>`);
      }
    }
    checkCapacity(server, room);
    return enterRoom(ctx, room);
  },

  LEAVE: ({ server, user }, args) => {
    const room = memberRoom(server, args.string('room'), user);
    if (room.ownerId === user.id) {
      throw new ChatError(
        409,
        'OWNER_MUST_HAND_OVER',
        `you own ${room.name}: HANDOVER ${room.name} <member> first, or DELETE ${room.name}`,
      );
    }
    server.store.removeMember(room.id, user.id);
    return ok(undefined, () => {
      server.roomEvent(room, 'LEAVE', { room: room.name, user: user.name });
    });
  },

  MEMBERS: ({ server, user }, args) => {
    const room = memberRoom(server, args.string('room'), user);
    return ok({ room: room.name, members: server.views.members(room) });
  },

  HANDOVER: ({ server, user }, args) => {
    const room = ownedRoom(server, args.string('room'), user);
    const heir = userNamed(server, args.string('user'));
    if (!server.store.isMember(room.id, heir.id)) {
      throw new ChatError(409, 'NOT_A_MEMBER', `${heir.name} is not a member of ${room.name}`);
    }
    server.store.setOwner(room.id, heir.id);
    return ok({ room: room.name, owner: heir.name }, () => {
      server.roomEvent(room, 'OWNER', { room: room.name, owner: heir.name });
    });
  },

  DELETE: ({ server, user }, args) => {
    const room = ownedRoom(server, args.string('room'), user);
    const others = [...server.store.memberIds(room.id)].filter((id) => id !== user.id);
    if (others.length > 0 && args.optionalString('force') !== 'force') {
      throw new ChatError(
        409,
        'ROOM_NOT_EMPTY',
        `${room.name} has ${others.length} other member(s); DELETE ${room.name} force deletes it anyway`,
      );
    }
    server.store.deleteRoom(room.id);
    return ok({ room: room.name }, () => {
      for (const id of others) {
        if (!server.sendEvent(id, 'DELETED', { room: room.name, by: user.name })) {
          server.notify(id, { kind: 'deleted', room: room.name, from: user.name });
        }
      }
    });
  },
};
