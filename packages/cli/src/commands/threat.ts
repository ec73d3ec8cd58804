import type { Command } from './command.js';

// Placeholder until the command is implemented in its own issue.
export const threatCommand: Command = {
  summary: '(threat: not implemented yet)',
  usage: 'dharma threat',
  options: {},
  run: async () => {
    process.stderr.write('dharma threat: not implemented yet\n');
    return 1;
  },
};
