import type { Command } from './command.js';

// Placeholder until the command is implemented in its own issue.
export const failureCommand: Command = {
  summary: '(failure: not implemented yet)',
  usage: 'dharma failure',
  options: {},
  run: async () => {
    process.stderr.write('dharma failure: not implemented yet\n');
    return 1;
  },
};
