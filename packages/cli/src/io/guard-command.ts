import { DharmaError } from '@iac-dharma/core';
import { UsageError } from './model-options.js';

/** Runs a command body, turning usage mistakes into exit code 2 and SDK errors into a one-line message and exit 1. */
export async function guardCommand(command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`dharma ${command}: ${error.message}\n`);
      return 2;
    }
    const message = DharmaError.isInstance(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`dharma ${command}: ${message}\n`);
    return 1;
  }
}
