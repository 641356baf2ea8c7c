import { runTshark } from '../../src/report/tshark/tshark-runner.js';

const VALIDATE = [
  '-o',
  'tcp.check_checksum:TRUE',
  '-o',
  'ip.check_checksum:TRUE',
  '-o',
  'udp.check_checksum:TRUE',
];
const NUMBERS = ['-T', 'fields', '-e', 'frame.number'];

const lines = (out: string): string[] => out.trim().split('\n').filter(Boolean);

/**
 * What tshark finds in a capture that no wire carries (issue "Capture truth"): a frame over 1514 bytes on an
 * Ethernet whose MTU is 1500, a checksum tshark's own validation calls bad, a TCP segment whose checksum it did
 * not verify as good. Empty for a true capture; a capture with no frame at all is a problem too.
 */
export async function realFrameProblems(file: string, name = file): Promise<string[]> {
  const problems: string[] = [];
  const lengths = lines(await runTshark(['-r', file, '-T', 'fields', '-e', 'frame.len'])).map(Number);
  if (lengths.length === 0) problems.push(`${name}: no frame at all`);
  const largest = Math.max(0, ...lengths);
  if (largest > 1514) problems.push(`${name}: a frame of ${String(largest)} bytes (over 1514)`);
  const bad = await runTshark([
    '-r',
    file,
    ...VALIDATE,
    '-Y',
    // tcp.checksum.ffff: Wireshark's RFC 1624 warning for 0xffff where 0x0000 is computed, the same zero in
    // one's complement, which Linux writes for about one segment in 65,536: not a wrong checksum.
    '(tcp.checksum.status==0 && !tcp.checksum.ffff) || ip.checksum.status==0 || udp.checksum.status==0',
    ...NUMBERS,
  ]);
  if (lines(bad).length > 0) problems.push(`${name}: ${String(lines(bad).length)} bad checksums`);
  // tshark did verify them: every TCP segment's checksum is "good" (status 1), or 0xffff for zero.
  const tcp = lines(await runTshark(['-r', file, '-Y', 'tcp', ...NUMBERS])).length;
  const good = lines(
    await runTshark([
      '-r',
      file,
      ...VALIDATE,
      '-Y',
      'tcp.checksum.status==1 || tcp.checksum.ffff',
      ...NUMBERS,
    ]),
  ).length;
  if (good !== tcp) problems.push(`${name}: ${String(good)} of ${String(tcp)} TCP checksums verified good`);
  return problems;
}
