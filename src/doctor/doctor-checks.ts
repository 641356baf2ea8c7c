import { Ipv4Subnet } from '../lab/ipv4-subnet.js';
import type { Topology } from '../lab/topology.js';
import { MAX_ETHERNET_FRAME } from './capture-offloads.js';
import { dockerFindings } from './docker-findings.js';
import type { DoctorProbes, EngineState } from './doctor-probes.js';

/** ok: fine; warn: works, but something is worse than it could be; fail: the lab cannot run until fixed. */
export type Status = 'ok' | 'warn' | 'fail';

export interface Finding {
  check: string;
  status: Status;
  detail: string;
  /** What to do, for warn and fail. */
  fix?: string;
}

const GIB = 1024 ** 3;
/** The base and the three images take about 1 GiB; captures and runs grow from there. */
export const DISK_FAIL_BYTES = 1 * GIB;
export const DISK_WARN_BYTES = 3 * GIB;

function overlaps(a: string, b: string): boolean {
  let x: Ipv4Subnet;
  let y: Ipv4Subnet;
  try {
    x = Ipv4Subnet.parse(a);
    y = Ipv4Subnet.parse(b);
  } catch {
    return false; // a /32, a /30 or IPv6: too small or not comparable, and not the lab's concern
  }
  const end = (s: Ipv4Subnet): number => s.network + 2 ** (32 - s.prefix);
  return x.network < end(y) && y.network < end(x);
}

/** A host interface's address/prefix as its network, e.g. 192.168.1.23/24 -> 192.168.1.0/24. */
function networkOf(cidr: string): string {
  const [address = '', prefixText = '32'] = cidr.split('/');
  const prefix = Number(prefixText);
  const value = address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
  const network = value - (value % 2 ** (32 - prefix));
  const text = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
  return `${text}/${prefix}`;
}

async function networkFindings(
  probes: DoctorProbes,
  topology: Topology,
  engine: EngineState,
): Promise<Finding[]> {
  const running = engine.state === 'answers' && (await probes.labRunning());
  const networks = engine.state === 'answers' ? await probes.dockerNetworks() : [];
  const clashes = [
    ...networks
      .filter((net) => net.name !== topology.network)
      .flatMap((net) =>
        net.subnets
          .filter((s) => overlaps(s, topology.subnet))
          .map((s) => `Docker network ${net.name} (${s})`),
      ),
    ...probes
      .hostNetworks()
      .map(networkOf)
      // A Docker bridge is also an interface here: the engine's list above already judged it.
      .filter((s) => !networks.some((net) => net.subnets.includes(s)))
      .filter((s) => overlaps(s, topology.subnet))
      .map((s) => `this machine's network ${s}`),
  ];
  const findings: Finding[] = [];
  findings.push(
    clashes.length === 0
      ? {
          check: 'lab subnet',
          status: 'ok',
          detail: `${topology.subnet} is free${running ? ' (the lab is on it)' : ''}`,
        }
      : {
          check: 'lab subnet',
          status: 'fail',
          detail: `${topology.subnet} overlaps ${clashes.join(', ')}`,
          fix: 'Choose another subnet: CHATLAB_SUBNET=10.78.0.0/24 (or --subnet), or remove that network (`docker network rm`).',
        },
  );
  if (topology.hostPort === null)
    findings.push({
      check: 'published port',
      status: 'ok',
      detail: 'none published (CHATLAB_HOST_PORT=none)',
    });
  else if (running)
    findings.push({
      check: 'published port',
      status: 'ok',
      detail: `127.0.0.1:${topology.hostPort} is the lab's own`,
    });
  else if (await probes.portFree(topology.hostPort))
    findings.push({
      check: 'published port',
      status: 'ok',
      detail: `127.0.0.1:${topology.hostPort} is free`,
    });
  else
    findings.push({
      check: 'published port',
      status: 'fail',
      detail: `127.0.0.1:${topology.hostPort} is taken by another program`,
      fix: `Stop it, or publish another port: CHATLAB_HOST_PORT=${topology.hostPort + 1} (or none).`,
    });
  return findings;
}

async function diskFinding(probes: DoctorProbes, root: string): Promise<Finding> {
  const free = await probes.freeBytes(root);
  const detail = `${(free / GIB).toFixed(1)} GiB free at ${root}`;
  if (free >= DISK_WARN_BYTES) return { check: 'disk space', status: 'ok', detail };
  const fix = 'Free some space (`docker system prune` removes unused images and build cache).';
  return free < DISK_FAIL_BYTES
    ? { check: 'disk space', status: 'fail', detail: `${detail}: the images need about 1 GiB`, fix }
    : {
        check: 'disk space',
        status: 'warn',
        detail: `${detail}: enough for the images, little for captures`,
        fix,
      };
}

async function captureFindings(probes: DoctorProbes): Promise<Finding[]> {
  const findings: Finding[] = [];
  const ethtool = await probes.captureImageHasEthtool();
  if (ethtool === null)
    findings.push({
      check: 'capture offloads',
      status: 'ok',
      detail: 'the capture image is not built yet (lab:build)',
    });
  else if (ethtool)
    findings.push({ check: 'capture offloads', status: 'ok', detail: 'the capture image has ethtool' });
  else
    findings.push({
      check: 'capture offloads',
      status: 'warn',
      detail: 'the capture image has no ethtool, so the sniffers cannot turn segmentation offloads off',
      fix: `Captures may hold frames over ${MAX_ETHERNET_FRAME} bytes (merged segments); read them as the kernel's, not the wire's.`,
    });
  const scan = await probes.lastCaptures();
  if (scan === undefined) findings.push({ check: 'last captures', status: 'ok', detail: 'no captures yet' });
  else if (scan.oversized === 0)
    findings.push({
      check: 'last captures',
      status: 'ok',
      detail: `${scan.frames} frames in ${scan.files} files, none over ${MAX_ETHERNET_FRAME} bytes`,
    });
  else
    findings.push({
      check: 'last captures',
      status: 'warn',
      detail: `${scan.oversized} of ${scan.frames} frames are over ${MAX_ETHERNET_FRAME} bytes (offload artifacts) in ${scan.affected.join(', ')}`,
      fix: "Each is several TCP segments the kernel merged: the bytes are right, but segment counts and sizes are the kernel's, not the wire's.",
    });
  const tshark = await probes.tshark();
  findings.push(
    tshark === null
      ? {
          check: 'tshark',
          status: 'warn',
          detail: "not installed: the report's tshark commands and --check-tshark need it",
          fix:
            probes.platform === 'linux'
              ? 'Install it: `sudo apt-get install tshark` (or `npm run lab:setup -- --tools --no-docker` as root).'
              : 'Install Wireshark (https://www.wireshark.org/download.html); it brings tshark.',
        }
      : { check: 'tshark', status: 'ok', detail: tshark },
  );
  return findings;
}

/** Every check of `chatlab doctor`, in the order it prints them; nothing here changes the machine. */
export async function runDoctor(probes: DoctorProbes, topology: Topology, root: string): Promise<Finding[]> {
  const { findings, engine } = await dockerFindings(probes);
  return [
    ...findings,
    ...(await networkFindings(probes, topology, engine)),
    await diskFinding(probes, root),
    ...(await captureFindings(probes)),
  ];
}
