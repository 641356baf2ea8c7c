// chatlab demo (npm run demo): the lab up, its demo scenario (`basic`, or a lab folder's own) with every host captured, and the report.
import { relative } from 'node:path';
import { GradeError } from '../../grade/index.js';
import { LAB_IMAGES } from '../../lab/index.js';
import { demoScenario } from '../../scenario/scenario-file.js';
import { ScenarioRunner } from '../../scenario/scenario-runner.js';
import { keepGoingOnStrayRejections, parseScenarioArgs, reportCommandError } from './scenario-args.js';
import { variantArgs } from './variant-args.js';

/** Runs `chatlab demo`: lab flags and --lang as `chatlab scenario` takes them, or a student's --variant. */
export async function runDemo(argv: readonly string[]): Promise<void> {
  try {
    const started = performance.now();
    const argsWithVariant = variantArgs(argv);
    const variantFlags = argsWithVariant.filter((arg) => !argv.includes(arg));
    const args = parseScenarioArgs(argsWithVariant);
    keepGoingOnStrayRejections();
    const { topology } = args;
    const scenario = demoScenario(topology.labDir, topology.server.image === LAB_IMAGES.server);
    const result = await new ScenarioRunner()
      .withTopology(args.topology)
      .withLanguage(args.lang)
      .withoutSummary()
      .run(scenario);
    const here = (path: string): string => relative(process.cwd(), path) || '.';
    const labFlags = topology.labDir === null ? [] : ['--lab', here(topology.labDir)];
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const { failure } = result.record;
    console.log('');
    if (failure === undefined) console.log(`demo finished in ${seconds} s: the ${scenario} scenario passed.`);
    else
      console.log(
        `demo FAILED at step ${failure.step} after ${seconds} s: expected ${failure.expected}.\n  ${failure.message}`,
      );
    if (result.report !== undefined) {
      console.log(`  the report  ${here(result.report.files.html)}`);
      console.log(`              ${here(result.report.files.markdown)}`);
    } else console.log(`  no report: ${result.reportError ?? 'it was not written'}`);
    console.log(`  captures    ${here(result.dir)}/captures/   (wireshark or tshark -r <file>)`);
    console.log(
      `The lab stays up: \`npm run lab:chat -- ${[topology.clients[0]?.name ?? 'alice', ...variantFlags, ...labFlags].join(' ')}\` to chat by hand, \`npm run lab:down${labFlags.length > 0 ? ` -- ${labFlags.join(' ')}` : ''}\` to stop it.`,
    );
    if (!result.ok || result.reportError !== undefined) process.exitCode = 1;
  } catch (error) {
    if (error instanceof GradeError) {
      process.exitCode = 1;
      console.error(`\ndemo failed: ${error.message} [${error.code}]`);
    } else reportCommandError('demo', error);
  }
}
