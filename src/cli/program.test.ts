import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { labCommand, SUBCOMMANDS, type LabSubcommand } from './lab-command.js';
import { buildProgram } from './program.js';

/** Runs the program on argv with commander's exits turned into exceptions, and returns what it printed. */
async function parse(program: Command, argv: string[]): Promise<string> {
  let out = '';
  const quiet = (command: Command): void => {
    command
      .exitOverride()
      .configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (out += text) });
    command.commands.forEach(quiet);
  };
  quiet(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'commander.helpDisplayed') throw error;
  }
  return out;
}

describe('the chatlab program', () => {
  it('has every command of the README, each with its own help', async () => {
    const names = buildProgram().commands.map((command) => command.name());
    for (const name of [
      'demo',
      'lab',
      'scenario',
      'report',
      'assign',
      'grade',
      'doctor',
      'bench',
      'server',
      'client',
    ])
      expect(names).toContain(name);
    for (const name of names) {
      const help = await parse(buildProgram(), [name, '--help']);
      expect(help).toContain(`Usage: chatlab ${name}`);
    }
  });

  it('lists the eight lab commands, and each has help with its usage', async () => {
    const help = await parse(buildProgram(), ['lab', '--help']);
    for (const name of ['up', 'down', 'status', 'chat', 'logs', 'build', 'setup', 'render'])
      expect(help).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    const up = await parse(buildProgram(), ['lab', 'up', '--help']);
    expect(up).toContain('--subnet <value>');
    expect(up).toContain('CHATLAB_SUBNET');
    expect(SUBCOMMANDS.map((sub) => sub.name)).toHaveLength(8);
  });

  it("hands a lab command its arguments as typed, the lab's flags included", async () => {
    const seen: (readonly string[])[] = [];
    const fake: LabSubcommand = {
      name: 'chat',
      usage: '<client>',
      description: 'test',
      labFlags: true,
      run: (argv) => {
        seen.push(argv);
        return Promise.resolve();
      },
    };
    const program = buildProgram([() => labCommand([fake])]);
    await parse(program, ['lab', 'chat', 'alice', '--clients', '4', '--subnet=10.78.0.0/24']);
    expect(seen).toEqual([['alice', '--clients', '4', '--subnet=10.78.0.0/24']]);
  });

  it('takes extra commands, as src/grade registers its own', async () => {
    const program = buildProgram();
    const help = await parse(program, ['--help']);
    expect(help).toContain('doctor');
    const more = buildProgram([() => labCommand([])]);
    expect(more.commands.map((command) => command.name())).toEqual(['lab']);
  });
});
