import type { Command } from './command.js';

// Placeholder until the command is implemented in its own issue.
export const anomalyCommand: Command = {
  summary: '(anomaly: not implemented yet)',
  usage: 'dharma anomaly',
  options: {},
  run: async () => {
    process.stderr.write('dharma anomaly: not implemented yet\n');
    return 1;
  },
};
