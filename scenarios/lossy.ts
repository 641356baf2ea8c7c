// lossy: what TCP does about a link that loses packets. alice and bob talk and alice sends bob a file while
// alice's link drops 10 % of the frames in each direction (after the sender's capture, before the
// receiver's, as a real link does). Expected: TCP still delivers every message, once and in order, and the
// 1 MiB file with its SHA-256 intact; the captures show the lost segments sent again (retransmissions) and
// duplicate ACKs. The link is made perfect again at the end.
import { lab } from '../src/scenario/index.js';

const alice = await lab.client('alice');
const bob = await lab.client('bob');
await alice.do('/register alice alice@example.org s3cret-alice');
await bob.do('/register bob bob@example.org s3cret-bob');
await alice.do('/login alice s3cret-alice');
await bob.do('/login bob s3cret-bob');
await alice.do('/create lossy');
await bob.do('/join lossy');

lab.note("From here alice's link loses 10 % of the frames, both ways: watch TCP send them again");
await lab.impair('alice', 'loss=10%');
for (let n = 1; n <= 12; n += 1) {
  const text = `message ${n} of 12 through a lossy link`;
  await alice.do(text);
  await lab.delivered('MSG', { from: 'alice', text }, [bob], { timeoutMs: 30_000 });
}
const file = await alice.createFile('lossy.bin', { size: 1024 * 1024, seed: 'chatlab lossy scenario' });
const sent = await alice.send('@bob', file);
await lab.delivered('FILE', { 'file.id': sent.id, 'file.to': 'bob' }, [bob], { timeoutMs: 60_000 });
await bob.download(sent, file);

lab.note('The link is perfect again');
await lab.clearImpairment('alice');
await alice.do('back on a perfect link');
await lab.delivered('MSG', { from: 'alice', text: 'back on a perfect link' }, [bob]);
await alice.do('/quit');
await bob.do('/quit');
