import { LabError } from '../lab/lab-error.js';
import { Progress } from '../lab/progress.js';

/**
 * Runs one lab command: prints a LabError as its message and hint (never a stack trace) and sets the
 * exit code. CHATLAB_DEBUG=1 prints the stack of unexpected errors too.
 */
export async function runLabCommand(
  name: string,
  body: (progress: Progress) => Promise<void>,
): Promise<void> {
  const progress = new Progress();
  try {
    await body(progress);
  } catch (error) {
    process.exitCode = 1;
    if (error instanceof LabError) {
      console.error(`\n${name} failed: ${error.describe()}`);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\n${name} failed unexpectedly: ${message}`);
    if (process.env.CHATLAB_DEBUG === '1' && error instanceof Error) console.error(error.stack);
  }
}
