import { ChatError } from '../../protocol/index.js';
import type { HandlerTable } from '../handler.js';
import { ok } from '../handler.js';
import { checkCapacity, enterRoom, ownedRoom, roomNamed, userNamed } from './lookups.js';

// docs/PROTOCOL.md §4 "Rooms": invitations (owner to user) and join requests (user to owner). Each side is
// told by a NOTIFY, kept for them while they are offline.
export const inviteHandlers: HandlerTable = {
  INVITE: ({ server, user }, args) => {
    const room = ownedRoom(server, args.string('room'), user);
    const guest = userNamed(server, args.string('user'));
    if (server.store.isMember(room.id, guest.id)) {
      throw new ChatError(409, 'ALREADY_MEMBER', `${guest.name} is a member of ${room.name} already`);
    }
    if (server.store.hasInvite(room.id, guest.id, 'invite')) {
      throw new ChatError(409, 'ALREADY_INVITED', `${guest.name} was invited to ${room.name} already`);
    }
    server.store.addInvite(room.id, guest.id, 'invite');
    return ok({ room: room.name, user: guest.name }, () => {
      server.notify(guest.id, { kind: 'invite', room: room.name, from: user.name });
    });
  },

  REQUEST: ({ server, user }, args) => {
    const room = roomNamed(server, args.string('room'));
    if (!room.inviteOnly)
      throw new ChatError(400, 'NOT_INVITE_ONLY', `${room.name} is open: JOIN ${room.name}`);
    if (server.store.isMember(room.id, user.id)) {
      throw new ChatError(409, 'ALREADY_MEMBER', `you are a member of ${room.name} already`);
    }
    if (server.store.hasInvite(room.id, user.id, 'request')) {
      throw new ChatError(
        409,
        'ALREADY_REQUESTED',
        `you asked to join ${room.name} already; wait for its owner`,
      );
    }
    server.store.addInvite(room.id, user.id, 'request');
    return {
      status: 202,
      body: { room: room.name },
      after: () => {
        server.notify(room.ownerId, { kind: 'request', room: room.name, from: user.name });
      },
    };
  },

  ACCEPT: (ctx, args) => {
    const { server, user } = ctx;
    const requester = args.optionalString('user');
    if (requester === undefined) {
      // The invitee accepts an invitation.
      const room = roomNamed(server, args.string('room'));
      if (!server.store.hasInvite(room.id, user.id, 'invite')) {
        throw new ChatError(404, 'NO_SUCH_INVITE', `you have no invitation to ${room.name}`);
      }
      checkCapacity(server, room);
      return enterRoom(ctx, room);
    }
    // The owner accepts a request.
    const room = ownedRoom(server, args.string('room'), user);
    const guest = userNamed(server, requester);
    if (!server.store.hasInvite(room.id, guest.id, 'request')) {
      throw new ChatError(404, 'NO_SUCH_REQUEST', `${guest.name} has not asked to join ${room.name}`);
    }
    checkCapacity(server, room);
    server.store.addMember(room.id, guest.id);
    return ok({ room: room.name, user: guest.name }, () => {
      server.notify(guest.id, { kind: 'accepted', room: room.name, from: user.name });
      server.roomEvent(room, 'JOIN', { room: room.name, user: guest.name }, guest.id);
    });
  },

  REJECT: ({ server, user }, args) => {
    const requester = args.optionalString('user');
    if (requester === undefined) {
      const room = roomNamed(server, args.string('room'));
      if (!server.store.hasInvite(room.id, user.id, 'invite')) {
        throw new ChatError(404, 'NO_SUCH_INVITE', `you have no invitation to ${room.name}`);
      }
      server.store.removeInvite(room.id, user.id, 'invite');
      return ok({ room: room.name }, () => {
        server.notify(room.ownerId, { kind: 'rejected', room: room.name, from: user.name });
      });
    }
    const room = ownedRoom(server, args.string('room'), user);
    const guest = userNamed(server, requester);
    if (!server.store.hasInvite(room.id, guest.id, 'request')) {
      throw new ChatError(404, 'NO_SUCH_REQUEST', `${guest.name} has not asked to join ${room.name}`);
    }
    server.store.removeInvite(room.id, guest.id, 'request');
    return ok({ room: room.name, user: guest.name }, () => {
      server.notify(guest.id, { kind: 'rejected', room: room.name, from: user.name });
    });
  },

  NOTIFICATIONS: ({ server, user }) => {
    const recent = server.store.recentNotifications(user.id, 50);
    server.store.markDelivered(recent.map((n) => n.id));
    return ok({ notifications: recent.map((n) => server.views.notification(n)) });
  },
};
