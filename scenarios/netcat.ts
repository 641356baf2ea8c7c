// netcat: the protocol typed by hand. In alice's container, `nc -C <server> <port>` opens a plain TCP
// connection and each line below is typed into it as a person at a terminal would; bob uses the chat client.
// Expected: the server greets nc with * HELLO, answers each line with "<tag> <code> <reason> <json>", and bob
// and alice (in nc) see each other's messages.
import { lab } from '../src/scenario/index.js';

const bob = await lab.client('bob');
await bob.do('/register bob bob@example.org s3cret-bob');
await bob.do('/login bob s3cret-bob');
await bob.do('/create lobby');

const nc = await lab.netcat('alice');
await nc.type('HELP SAY');
await nc.type('REGISTER alice alice@example.org s3cret-alice', { expect: 201 });
await nc.type('LOGIN alice s3cret-alice');
await nc.type('JOIN lobby');
await lab.delivered('JOIN', { room: 'lobby', user: 'alice' }, [bob]);
await nc.type('SAY lobby hello from netcat, typed by hand');
await lab.delivered('MSG', { from: 'alice', text: 'hello from netcat, typed by hand' }, [bob]);
await bob.do('hi alice, your message came through');
await lab.delivered('MSG', { from: 'bob', text: 'hi alice, your message came through' }, [nc]);
await nc.type('TELL bob and a direct one');
await lab.delivered('DM', { from: 'alice', text: 'and a direct one' }, [bob]);
await nc.type('7 PING');
await nc.type('FROB', { expect: 400 });
await nc.type('QUIT');
await bob.do('/quit');
