// npm run lab:setup [-- --build] [--tools] [--no-docker]: installs and starts what the lab needs; --build also
// builds its images; --tools installs the analysis tools the tests compare with (tshark); --no-docker skips Docker.
import { DockerSetup } from '../../lab/provision/docker-setup.js';
import { ImageSet } from '../../lab/image-set.js';
import { runLabCommand } from '../run-command.js';

/**
 * Debian packages of the tools that check chatlab's own output: tshark reads the captures independently,
 * Chromium renders the HTML report.
 */
const TEST_TOOLS = ['tshark', 'chromium'];

/** `chatlab lab setup`: see the comment above. */
export function labSetup(argv: readonly string[]): Promise<void> {
  const flags = new Set(argv);
  return runLabCommand('lab:setup', async (progress) => {
    const setup = new DockerSetup(progress);
    if (flags.has('--tools')) {
      await setup.ensurePackages(TEST_TOOLS, 'Checking the analysis with tshark and Chromium');
      progress.info(`${TEST_TOOLS.join(', ')} ready.`);
    }
    if (!flags.has('--no-docker')) {
      await setup.ensure();
      progress.info('Docker engine and Compose v2 are ready.');
      if (flags.has('--build')) await new ImageSet(progress).ensure();
    }
    progress.info(progress.summary('lab:setup'));
  });
}
