import type { ParseArgsConfig } from 'node:util';

/** One `dharma` sub-command. */
export interface Command {
  /** One line for `dharma --help`. */
  summary: string;
  /** Full usage text for `dharma <command> --help`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Runs the command; resolves the process exit code. */
  run(values: Record<string, string | boolean | undefined>): Promise<number>;
}
