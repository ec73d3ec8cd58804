import type { Command } from './command.js';
import { anomalyCommand } from './anomaly.js';
import { churnCommand } from './churn.js';
import { driftCommand } from './drift.js';
import { failureCommand } from './failure.js';
import { forecastCommand } from './forecast.js';
import { logparseCommand } from './logparse.js';
import { rcaCommand } from './rca.js';
import { signModelCommand } from './sign-model.js';
import { threatCommand } from './threat.js';
import { watchCommand } from './watch.js';

/** Every `dharma` command by name. */
export const commands: Record<string, Command> = {
  anomaly: anomalyCommand,
  forecast: forecastCommand,
  failure: failureCommand,
  threat: threatCommand,
  churn: churnCommand,
  logparse: logparseCommand,
  watch: watchCommand,
  rca: rcaCommand,
  drift: driftCommand,
  'sign-model': signModelCommand,
};
