import type { Command } from './command.js';

// Placeholder until the command is implemented in its own issue.
export const forecastCommand: Command = {
  summary: '(forecast: not implemented yet)',
  usage: 'dharma forecast',
  options: {},
  run: async () => {
    process.stderr.write('dharma forecast: not implemented yet\n');
    return 1;
  },
};
