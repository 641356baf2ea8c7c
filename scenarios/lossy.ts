// lossy: what TCP does about a link that loses packets, and what UDP does not. alice and bob talk and alice
// sends bob a file while alice's link drops 10 % of the frames in each direction (after the sender's capture,
// before the receiver's, as a real link does). Expected: TCP still delivers every message, once and in order,
// and the 1 MiB file with its SHA-256 intact; the captures show the lost segments sent again
// (retransmissions) and duplicate ACKs. Then the same over UDP (chatlab answers on UDP at the same port,
// docs/PROTOCOL.md §10) through a link that drops a quarter of the datagrams: nothing is sent again, so what the
// link drops is gone (the sender's capture has it, the receiver's does not), a request whose datagram or reply
// is lost gets no answer, and a file sent in datagrams arrives with pieces missing and is refused. The link
// is made perfect again at the end.
import { lab } from '../src/scenario/index.js';

const UDP_MESSAGES = 24;

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

lab.note('The same over UDP: alice and bob come back in datagrams, one frame in each');
// Over a perfect link a reply takes a millisecond: alice calls a request lost after 1.5 s without one.
const aliceUdp = await lab.client('alice', { transport: 'udp', replyTimeout: 1.5 });
const bobUdp = await lab.client('bob', { transport: 'udp' });
await aliceUdp.do('/login alice s3cret-alice');
await bobUdp.do('/login bob s3cret-bob');
await aliceUdp.do('/room lossy'); // members already: /room makes it the room their lines go to
await bobUdp.do('/room lossy');

lab.note("alice's link now loses 25 % of the datagrams, both ways: UDP sends nothing again");
await lab.impair('alice', 'loss=25%');
const answered: string[] = [];
for (let n = 1; n <= UDP_MESSAGES; n += 1) {
  const text = `datagram ${n} of ${UDP_MESSAGES} through a lossy link`;
  const outcome = await aliceUdp.do(text, { mayBeLost: true });
  if (outcome.ok) answered.push(text);
}
// A message the server answered reached it, so it went on to bob (his link is perfect); the others may or
// may not have (a lost reply hides a delivered message): the captures tell which (the report's UDP section).
for (const text of answered) await bobUdp.waitFor('MSG', { from: 'alice', text });
const small = await aliceUdp.createFile('lossy-udp.bin', { size: 48 * 1024, seed: 'chatlab lossy udp' });
await aliceUdp.do(`/send @bob ${small.path}`, { mayBeLost: true, expect: 'BAD_OFFSET' });

lab.note('The link is perfect again');
await lab.clearImpairment('alice');
await aliceUdp.do('/quit');
await bobUdp.do('/quit');
