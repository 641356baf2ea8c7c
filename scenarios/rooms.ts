// rooms: what a room can be. A room with a password, a room for two, an invite-only room (invite and
// accept, request and reject, request and accept), notifications kept for an offline user and delivered at
// their next login, and deleting a room that still has members.
// Expected: each refusal has its status code; each notification reaches only the user it is for.
import { lab } from '../src/scenario/index.js';

const alice = await lab.client('alice');
const bob = await lab.client('bob');
const carol = await lab.client('carol');
await alice.do('/register alice alice@example.org s3cret-alice');
await bob.do('/register bob bob@example.org s3cret-bob');
await carol.do('/register carol carol@example.org s3cret-carol');
await alice.do('/login alice s3cret-alice');
await bob.do('/login bob s3cret-bob');
await carol.do('/login carol s3cret-carol');

lab.note('A room with a password');
await alice.do('/create lounge password=opensesame');
await bob.do('/join lounge wrong-password', { expect: 'BAD_ROOM_PASSWORD' });
await bob.do('/join lounge opensesame');
await carol.do('/join lounge opensesame');
await lab.delivered('JOIN', { room: 'lounge', user: 'carol' }, [alice, bob]);
await bob.do('/rooms', { shows: ['"name":"lounge","owner":"alice","locked":true'] });

lab.note('A room for two');
await alice.do('/create pair capacity=2');
await bob.do('/join pair');
await carol.do('/join pair', { expect: 'ROOM_FULL' });

lab.note('An invite-only room: invite and accept, request and reject, request and accept');
await alice.do('/create secret invite-only');
await bob.do('/join secret', { expect: 'INVITE_ONLY' });
await alice.do('/invite secret bob');
await lab.delivered('NOTIFY', { kind: 'invite', room: 'secret', from: 'alice' }, [bob]);
await bob.do('/accept secret');
await lab.delivered('JOIN', { room: 'secret', user: 'bob' }, [alice]);
await carol.do('/request secret', { expect: 202 });
await lab.delivered('NOTIFY', { kind: 'request', room: 'secret', from: 'carol' }, [alice]);
await alice.do('/reject secret carol');
await lab.delivered('NOTIFY', { kind: 'rejected', room: 'secret', from: 'alice' }, [carol]);
await carol.do('/request secret', { expect: 202 });
await lab.delivered('NOTIFY', { kind: 'request', room: 'secret', from: 'carol' }, [alice]);
await alice.do('/accept secret carol');
await lab.delivered('NOTIFY', { kind: 'accepted', room: 'secret', from: 'alice' }, [carol]);
await alice.do('/members secret', { shows: ['alice', 'bob', 'carol'] });

lab.note('carol goes offline; what happens meanwhile waits for her next login');
await carol.do('/quit');
await alice.do('/create plans invite-only');
await alice.do('/invite plans carol');
await bob.do('/msg carol see you at the lab tomorrow');
await alice.do('/delete lounge', { expect: 'ROOM_NOT_EMPTY' });
await alice.do('/delete lounge force');
await lab.delivered('DELETED', { room: 'lounge', by: 'alice' }, [bob]);
const carolAgain = await lab.client('carol');
await carolAgain.do('/login carol s3cret-carol', { shows: ['"notifications":3'] });
await carolAgain.waitFor('NOTIFY', { kind: 'invite', room: 'plans', from: 'alice' });
await carolAgain.waitFor('NOTIFY', { kind: 'dm', from: 'bob', text: 'see you at the lab tomorrow' });
await carolAgain.waitFor('NOTIFY', { kind: 'deleted', room: 'lounge', from: 'alice' });
await carolAgain.do('/accept plans');
await lab.delivered('JOIN', { room: 'plans', user: 'carol' }, [alice]);

await carolAgain.do('/quit');
await bob.do('/quit');
await alice.do('/quit');
