import { parseArgs } from 'node:util';
import { commands } from './commands/index.js';

const USAGE = `dharma — the IaC Dharma AIOps SDK on the command line

Usage: dharma <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  .join('\n')}

Run "dharma <command> --help" for a command's options.`;

/** Runs the CLI with `argv` (without node and script); resolves the exit code. */
export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    // No command at all is a usage mistake: exit 2, like every other one.
    (name ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`dharma: unknown command "${name}". Commands: ${Object.keys(commands).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false }));
  } catch (error) {
    // node:util's messages are one line already ("Unknown option '--bogus'..."); usage errors exit 2.
    process.stderr.write(
      `dharma ${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}. Run "dharma ${name} --help".\n`,
    );
    return 2;
  }
  return command.run(values as Record<string, string | boolean | undefined>);
}
