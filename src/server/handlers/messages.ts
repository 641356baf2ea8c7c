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
  SAY: ({ server, user }, args) => {
    const room = memberRoom(server, args.string('room'), user);
    const message = server.store.addMessage(room.id, user.id, null, checkText(args.string('text')));
    return ok({ id: message.id, at: message.at }, () => {
      server.roomEvent(room, 'MSG', server.views.message(message, room.name), user.id);
    });
  },

  TELL: ({ server, user }, args) => {
    const to = userNamed(server, args.string('user'));
    const message = server.store.addMessage(null, user.id, to.id, checkText(args.string('text')));
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
