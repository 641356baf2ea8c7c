import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const HOST = '127.0.0.1';
const PROBE_EVERY_MS = 50;
const SYNC_TIMEOUT_MS = 10_000;

/**
 * dumpcap on the loopback interface, for tests: only traffic to or from one TCP port on 127.0.0.1 is kept.
 * dumpcap says "Capturing on" before its first packets are delivered and writes packets in batches, so
 * start and stop are synchronised with marker datagrams sent to ourselves on 127.0.0.1: capture has begun
 * once the start marker is in the file, and everything sent before the stop marker is in the file once that
 * marker is. The markers are UDP frames in the capture, never chat traffic.
 */
export class LoopbackCapture {
  private constructor(
    readonly file: string,
    private readonly dumpcap: ChildProcess,
    private readonly probe: Socket,
    private readonly probePort: number,
    private readonly stderr: () => string,
  ) {}

  static async start(file: string, tcpPort: number): Promise<LoopbackCapture> {
    const probe = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(0, HOST, resolve);
    });
    const probePort = probe.address().port;
    const filter = `host ${HOST} and (tcp port ${tcpPort} or udp port ${probePort})`;
    const dumpcap = spawn('dumpcap', ['-q', '-i', 'lo', '-f', filter, '-w', file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    dumpcap.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const capture = new LoopbackCapture(file, dumpcap, probe, probePort, () => stderr);
    try {
      await capture.mark('start');
    } catch (error) {
      await capture.kill();
      throw error;
    }
    return capture;
  }

  /** Waits until every packet sent so far is in the file, then stops dumpcap. */
  async stop(): Promise<void> {
    try {
      await this.mark('stop');
    } finally {
      await this.kill();
    }
  }

  private async mark(name: string): Promise<void> {
    const marker = Buffer.from(`chatlab-capture-${name}-${randomBytes(8).toString('hex')}`);
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    while (!this.fileHas(marker)) {
      if (this.dumpcap.exitCode !== null) {
        throw new Error(`dumpcap exited with code ${this.dumpcap.exitCode}: ${this.stderr().trim()}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `dumpcap did not record the ${name} marker within ${SYNC_TIMEOUT_MS} ms: ${this.stderr().trim()}`,
        );
      }
      this.probe.send(marker, this.probePort, HOST);
      await sleep(PROBE_EVERY_MS);
    }
  }

  private fileHas(marker: Buffer): boolean {
    return existsSync(this.file) && readFileSync(this.file).includes(marker);
  }

  private async kill(): Promise<void> {
    this.probe.close();
    if (this.dumpcap.exitCode !== null || this.dumpcap.signalCode !== null) return;
    const exited = new Promise((resolve) => this.dumpcap.once('exit', resolve));
    this.dumpcap.kill('SIGINT');
    await exited;
  }
}
