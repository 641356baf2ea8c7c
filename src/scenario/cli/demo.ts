// npm run demo: the lab up, the `basic` scenario with every host captured, and the report; prints where it is.
import { ScenarioRunner } from '../scenario-runner.js';
import { keepGoingOnStrayRejections, parseScenarioArgs, reportCommandError } from './scenario-command.js';

try {
  const started = performance.now();
  const args = parseScenarioArgs(process.argv.slice(2));
  keepGoingOnStrayRejections();
  const result = await new ScenarioRunner().withTopology(args.topology).withLanguage(args.lang).run('basic');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log('');
  if (result.report !== undefined) {
    console.log(`demo finished in ${seconds} s. Open the report:`);
    console.log(`  ${result.report.files.html}`);
    console.log(`  ${result.report.files.markdown}`);
  } else {
    console.log(`demo finished in ${seconds} s without a report; the run is in ${result.dir}`);
  }
  console.log(
    `The captures: ${result.dir}/captures/ (wireshark or tshark -r <file>); the lab stays up: npm run lab:down`,
  );
  if (!result.ok || result.reportError !== undefined) process.exitCode = 1;
} catch (error) {
  reportCommandError('demo', error);
}
