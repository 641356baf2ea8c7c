// chat: the student-style Python chat (../server.py, ../client.py) driven as a person at each client would:
// the lab's two clients (alice and bob, or a student variant's names) start `python3 -u /lab/client.py
// <server> <port>` in their hosts, type commands into it and read what it prints. Expected: the greeting names
// the server, broadcasts reach the others, a private message reaches the second only, /list shows both, /quit
// says BYE and the other side is told.
import { lab } from '../../../src/scenario/index.js';

const { ip, port } = lab.server;
const [first = 'alice', second = 'bob'] = lab.clientNames;
const start = (host: string) =>
  lab.program(host, ['python3', '-u', '/lab/client.py', ip, String(port)], {
    ready: 'Welcome to pychat-server',
  });

const alice = await start(first);
await alice.type(`/nick ${first}`, { expect: `OK you are ${first}` });
const bob = await start(second);
await bob.type(`/nick ${second}`, { expect: `OK you are ${second}` });
await alice.expect(`* ${second} joined`);

lab.note('A broadcast, then a private message: no framing, so each is one segment of its own.');
await alice.type(`hello ${second}, this is ${first} on the python chat`);
await bob.expect(`${first}: hello ${second}, this is ${first} on the python chat`);
await bob.type(`hi ${first}, got it`);
await alice.expect(`${second}: hi ${first}, got it`);
await alice.type(`/msg ${second} psst, only for you`, { expect: `OK sent to ${second}` });
await bob.expect(`[private] ${first}: psst, only for you`);
await bob.type('/list', { expect: `ONLINE ${[first, second].sort().join(', ')}` }); // sorted by name
await bob.type('/msg nobody-here are you there?', { expect: 'ERROR usage' }); // nobody of that name is online

await alice.type('/quit', { expect: 'BYE' });
await bob.expect(`* ${first} left`);
await bob.type('/quit', { expect: 'BYE' });
await alice.close();
await bob.close();
