// irc: Debian's ngircd with two real IRC clients, Debian's `ii`, as people use it: ii keeps one FIFO per
// channel to type into (`echo hello > /tmp/irc/<server>/#lab/in`) and one `out` file per channel to read.
// Here each host's "typist" writes the lines typed into the right FIFO, and `tail -F` shows the out files.
// Expected: ngircd names itself (002/004), both join #lab and see each other's messages, alice sets the
// topic, a private message reaches bob only, WHO lists both, and a file goes from alice to bob over DCC:
// a CTCP offer through the server, then a direct TCP connection between the two clients. alice and bob are
// the lab's first two clients: a student's variant gives them other names.
import { lab } from '../../../src/scenario/index.js';

const { ip, port } = lab.server;
const dir = `/tmp/irc/${ip}`;
// Types `#lab text` into #lab's FIFO and anything else (`/j #lab`, raw commands) into the server's.
const TYPIST = `while IFS= read -r line; do
  case "$line" in "#"*) fifo="$1/\${line%% *}/in"; line="\${line#* }";; *) fifo="$1/in";; esac
  until [ -p "$fifo" ]; do sleep 0.1; done
  printf '%s\\n' "$line" > "$fifo"
done`;

async function ircClient(nick: string, other: string) {
  await lab.run(nick, ['rm', '-rf', '/tmp/irc']); // ii appends to its out files: start from none
  const client = await lab.program(nick, ['ii', '-s', ip, '-p', String(port), '-n', nick, '-i', '/tmp/irc'], {
    label: `${nick}/ii`,
  });
  const out = await lab.program(
    nick,
    ['tail', '-F', '-n', '+1', `${dir}/out`, `${dir}/#lab/out`, `${dir}/${other}/out`],
    { label: `${nick}/out`, ready: /running version ngircd-[\d.]+/, timeoutMs: 15_000 },
  );
  const typist = await lab.program(nick, ['sh', '-c', TYPIST, 'sh', dir], {
    label: nick,
    title: `starts a typist: "#lab text" into #lab's FIFO, other lines into ${dir}/in`,
  });
  return { client, out, typist };
}

const [first = 'alice', second = 'bob'] = lab.clientNames;
const alice = await ircClient(first, second);
const bob = await ircClient(second, first);

lab.note('Both join #lab; each sees the other arrive and the channel topic ngircd.conf set.');
await alice.typist.type('/j #lab');
await alice.out.expect('The chatlab IRC lab');
await bob.typist.type('/j #lab');
await alice.out.expect(new RegExp(`${second}.* has joined #lab`));
await alice.typist.type(`#lab hello ${second}, ${first} here over IRC`);
await bob.out.expect(`<${first}> hello ${second}, ${first} here over IRC`);
await bob.typist.type(`#lab hi ${first}, loud and clear`);
await alice.out.expect(`<${second}> hi ${first}, loud and clear`);
await alice.typist.type('#lab /t chatlab IRC lab: today, DCC');
await bob.out.expect(/changed topic to "?chatlab IRC lab: today, DCC/);

lab.note('A private message (PRIVMSG to a nick) and WHO, a raw command ii passes through.');
await alice.typist.type(`/j ${second} psst, only for you`);
await bob.out.expect(`<${first}> psst, only for you`);
await bob.typist.type('/WHO #lab');
await bob.out.expect(new RegExp(`#lab ~${first} [\\d.]+ irc\\.chatlab\\.lab ${first} H`));

lab.note('DCC SEND: alice offers a file in a CTCP message, bob connects to her directly and receives it.');
const file = await lab.file(
  first,
  'notes.txt',
  'IRC DCC in the chatlab lab: this file went client to client.\n',
);
const aliceIp = lab.host(first).ip;
const dccPort = 5001;
const sender = await lab.program(
  first,
  ['sh', '-c', 'exec nc -N -l "$1" < "$2"', 'sh', String(dccPort), file.path],
  {
    label: `${first}/dcc`,
  },
);
const address = aliceIp.split('.').reduce((n, part) => n * 256 + Number(part), 0);
await alice.typist.type(
  `/PRIVMSG ${second} :\u0001DCC SEND ${file.name} ${address} ${dccPort} ${file.size}\u0001`,
);
await bob.out.expect(`DCC SEND ${file.name} ${address} ${dccPort} ${file.size}`);
await lab.run(second, ['sh', '-c', 'nc -d -w 5 "$1" "$2" > /tmp/notes.txt', 'sh', aliceIp, String(dccPort)]);
await lab.sameFile(second, '/tmp/notes.txt', file);
await sender.close();

await alice.typist.type(`/QUIT :bye from ${first}`);
await bob.out.expect(new RegExp(`${first}.* has quit`));
await bob.typist.type(`/QUIT :bye from ${second}`);
for (const host of [alice, bob])
  for (const program of [host.typist, host.out, host.client]) await program.close(1_000);
