// chat: the student-style Python chat (../server.py, ../client.py) driven as a person at each client would:
// alice and bob start `python3 -u /lab/client.py <server> 5000` in their hosts, type commands into it and
// read what it prints. Expected: the greeting names the server, broadcasts reach the others, a private
// message reaches bob only, /list shows both, /quit says BYE and the other side is told.
import { lab } from '../../../src/scenario/index.js';

const { ip, port } = lab.server;
const start = (host: string) =>
  lab.program(host, ['python3', '-u', '/lab/client.py', ip, String(port)], {
    ready: 'Welcome to pychat-server',
  });

const alice = await start('alice');
await alice.type('/nick alice', { expect: 'OK you are alice' });
const bob = await start('bob');
await bob.type('/nick bob', { expect: 'OK you are bob' });
await alice.expect('* bob joined');

lab.note('A broadcast, then a private message: no framing, so each is one segment of its own.');
await alice.type('hello bob, this is alice on the python chat');
await bob.expect('alice: hello bob, this is alice on the python chat');
await bob.type('hi alice, got it');
await alice.expect('bob: hi alice, got it');
await alice.type('/msg bob psst, only for you', { expect: 'OK sent to bob' });
await bob.expect('[private] alice: psst, only for you');
await bob.type('/list', { expect: 'ONLINE alice, bob' });
await bob.type('/msg carol are you there?', { expect: 'ERROR usage' }); // carol is not online

await alice.type('/quit', { expect: 'BYE' });
await bob.expect('* alice left');
await bob.type('/quit', { expect: 'BYE' });
await alice.close();
await bob.close();
