import type Docker from 'dockerode';
import { listLabContainers } from './lab-containers.js';
import { LabError } from './lab-error.js';
import { LAB_IMAGES, type Topology } from './topology.js';

/**
 * What the link to one host does to the packets sent to it (tc netem, man tc-netem): added delay with
 * jitter, loss, duplication and reordering in percent, and a rate limit. Every field is optional.
 */
export interface Impairment {
  readonly delayMs?: number;
  readonly jitterMs?: number;
  readonly lossPercent?: number;
  readonly duplicatePercent?: number;
  readonly reorderPercent?: number;
  readonly rateKbit?: number;
}

const KEYS = ['delay', 'jitter', 'loss', 'duplicate', 'reorder', 'rate'] as const;
const SYNTAX = 'e.g. "delay=50ms,jitter=10ms,loss=5%,duplicate=1%,reorder=10%,rate=1mbit"';

function bad(text: string, why: string): LabError {
  return new LabError(
    'LAB_BAD_CONFIG',
    `Invalid impairment "${text}": ${why}.`,
    `Write key=value pairs, ${SYNTAX}.`,
  );
}

function number(text: string, value: string, unit: RegExp, max: number): number {
  const match = /^(\d+(?:\.\d+)?)([a-z%]*)$/i.exec(value);
  const amount = Number(match?.[1]);
  if (match === null || !unit.test(match[2] ?? '') || !(amount >= 0 && amount <= max))
    throw bad(text, `"${value}" is not a value here`);
  return amount;
}

/** Reads `delay=50ms,loss=5%`: delay and jitter in ms (or s), percentages, rate in kbit/mbit. */
export function parseImpairment(text: string): Impairment {
  const result: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key = '', value = ''] = part.split('=').map((p) => p.trim());
    if (!(KEYS as readonly string[]).includes(key))
      throw bad(text, `unknown key "${key}" (known: ${KEYS.join(', ')})`);
    if (key === 'delay' || key === 'jitter') {
      const seconds = /s$/i.test(value) && !/ms$/i.test(value);
      const amount = number(text, value, /^(ms|s|)$/i, seconds ? 60 : 60_000);
      result[`${key}Ms`] = seconds ? amount * 1000 : amount;
    } else if (key === 'rate') {
      const amount = number(text, value, /^(kbit|mbit)$/i, 100_000);
      result.rateKbit = /mbit$/i.test(value) ? amount * 1000 : amount;
    } else {
      result[`${key}Percent`] = number(text, value, /^%?$/, 100);
    }
  }
  if (Object.keys(result).length === 0) throw bad(text, 'it says nothing');
  const impairment = result as Impairment;
  if (impairment.jitterMs !== undefined && impairment.delayMs === undefined)
    throw bad(text, 'jitter varies a delay: give delay too');
  if (impairment.reorderPercent !== undefined && impairment.delayMs === undefined)
    throw bad(text, 'netem reorders by sending some packets without the delay: give delay too');
  return impairment;
}

/** `alice:delay=50ms,loss=5%;server:rate=1mbit` (CHATLAB_IMPAIR, or --impair once per host). */
export function parseImpairments(specs: readonly string[]): Record<string, Impairment> {
  const out: Record<string, Impairment> = {};
  for (const spec of specs
    .flatMap((s) => s.split(';'))
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = spec.indexOf(':');
    const host = spec.slice(0, colon).trim();
    if (colon < 1) throw bad(spec, 'start with the host it applies to, e.g. "alice:loss=5%"');
    out[host] = parseImpairment(spec.slice(colon + 1));
  }
  return out;
}

/** The `tc qdisc ... netem` arguments for an impairment. */
export function netemArgs(impairment: Impairment): string[] {
  const { delayMs, jitterMs, lossPercent, duplicatePercent, reorderPercent, rateKbit } = impairment;
  const args = ['netem'];
  if (delayMs !== undefined)
    args.push('delay', `${delayMs}ms`, ...(jitterMs === undefined ? [] : [`${jitterMs}ms`]));
  if (lossPercent !== undefined) args.push('loss', `${lossPercent}%`);
  if (duplicatePercent !== undefined) args.push('duplicate', `${duplicatePercent}%`);
  if (reorderPercent !== undefined) args.push('reorder', `${reorderPercent}%`);
  if (rateKbit !== undefined) args.push('rate', `${rateKbit}kbit`);
  return args;
}

