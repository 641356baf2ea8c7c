import { createInterface } from 'node:readline';
import { run, start } from './command.js';

// Two tiny programs for `node -e` inside the lab's containers (node is in every lab image), or on this machine: the receiver
// counts bytes from its first to the sender's FIN; the sender writes `size` bytes from memory.
const RECEIVER = `const net=require('net');let n=0,t0=0;const srv=net.createServer((s)=>{s.on('data',(d)=>{if(!t0)t0=performance.now();n+=d.length});s.on('end',()=>{console.log(JSON.stringify({bytes:n,ms:performance.now()-t0}));s.end();srv.close()})});srv.listen(Number(process.argv[1]),()=>console.log('listening'));`;
const SENDER = `const net=require('net');const size=Number(process.argv[1]);const buf=Buffer.alloc(1<<20,7);let sent=0;const t0=performance.now();const s=net.connect(Number(process.argv[3]),process.argv[2],()=>{const pump=()=>{while(sent<size){const n=Math.min(buf.length,size-sent);sent+=n;if(!s.write(n===buf.length?buf:buf.subarray(0,n))){s.once('drain',pump);return}}s.end()};pump()});s.on('close',()=>console.log(JSON.stringify({bytes:sent,ms:performance.now()-t0})));`;

export interface RawTransfer {
  bytes: number;
  /** Receiver: first byte to the sender's FIN. */
  receiveMs: number;
  /** Sender: connect to close. */
  sendMs: number;
  mibPerSecond: number;
}

/** Where one end runs `node -e <program> <args>`: the command line that does it. */
export type NodeEnd = (
  program: string,
  args: readonly string[],
) => { file: string; args: string[]; where: string };

/** In a lab container, through `docker exec` (node is in every lab image). */
export const inContainer =
  (container: string): NodeEnd =>
  (program, args) => ({
    file: 'docker',
    args: ['exec', container, 'node', '-e', program, ...args],
    where: container,
  });

/** On this machine, with this benchmark's own node. */
export const onThisMachine: NodeEnd = (program, args) => ({
  file: process.execPath,
  args: ['-e', program, ...args],
  where: 'this machine',
});

/** Sends `bytes` over plain TCP from one container to another (`toIp` is the receiver's lab address). */
export function rawTcp(
  from: string,
  to: string,
  toIp: string,
  bytes: number,
  port = 5201,
): Promise<RawTransfer> {
  return rawTransfer(inContainer(from), inContainer(to), toIp, bytes, port);
}

/** Sends `bytes` over plain TCP from the sender's end to the receiver's, which listens on `toIp:port`. */
export async function rawTransfer(
  from: NodeEnd,
  to: NodeEnd,
  toIp: string,
  bytes: number,
  port = 5201,
): Promise<RawTransfer> {
  const receiving = to(RECEIVER, [String(port)]);
  const receiver = start(receiving.file, receiving.args, { stdin: 'ignore' });
  const lines = createInterface({ input: receiver.stdout });
  const stderr: string[] = [];
  receiver.stderr.on('data', (b: Buffer) => stderr.push(b.toString()));
  const next = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`raw TCP receiver in ${receiving.where}: no output within 120 s ${stderr.join('')}`),
        );
      }, 120_000);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(line);
      });
      void receiver.exited.then(({ exitCode: code }) => {
        clearTimeout(timer);
        reject(
          new Error(
            `raw TCP receiver in ${receiving.where} exited (${code ?? 'signal'}): ${stderr.join('')}`,
          ),
        );
      });
    });
  try {
    const ready = await next();
    if (ready !== 'listening') throw new Error(`raw TCP receiver in ${receiving.where} said ${ready}`);
    const done = next();
    const sending = from(SENDER, [String(bytes), toIp, String(port)]);
    const sent = await run(sending.file, sending.args, { timeoutMs: 300_000 });
    const received = JSON.parse(await done) as { bytes: number; ms: number };
    const sender = JSON.parse(sent.stdout.trim()) as { bytes: number; ms: number };
    if (received.bytes !== bytes) throw new Error(`raw TCP: ${received.bytes} of ${bytes} bytes arrived`);
    return {
      bytes,
      receiveMs: received.ms,
      sendMs: sender.ms,
      mibPerSecond: bytes / 1048576 / (received.ms / 1000),
    };
  } finally {
    if (!receiver.hasExited) receiver.kill('SIGKILL');
  }
}
