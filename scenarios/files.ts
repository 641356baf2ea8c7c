// files: a small text file and a 5 MiB binary file, each sent to a room and to one user. Each file is made
// in alice's container; each download is saved in the recipient's container and hashed there.
// Expected: every member of the room is offered the room's files, only bob the ones sent to him, and every
// download has the SHA-256 of alice's file; carol cannot fetch a file that was not offered to her.
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
await alice.do('/create team');
await bob.do('/join team');
await carol.do('/join team');

const notes = await alice.createFile(
  'notes.txt',
  'Lab notes\nDATA 1 0 5 inside a file is just bytes.\n| and : too.\n',
);
const trace = await alice.createFile('trace.bin', { size: 5 * 1024 * 1024, seed: 'chatlab files scenario' });

lab.note('To the room #team: bob and carol are offered each file');
const notesInRoom = await alice.send('#team', notes);
await lab.delivered('FILE', { 'file.id': notesInRoom.id, 'file.to': '#team' }, [bob, carol]);
await bob.download(notesInRoom, notes);
await carol.download(notesInRoom, notes);
const traceInRoom = await alice.send('#team', trace);
await lab.delivered('FILE', { 'file.id': traceInRoom.id, 'file.to': '#team' }, [bob, carol]);
await bob.download(traceInRoom, trace);
await carol.download(traceInRoom, trace);

lab.note('To bob alone: only bob is offered them');
const notesToBob = await alice.send('@bob', notes);
await lab.delivered('FILE', { 'file.id': notesToBob.id, 'file.to': 'bob' }, [bob]);
await bob.download(notesToBob, notes);
const traceToBob = await alice.send('@bob', trace);
await lab.delivered('FILE', { 'file.id': traceToBob.id, 'file.to': 'bob' }, [bob]);
await bob.download(traceToBob, trace);
await carol.do(`/get ${traceToBob.id}`, { expect: 'NO_SUCH_FILE' });

await alice.do('/quit');
await bob.do('/quit');
await carol.do('/quit');