/** One line for people: `delay 50 ms ± 10 ms, loss 5 %`. */
export function describeImpairment(impairment: Impairment | null): string {
  if (impairment === null) return 'none';
  const { delayMs, jitterMs, lossPercent, duplicatePercent, reorderPercent, rateKbit } = impairment;
  return [
    delayMs === undefined ? '' : `delay ${delayMs} ms${jitterMs === undefined ? '' : ` ± ${jitterMs} ms`}`,
    lossPercent === undefined ? '' : `loss ${lossPercent} %`,
    duplicatePercent === undefined ? '' : `duplication ${duplicatePercent} %`,
    reorderPercent === undefined ? '' : `reordering ${reorderPercent} %`,
    rateKbit === undefined ? '' : `rate ${rateKbit} kbit/s`,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * Sets (or with null clears) the impairment of `host`'s link, on the bridge side of its veth, so a packet is
 * lost or delayed after its sender's capture saw it and before its receiver's did, as on a real link:
 * - loss, both directions: an nftables rule in the bridge's forward hook drops that share of the frames
 *   entering or leaving the host's port (`numgen random`);
 * - delay, jitter, duplication, reordering, rate, towards the host: netem on the port (rate alone: tbf,
 *   which every kernel has). A kernel without netem (CONFIG_NET_SCH_NETEM) gets LAB_IMPAIRMENT_UNSUPPORTED.
 * The bridge side lives in the engine's own network namespace, reached by a short-lived container on the host
 * network with NET_ADMIN (the same on Docker Desktop, whose engine runs in a VM).
 */
export async function setImpairment(
  docker: Docker,
  project: string,
  host: string,
  impairment: Impairment | null,
): Promise<void> {
  const containers = await listLabContainers(docker, project);
  const sniffer = containers.find((c) => c.host === host && c.role === 'capture' && c.state === 'running');
  if (sniffer === undefined) {
    throw new LabError(
      'LAB_NOT_RUNNING',
      `The lab "${project}" has no running host "${host}" to impair (hosts: ${[...new Set(containers.map((c) => c.host))].join(', ')}).`,
      'Start the lab (`npm run lab:up`) and name one of its hosts.',
    );
  }
  const iflink = (await execIn(docker, sniffer.id, ['cat', '/sys/class/net/eth0/iflink'])).trim();
  if (!/^\d+$/.test(iflink))
    throw new LabError('LAB_IMPAIRMENT_FAILED', `Cannot find ${host}'s link (iflink "${iflink}").`);
  await runOnEngineHost(
    docker,
    host,
    impairmentScript(`${project}_${host}`.replace(/[^a-z0-9_]/gi, '_'), iflink, impairment),
  );
}

/** The shell script (run in the engine's namespace) that finds the port with ifindex `iflink` and sets it. */
export function impairmentScript(chain: string, iflink: string, impairment: Impairment | null): string {
  const { lossPercent, rateKbit, delayMs, duplicatePercent } = impairment ?? {};
  // jitter and reordering need a delay (parseImpairment checks): delay or duplication means netem.
  const needsNetem = delayMs !== undefined || duplicatePercent !== undefined;
  const qdisc =
    impairment !== null && needsNetem
      ? `tc qdisc replace dev "$dev" root ${netemArgs(impairment).join(' ')} 2>/tmp/tc.err || { grep -q 'kind is unknown' /tmp/tc.err && exit 4; cat /tmp/tc.err >&2; exit 5; }`
      : rateKbit !== undefined
        ? `tc qdisc replace dev "$dev" root tbf rate ${rateKbit}kbit burst 32kbit latency 400ms`
        : 'tc qdisc del dev "$dev" root 2>/dev/null || true';
  const jump = `iifname "$dev" jump ${chain}`;
  const loss =
    lossPercent === undefined || lossPercent === 0
      ? ''
      : `nft add rule bridge chatlab ${chain} numgen random mod 10000 lt ${Math.round(lossPercent * 100)} counter drop`;
  return [
    `dev=$(ip -o link | awk -F': ' -v i=${iflink} '$1==i {print $2}' | cut -d@ -f1)`,
    `[ -n "$dev" ] || { echo "no interface with index ${iflink}" >&2; exit 3; }`,
    qdisc,
    'nft add table bridge chatlab',
    "nft add chain bridge chatlab forward '{ type filter hook forward priority 0; }'",
    `nft add chain bridge chatlab ${chain}`,
    `nft flush chain bridge chatlab ${chain}`,
    `nft list chain bridge chatlab forward | grep -q 'iifname "'"$dev"'" jump ${chain}' || nft add rule bridge chatlab forward ${jump}`,
    `nft list chain bridge chatlab forward | grep -q 'oifname "'"$dev"'" jump ${chain}' || nft add rule bridge chatlab forward oifname "$dev" jump ${chain}`,
    loss,
  ]
    .filter(Boolean)
    .join('\n');
}

async function execIn(docker: Docker, container: string, cmd: string[]): Promise<string> {
  const exec = await docker
    .getContainer(container)
    .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  // The attached stream is multiplexed: 8-byte headers before each piece.
  const raw = Buffer.concat(chunks);
  const out: Buffer[] = [];
  for (let at = 0; at + 8 <= raw.length;) {
    const length = raw.readUInt32BE(at + 4);
    if (raw[at] === 1) out.push(raw.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return Buffer.concat(out).toString('utf8');
}

async function runOnEngineHost(docker: Docker, host: string, script: string): Promise<void> {
  const container = await docker.createContainer({
    Image: LAB_IMAGES.capture,
    Entrypoint: ['sh', '-c'],
    Cmd: [script],
    HostConfig: { NetworkMode: 'host', CapAdd: ['NET_ADMIN'] },
    Labels: { 'chatlab.role': 'impairment' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode === 4) {
      throw new LabError(
        'LAB_IMPAIRMENT_UNSUPPORTED',
        `This Docker engine's kernel has no netem (CONFIG_NET_SCH_NETEM), so the link to ${host} cannot be delayed, duplicated or reordered.`,
        'Loss and rate work on every kernel; for delay use Docker Desktop or a Linux kernel with sch_netem.',
      );
    }
    if (StatusCode !== 0) {
      const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      throw new LabError(
        'LAB_IMPAIRMENT_FAILED',
        `tc could not change the link to ${host} (exit ${StatusCode}).`,
        'Its output is below.',
        logs,
      );
    }
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Sets every impairment the lab declares (lab file `impair:`, CHATLAB_IMPAIR, --impair); returns them described. */
export async function applyDeclaredImpairments(docker: Docker, topology: Topology): Promise<string[]> {
  const done: string[] = [];
  for (const [host, impairment] of Object.entries(topology.impairments)) {
    await setImpairment(docker, topology.project, host, impairment);
    done.push(`${host} ${describeImpairment(impairment)}`);
  }
  return done;
}
