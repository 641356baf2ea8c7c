// ScenarioClient against a real server on 127.0.0.1, with the script client run on this machine instead of
// through `docker exec` (a ContainerShell whose spawn runs the command here): steps, expectations, raw lines,
// waits and their errors.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerFixture } from '../../test/support/server-fixture.js';
import { startProcess, type RunningProcess } from '../util/process.js';
import { ContainerShell } from './container-shell.js';
import { ScenarioClient } from './scenario-client.js';
import { ScenarioError } from './scenario-error.js';
import { StepLog } from './step-log.js';

/** Runs the chat client from the sources on this machine where the lab would `docker exec` it. */
class LocalShell extends ContainerShell {
  constructor(
    host: string,
    private readonly downloads: string,
  ) {
    super('local', host);
  }

  override spawn(argv: readonly string[]): RunningProcess {
    const args = argv.slice(2).map((arg) => (arg.startsWith('/tmp/scenario') ? this.downloads : arg));
    return startProcess('node', ['--import', 'tsx', 'src/cli/main.ts', ...args]);
  }
}

let server: ServerFixture;
const printed: string[] = [];
const log = new StepLog((line) => printed.push(line));
const downloads = mkdtempSync(join(tmpdir(), 'chatlab-scenario-client-'));
let alice: ScenarioClient;
let bob: ScenarioClient;

beforeAll(async () => {
  server = await ServerFixture.start();
  const address = `127.0.0.1:${server.port}`;
  [alice, bob] = await Promise.all([
    ScenarioClient.open(new LocalShell('alice', downloads), log, address),
    ScenarioClient.open(new LocalShell('bob', downloads), log, address),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([alice.close(), bob.close()]);
  await server.stop();
  rmSync(downloads, { recursive: true, force: true });
}, 30_000);

const failureOf = async (step: Promise<unknown>): Promise<ScenarioError> => {
  const error = await step.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScenarioError)) throw new Error(`expected a ScenarioError, got ${String(error)}`);
  return error;
};

describe('ScenarioClient', () => {
  it('runs each line as a numbered step and prints who acted and how it went', async () => {
    const outcome = await alice.do('/register alice alice@example.org s3cret-alice');
    expect(outcome).toMatchObject({ code: 201, ok: true, text: '201 Created' });
    await alice.do('/login alice s3cret-alice', { shows: ['"name":"alice"'] });
    expect(printed.at(-2)).toMatch(
      /^\[ \d\] alice +\/register alice alice@example.org s3cret-alice {2}-> 201 Created$/,
    );
    expect(printed.at(-1)).toMatch(/-> 200 OK, shows "name":"alice"$/);
  }, 20_000);

  it('accepts a refusal only when told to expect it, by status or by error code', async () => {
    await bob.do('/register alice other@example.org another-pw', { expect: 409 });
    await bob.do('/register alice other@example.org another-pw', { expect: 'NAME_TAKEN' });
    expect(printed.at(-1)).toMatch(/-> 409 Conflict NAME_TAKEN \(as expected\)$/);
    const step = log.next;
    const error = await failureOf(bob.do('/register alice other@example.org another-pw'));
    expect(error.code).toBe('SCENARIO_UNEXPECTED_REPLY');
    expect(error.message).toContain('got 409 Conflict NAME_TAKEN');
    expect(log.failure).toMatchObject({ step, expected: 'a success (2xx)' });
    expect(log.steps.at(-1)).toMatchObject({ n: step, actor: 'bob', ok: false });
  }, 20_000);

  it('sends /raw lines as typed and checks the untagged reply the server gives them', async () => {
    await bob.do('/register bob bob@example.org s3cret-bob');
    await bob.do('/login bob s3cret-bob');
    await bob.do('/raw FROB the-knob', { expect: 'UNKNOWN_COMMAND' });
    await bob.do(`/raw SAY nowhere ${'x'.repeat(9000)}`, { expect: 413 });
    expect(log.steps.at(-1)?.action).toMatch(/\.\.\. \(9\d{3} bytes\)$/);
    await bob.do('/raw 7 PING');
  }, 20_000);

  it('waits for events and says what arrived instead when the wait runs out', async () => {
    await alice.do('/msg bob hi bob');
    const dm = await bob.waitFor('DM', { from: 'alice', text: 'hi bob' });
    expect(dm.to).toBe('bob');
    await alice.do('/msg bob second');
    const error = await failureOf(bob.waitFor('DM', { text: 'never sent' }, { timeoutMs: 300 }));
    expect(error.code).toBe('SCENARIO_TIMEOUT');
    expect(error.message).toMatch(
      /^bob waited 0.3 s for \* DM text="never sent"; what arrived: .*"text":"second"/,
    );
    await alice.never('DM', { text: 'hi bob' }, 50);
    await expect(bob.never('DM', { text: 'second' }, 50)).rejects.toThrow('bob received * DM text=second');
  }, 20_000);

  it('reports a client that ended with its exit code', async () => {
    await alice.do('/quit');
    expect(alice.isOpen).toBe(false);
    const error = await failureOf(alice.do('/ping'));
    expect(error.code).toBe('SCENARIO_CLIENT_ENDED');
    expect(error.message).toMatch(/^alice's client ended \(exit code 0\) before/);
  }, 20_000);
});
