#!/usr/bin/env node
import { GATEWAY_USAGE, parseGatewayArgs } from './cli/parse-gateway-args.js';
import { startGatewayCommand } from './cli/start-gateway-command.js';

async function main(): Promise<void> {
  const command = parseGatewayArgs(process.argv.slice(2), process.env);
  if (command.help) {
    process.stdout.write(`${GATEWAY_USAGE}\n`);
    return;
  }
  const running = await startGatewayCommand(command);
  process.stdout.write(`IaC Dharma gateway listening on ${running.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the gateway\n`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`dharma-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`dharma-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
