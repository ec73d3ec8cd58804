import { DharmaError } from '@iac-dharma/core';
import { discardPendingOutputs } from './atomic-output.js';
import { UsageError } from './model-options.js';

/** Runs a command body, turning usage mistakes into exit code 2 and SDK errors into a one-line message and exit 1. */
export async function guardCommand(command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    discardPendingOutputs();
    if (error instanceof UsageError) {
      process.stderr.write(`dharma ${command}: ${error.message}\n`);
      return 2;
    }
    const text = DharmaError.isInstance(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    // One line: file-system errors carry the path already ("ENOENT: no such file or directory, open 'x'").
    const message = text.split('\n')[0];
    process.stderr.write(`dharma ${command}: ${message}\n`);
    return 1;
  }
}
