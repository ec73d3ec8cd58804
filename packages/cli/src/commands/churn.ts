import type { Command } from './command.js';

// Placeholder until the command is implemented in its own issue.
export const churnCommand: Command = {
  summary: '(churn: not implemented yet)',
  usage: 'dharma churn',
  options: {},
  run: async () => {
    process.stderr.write('dharma churn: not implemented yet\n');
    return 1;
  },
};
