import { ChatError, LIMITS } from '../../protocol/index.js';
import type { HandlerTable } from '../handler.js';
import { ok } from '../handler.js';
import { checkTextCharacters } from '../text-rules.js';
import { memberRoom, userNamed } from './lookups.js';

// docs/PROTOCOL.md §4 "Messages". Every message is stored and delivered, identical ones included.

/** Characters as the limit counts them: Unicode code points. */
function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) count++; // a low surrogate belongs to the character before it
  }
  return count;
}

function checkText(text: string): string {
  if (text.trim() === '') throw new ChatError(400, 'EMPTY_TEXT', 'there is no text to send');
  if (codePoints(text) > LIMITS.textLength) {
    throw new ChatError(413, 'TEXT_TOO_LONG', `a message has at most ${LIMITS.textLength} characters`);
  }
  return checkTextCharacters(text);
}

const MAX_HISTORY = 200;

export const messageHandlers: HandlerTable = {
  // The reply waits for the message's commit (Store.saveMessage): a message acknowledged is on disk.
  SAY: async ({ server, user }, args) => {
    const room = memberRoom(server, args.string('room'), user);
    const message = await server.store
      .saveMessage(room.id, user.id, null, checkText(args.string('text')))
      .catch((error: unknown) => {
        // Deleted while the message waited for its commit: the message has no room to go to.
        if (!server.store.roomById(room.id))
          throw new ChatError(404, 'NO_SUCH_ROOM', `${room.name} was deleted; nothing was stored`);
        throw error;
      });
    return ok({ id: message.id, at: message.at }, () => {
      server.roomEvent(room, 'MSG', server.views.message(message, room.name), user.id);
    });
  },

  TELL: async ({ server, user }, args) => {
    const to = userNamed(server, args.string('user'));
    const message = await server.store.saveMessage(null, user.id, to.id, checkText(args.string('text')));
    return ok({ id: message.id, at: message.at }, () => {
      if (!server.sendEvent(to.id, 'DM', server.views.message(message))) {
        server.notify(to.id, { kind: 'dm', from: user.name, text: message.text });
      }
    });
  },

  HISTORY: ({ server, user }, args) => {
    const target = args.string('target');
    const count = Math.min(args.optionalInt('count') ?? 20, MAX_HISTORY);
    const name = target.slice(1);
    if (target.startsWith('#')) {
      const room = memberRoom(server, name, user);
      return ok({
        messages: server.store.roomHistory(room.id, count).map((m) => server.views.message(m, room.name)),
      });
    }
    const other = userNamed(server, name);
    return ok({
      messages: server.store.directHistory(user.id, other.id, count).map((m) => server.views.message(m)),
    });
  },
};
