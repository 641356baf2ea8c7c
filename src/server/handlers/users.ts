import { ChatError } from '../../protocol/index.js';
import type { HandlerTable } from '../handler.js';
import { ok } from '../handler.js';

// docs/PROTOCOL.md §4 "Users"
export const userHandlers: HandlerTable = {
  USERS: ({ server }, args) => {
    const onlyOnline = args.optionalString('filter') === 'online';
    const users = server.store.users().filter((u) => !onlyOnline || server.online(u.id));
    return ok({ users: users.map((u) => server.views.user(u)) });
  },

  WHOIS: ({ server }, args) => {
    const user = server.store.userByName(args.string('user'));
    if (!user) throw new ChatError(404, 'NO_SUCH_USER', `no user ${args.string('user')}`);
    return ok({ user: server.views.profile(user) });
  },
};
