// basic: the classic assignment. Three people register and log in; alice creates #general, bob and carol
// join; the three talk; alice sends bob a direct message; they list the users and the rooms; all quit.
// Expected: each room message reaches exactly the room's other members, the direct message only bob.
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

await alice.do('/create general');
await bob.do('/join general');
await lab.delivered('JOIN', { room: 'general', user: 'bob' }, [alice]);
await carol.do('/join general');
await lab.delivered('JOIN', { room: 'general', user: 'carol' }, [alice, bob]);

await alice.do('hello everyone, welcome to #general');
await lab.delivered('MSG', { from: 'alice', text: 'hello everyone, welcome to #general' }, [bob, carol]);
await bob.do('hi alice! glad to be here');
await lab.delivered('MSG', { from: 'bob', text: 'hi alice! glad to be here' }, [alice, carol]);
await carol.do('same here | and a | or a : inside a message is just text');
await lab.delivered(
  'MSG',
  { from: 'carol', text: 'same here | and a | or a : inside a message is just text' },
  [alice, bob],
);

await alice.do('/msg bob psst, this one is only for you');
await lab.delivered('DM', { from: 'alice', to: 'bob', text: 'psst, this one is only for you' }, [bob]);
await bob.do('/msg alice got it, thanks');
await lab.delivered('DM', { from: 'bob', to: 'alice', text: 'got it, thanks' }, [alice]);

await carol.do('/users', { shows: ['alice', 'bob', 'carol'] });
await bob.do('/rooms', { shows: ['general'] });

await carol.do('/quit');
await bob.do('/quit');
await alice.do('/quit');
