import type { EventFrame } from '../../protocol/index.js';
import type { ChatClient } from '../connection/chat-client.js';
import type { Restored } from '../reconnect/reconnect-events.js';

/** What the command runner keeps of a session: who is logged in, the current room, the last message seen. */
export interface SessionState {
  user: string | undefined;
  room: string | undefined;
  /** The id of the newest message seen in each room (events, own messages, history). */
  readonly lastSeen: Map<string, number>;
}

type Body = Record<string, unknown>;
const list = (value: unknown): Body[] => (Array.isArray(value) ? (value as Body[]) : []);

/** Notes the newest message id seen in a room. */
export function sawMessage(state: SessionState, room: unknown, id: unknown): void {
  if (typeof room !== 'string' || typeof id !== 'number') return;
  state.lastSeen.set(room, Math.max(id, state.lastSeen.get(room) ?? 0));
}

/**
 * Puts the session back on a new connection (ReconnectingClient's restore step): the current room is
 * kept when the user is still a member (membership lives on the server), joined again if not and it can be,
 * and dropped otherwise; messages the room got while the connection was down are fetched with HISTORY to be
 * delivered as `* MSG` events marked `replayed`. Its requests are quiet: nobody sees their replies.
 */
export async function restoreSession(
  state: SessionState,
  conn: ChatClient,
  login: Body | undefined,
): Promise<Restored> {
  if (!login) {
    const was = state.user;
    state.user = undefined;
    state.room = undefined;
    return was === undefined ? {} : { note: `not logged in as ${was} any more: /login again` };
  }
  const room = state.room;
  if (room === undefined) return {};
  if (!list(login.rooms).some((r) => r.name === room)) {
    const joined = await conn.request('JOIN', room, { quiet: true });
    if (joined.code >= 400) {
      state.room = undefined;
      const why = typeof joined.body.code === 'string' ? joined.body.code : String(joined.code);
      return { note: `no longer in ${room} (${why}): /join a room` };
    }
  }
  const replay = await missed(state, conn, room);
  const caught = replay.length > 0 ? `, ${replay.length} message(s) missed meanwhile` : '';
  return { note: `back in ${room}${caught}`, replay };
}

async function missed(state: SessionState, conn: ChatClient, room: string): Promise<EventFrame[]> {
  const last = state.lastSeen.get(room);
  if (last === undefined) return [];
  const reply = await conn.request('HISTORY', `#${room} 200`, { quiet: true });
  if (reply.code >= 400) return [];
  return list(reply.body.messages)
    .filter((m) => typeof m.id === 'number' && m.id > last && m.from !== state.user)
    .map((m) => ({ kind: 'event', event: 'MSG', body: { ...m, room, replayed: true } }));
}
