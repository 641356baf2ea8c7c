// basic: the classic assignment. Three people register and log in; alice creates #general, bob and carol
// join; the three talk; alice sends bob a direct message; they list the users and the rooms; all quit.
// Expected: each room message reaches exactly the room's other members, the direct message only bob.
// A student's variant (`chatlab demo --variant <variant.json>`) renames the three, the room and the texts,
// and adds a file the first sends the second (src/scenario/basic-cast.ts); without one it runs as above.
import { basicCast, lab } from '../src/scenario/index.js';

const cast = basicCast();
const [first, second, third] = cast.clients;
const alice = await lab.client(first);
const bob = await lab.client(second);
const carol = await lab.client(third);

await alice.do(`/register ${first} ${first}@example.org s3cret-${first}`);
await bob.do(`/register ${second} ${second}@example.org s3cret-${second}`);
await carol.do(`/register ${third} ${third}@example.org s3cret-${third}`);
await alice.do(`/login ${first} s3cret-${first}`);
await bob.do(`/login ${second} s3cret-${second}`);
await carol.do(`/login ${third} s3cret-${third}`);

await alice.do(`/create ${cast.room}`);
await bob.do(`/join ${cast.room}`);
await lab.delivered('JOIN', { room: cast.room, user: second }, [alice]);
await carol.do(`/join ${cast.room}`);
await lab.delivered('JOIN', { room: cast.room, user: third }, [alice, bob]);

await alice.do(cast.messages[0]);
await lab.delivered('MSG', { from: first, text: cast.messages[0] }, [bob, carol]);
await bob.do(cast.messages[1]);
await lab.delivered('MSG', { from: second, text: cast.messages[1] }, [alice, carol]);
await carol.do(cast.messages[2]);
await lab.delivered('MSG', { from: third, text: cast.messages[2] }, [alice, bob]);

await alice.do(`/msg ${second} ${cast.direct}`);
await lab.delivered('DM', { from: first, to: second, text: cast.direct }, [bob]);
await bob.do(`/msg ${first} ${cast.reply}`);
await lab.delivered('DM', { from: second, to: first, text: cast.reply }, [alice]);

if (cast.file !== null) {
  const notes = await alice.createFile(cast.file.name, cast.file.content);
  const sent = await alice.send(`@${second}`, notes);
  await lab.delivered('FILE', { 'file.id': sent.id, 'file.to': second }, [bob]);
  await bob.download(sent, notes);
}

await carol.do('/users', { shows: [first, second, third] });
await bob.do('/rooms', { shows: [cast.room] });

await carol.do('/quit');
await bob.do('/quit');
await alice.do('/quit');
