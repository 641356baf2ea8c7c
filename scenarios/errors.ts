// errors: the refusals. A duplicate name, a wrong password, a full room, a line over the 8192-byte frame
// limit and an unknown command, each answered with its status code, which the capture shows on the wire.
// The client refuses an oversized line itself, so that one and the unknown verb go as typed, with /raw.
// Expected: every refusal has its code, and the connection stays usable after each of them.
import { lab } from '../src/scenario/index.js';

const alice = await lab.client('alice');
const bob = await lab.client('bob');
const carol = await lab.client('carol');

lab.note('A name that is taken: 409 NAME_TAKEN');
await alice.do('/register alice alice@example.org s3cret-alice');
await bob.do('/register alice someone-else@example.org another-secret', { expect: 'NAME_TAKEN' });
await bob.do('/register bob bob@example.org s3cret-bob');
await carol.do('/register carol carol@example.org s3cret-carol');

lab.note('A wrong password: 401 BAD_CREDENTIALS');
await alice.do('/login alice not-my-password', { expect: 'BAD_CREDENTIALS' });
await alice.do('/login alice s3cret-alice');
await bob.do('/login bob s3cret-bob');
await carol.do('/login carol s3cret-carol');

lab.note('A full room: 403 ROOM_FULL');
await alice.do('/create duo capacity=2');
await bob.do('/join duo');
await carol.do('/join duo', { expect: 'ROOM_FULL' });

lab.note('A request line of 9000 bytes: 413 FRAME_TOO_LARGE (untagged: the server never read the tag)');
await alice.do(`/raw SAY duo ${'x'.repeat(9000)}`, { expect: 'FRAME_TOO_LARGE' });

lab.note('A verb the server does not know: 400 UNKNOWN_COMMAND');
await alice.do('/raw FROB the-knob', { expect: 'UNKNOWN_COMMAND' });

lab.note('Other refusals: 404 for a room or a user that does not exist');
await carol.do('/join nowhere', { expect: 'NO_SUCH_ROOM' });
await carol.do('/msg nobody are you there?', { expect: 'NO_SUCH_USER' });

lab.note('After all that, the connections still work');
await alice.do('/room duo');
await alice.do('still here after five refusals');
await lab.delivered('MSG', { room: 'duo', from: 'alice', text: 'still here after five refusals' }, [bob]);

await alice.do('/quit');
await bob.do('/quit');
await carol.do('/quit');
