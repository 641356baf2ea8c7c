import { createInterface } from 'node:readline';
import { run, start } from './command.js';

// Two tiny programs for `node -e` inside the lab's containers (node is in every lab image), or on this machine: the receiver
// counts bytes from its first to the sender's FIN; the sender writes `size` bytes from memory. With `RawWork`, they also
// do what a file transfer must (the transfer floor): the sender reads a file from the disk 2 MiB at a time as it sends
// it, hashing it on the way if asked, and the receiver hashes every byte and writes it to a file (1 MiB write buffer),
// its time running until the file is written.
const RECEIVER = `const net=require('net'),fs=require('fs'),crypto=require('crypto');const store=process.argv[2]||'';let n=0,t0=0;const srv=net.createServer((s)=>{const h=store?crypto.createHash('sha256'):null;const ws=store?fs.createWriteStream(store,{highWaterMark:1<<20}):null;s.on('data',(d)=>{if(!t0)t0=performance.now();n+=d.length;if(h){h.update(d);if(!ws.write(d)){s.pause();ws.once('drain',()=>s.resume())}}});s.on('end',()=>{const fin=()=>{console.log(JSON.stringify({bytes:n,ms:performance.now()-t0,sha256:h?h.digest('hex'):''}));s.end();srv.close()};if(ws)ws.end(fin);else fin()})});srv.listen(Number(process.argv[1]),()=>console.log('listening'));`;
const SENDER = `const net=require('net'),fs=require('fs'),crypto=require('crypto');const size=Number(process.argv[1]),file=process.argv[4]||'',hash=process.argv[5]==='hash';const buf=Buffer.alloc(1<<20,7);let sent=0,sha256='';const t0=performance.now();const s=net.connect(Number(process.argv[3]),process.argv[2],()=>{if(file){const h=hash?crypto.createHash('sha256'):null;const rs=fs.createReadStream(file,{highWaterMark:2<<20});rs.on('data',(c)=>{if(h)h.update(c);sent+=c.length;if(!s.write(c)){rs.pause();s.once('drain',()=>rs.resume())}});rs.on('end',()=>{if(h)sha256=h.digest('hex');s.end()});return}const pump=()=>{while(sent<size){const n=Math.min(buf.length,size-sent);sent+=n;if(!s.write(n===buf.length?buf:buf.subarray(0,n))){s.once('drain',pump);return}}s.end()};pump()});s.on('close',()=>console.log(JSON.stringify({bytes:sent,ms:performance.now()-t0,sha256})));`;

/**
 * The work a file transfer cannot skip, for the raw programs to do too: the sender reads `readFrom` (a file of
 * the transfer's size on its end) instead of sending from memory, hashing it when `hashAtSender`; the receiver
 * hashes what arrives and writes it to `storeTo`. Both digests are compared.
 */
export interface RawWork {
  readonly readFrom: string;
  readonly hashAtSender: boolean;
  readonly storeTo: string;
  /** The file's SHA-256 (hex): what the receiver's digest, and the sender's if it hashed, must be. */
  readonly sha256: string;
}

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
  work?: RawWork,
): Promise<RawTransfer> {
  return rawTransfer(inContainer(from), inContainer(to), toIp, bytes, 5201, work);
}

/** Sends `bytes` over plain TCP from the sender's end to the receiver's, which listens on `toIp:port`. */
export async function rawTransfer(
  from: NodeEnd,
  to: NodeEnd,
  toIp: string,
  bytes: number,
  port = 5201,
  work?: RawWork,
): Promise<RawTransfer> {
  const receiving = to(RECEIVER, work === undefined ? [String(port)] : [String(port), work.storeTo]);
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
    const sending = from(SENDER, [
      String(bytes),
      toIp,
      String(port),
      ...(work === undefined ? [] : [work.readFrom, work.hashAtSender ? 'hash' : '']),
    ]);
    const sent = await run(sending.file, sending.args, { timeoutMs: 300_000 });
    const received = JSON.parse(await done) as { bytes: number; ms: number; sha256: string };
    const sender = JSON.parse(sent.stdout.trim()) as { bytes: number; ms: number; sha256: string };
    if (received.bytes !== bytes) throw new Error(`raw TCP: ${received.bytes} of ${bytes} bytes arrived`);
    if (work !== undefined) {
      const digests = work.hashAtSender ? [received.sha256, sender.sha256] : [received.sha256];
      if (digests.some((digest) => digest !== work.sha256))
        throw new Error(`raw TCP with the work: SHA-256 ${digests.join(', ')}, expected ${work.sha256}`);
    }
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
