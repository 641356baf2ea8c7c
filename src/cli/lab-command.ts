import { Command } from 'commander';
import { LAB_CONFIG_OPTIONS } from '../lab/lab-config.js';
import { labBuild } from './lab/build.js';
import { labChat } from './lab/chat.js';
import { labDown } from './lab/down.js';
import { labLogs } from './lab/logs.js';
import { labRender } from './lab/render.js';
import { labSetup } from './lab/setup.js';
import { labStatus } from './lab/status.js';
import { labUp } from './lab/up.js';

export interface LabSubcommand {
  name: string;
  usage: string;
  description: string;
  run: (argv: readonly string[]) => Promise<void>;
  /** Takes the lab's settings as flags (the others read only the CHATLAB_* variables). */
  labFlags: boolean;
}

export const SUBCOMMANDS: readonly LabSubcommand[] = [
  {
    name: 'up',
    usage: '[lab options]',
    description:
      'build what is missing, start the lab, wait until the server answers and every sniffer captures; print each host',
    run: labUp,
    labFlags: true,
  },
  {
    name: 'down',
    usage: '[lab options]',
    description: 'stop the lab and remove its containers and network (the captures stay)',
    run: labDown,
    labFlags: true,
  },
  {
    name: 'status',
    usage: '[lab options]',
    description: "each host's container state, IP and MAC, and the size of its capture",
    run: labStatus,
    labFlags: true,
  },
  {
    name: 'chat',
    usage: '<client> [lab options]',
    description: "the interactive chat client in that client's container, on this terminal",
    run: labChat,
    labFlags: true,
  },
  {
    name: 'logs',
    usage: '[--follow] [--tail N] [service...]',
    description: "the lab containers' output (every argument goes to `docker compose logs`)",
    run: labLogs,
    labFlags: false,
  },
  {
    name: 'build',
    usage: '',
    description: "build the lab's images that are missing or out of date (the base too, with no registry)",
    run: labBuild,
    labFlags: false,
  },
  {
    name: 'setup',
    usage: '[--build] [--tools] [--no-docker]',
    description:
      'install and start Docker where this machine allows it (root on Debian/Ubuntu); --build also builds the images, --tools installs tshark and Chromium, --no-docker skips Docker',
    run: labSetup,
    labFlags: false,
  },
  {
    name: 'render',
    usage: '[lab options]',
    description:
      'write the compose file for these settings (compose/lab.yml for the defaults) and print its path',
    run: labRender,
    labFlags: true,
  },
];

const LAB_OPTIONS_HELP = `
Lab options (each also an environment variable):
${Object.entries(LAB_CONFIG_OPTIONS)
  .map(([flag, variable]) => `  --${flag} <value>`.padEnd(28) + variable)
  .join('\n')}
For example: chatlab lab up --subnet 10.78.0.0/24 --clients 4`;

/** `chatlab lab <up|down|status|chat|logs|build|setup|render>`: the Docker lab. */
export function labCommand(subcommands: readonly LabSubcommand[] = SUBCOMMANDS): Command {
  const lab = new Command('lab').description(
    'the Docker lab: a server and clients on a private network, each host captured',
  );
  for (const sub of subcommands) {
    // The lab's own parsers read the arguments (lab flags, compose's flags), so commander passes them on.
    const command = new Command(sub.name)
      .description(sub.description)
      .usage(sub.usage)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(async (_options: unknown, self: Command) => {
        await sub.run(self.args);
      });
    if (sub.labFlags) command.addHelpText('after', LAB_OPTIONS_HELP);
    lab.addCommand(command);
  }
  return lab;
}
