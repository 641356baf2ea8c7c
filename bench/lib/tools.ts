import { hasCommand } from '../../src/util/process.js';
import { run } from './command.js';

/**
 * Makes sure a tool from Debian's archive is there: installs `aptPackage` with apt-get when it is missing
 * and this is a Debian/Ubuntu machine with root, else says what to install.
 */
export async function ensureTool(
  command: string,
  aptPackage: string,
  context: { log(message: string): void },
): Promise<void> {
  if (await hasCommand(command)) return;
  const root = process.getuid?.() === 0;
  if (!root || !(await hasCommand('apt-get'))) {
    throw new Error(
      `${command} is not installed: install the ${aptPackage} package (Debian/Ubuntu: apt-get install ${aptPackage})`,
    );
  }
  context.log(`installing ${aptPackage} (apt-get install -y ${aptPackage}) ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): Promise<unknown> =>
    run('apt-get', ['install', '-y', '--no-install-recommends', aptPackage], { env, timeoutMs: 600_000 });
  try {
    await install();
  } catch {
    await run('apt-get', ['update'], { env, timeoutMs: 600_000 });
    await install();
  }
  // Debian starts the packaged daemon on install; the benchmark runs its own instance, so stop that one.
  if (aptPackage === 'ngircd') await run('sh', ['-c', 'service ngircd stop || true'], { allowFailure: true });
}
