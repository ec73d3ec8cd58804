import { parseArgs } from 'node:util';
import { ValidationError } from '@iac-dharma/core';
import { parseApiKeySpec, type ApiKey } from '../auth/api-keys.js';

/** What the `dharma-gateway` command was asked to do. */
export interface GatewayCommand {
  /** `memory`, or `sqlite:<path>`. */
  storage: string;
  port: number;
  host: string;
  apiKeys: ApiKey[];
  allowAnonymous: boolean;
  graphiql: boolean;
  /** Put the remediator in dry-run (scaleDeployment plans but changes nothing). */
  dryRun: boolean;
  maxDepth?: number;
  maxComplexity?: number;
  /** Log lines on stderr: `text` or `json` (JSON lines). */
  logFormat: 'text' | 'json';
  /** Lowest level logged. */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  help: boolean;
}

/** Usage text of `dharma-gateway`. */
export const GATEWAY_USAGE = `dharma-gateway — serve an IaC Dharma engine over GraphQL

Usage: npx @iac-dharma/gateway [options]

Options:
  --storage <spec>        memory | sqlite:<path>                     (default: memory)
  --port <n>              port to listen on; 0 picks a free one      (default: 4000)
  --host <address>        interface to listen on                     (default: 127.0.0.1)
  --api-key <role:key>    an accepted key; role viewer or operator; repeatable.
                          Also read from DHARMA_GATEWAY_API_KEYS (comma-separated).
  --allow-anonymous       with no keys, let anyone in as operator (local development only)
  --dry-run               the remediator plans scaleDeployment without changing anything
  --no-graphiql           do not serve the GraphiQL page
  --max-depth <n>         deepest query nesting accepted                (default: 8)
  --max-complexity <n>    highest estimated query cost accepted         (default: 20000)
  --log-format <f>        log lines on stderr: text | json (JSON lines) (default: text)
  --log-level <level>     debug | info | warn | error                   (default: info)
  -h, --help              show this help

Endpoints: /graphql (HTTP + graphql-ws, GraphiQL in a browser), /health, /metrics.`;

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ValidationError(`Invalid --${name}: expected an integer from ${min} to ${max}, got "${value}".`, [
      { path: name, message: `expected an integer from ${min} to ${max}`, code: 'custom' },
    ]);
  }
  return parsed;
}

function oneOf<const T extends readonly string[]>(value: string, name: string, allowed: T): T[number] {
  if ((allowed as readonly string[]).includes(value)) return value as T[number];
  throw new ValidationError(`Invalid --${name} "${value}": use ${allowed.join(' or ')}.`, [
    { path: name, message: `expected ${allowed.join(' | ')}`, code: 'custom' },
  ]);
}

/** Parses the command line (without node and the script) and the environment. Throws `ValidationError` on bad options. */
export function parseGatewayArgs(argv: string[], env: Record<string, string | undefined> = {}): GatewayCommand {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      storage: { type: 'string', default: 'memory' },
      port: { type: 'string', default: '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      'api-key': { type: 'string', multiple: true },
      'allow-anonymous': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'no-graphiql': { type: 'boolean', default: false },
      'max-depth': { type: 'string' },
      'max-complexity': { type: 'string' },
      'log-format': { type: 'string', default: 'text' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const fromEnv = (env.DHARMA_GATEWAY_API_KEYS ?? '')
    .split(',')
    .map((spec) => spec.trim())
    .filter(Boolean);
  const storage = values.storage as string;
  if (storage !== 'memory' && !/^sqlite:.+/.test(storage)) {
    throw new ValidationError(`Invalid --storage "${storage}": use memory or sqlite:<path> (e.g. sqlite:./aiops.db).`, [
      { path: 'storage', message: 'expected memory or sqlite:<path>', code: 'custom' },
    ]);
  }
  const maxDepth = integer(values['max-depth'] as string | undefined, 'max-depth', 1, 100);
  const maxComplexity = integer(values['max-complexity'] as string | undefined, 'max-complexity', 1, 10_000_000);
  const logFormat = oneOf(values['log-format'] as string, 'log-format', ['text', 'json'] as const);
  const logLevel = oneOf(values['log-level'] as string, 'log-level', ['debug', 'info', 'warn', 'error'] as const);
  return {
    storage,
    port: integer(values.port as string, 'port', 0, 65_535) ?? 4000,
    host: values.host as string,
    apiKeys: [...((values['api-key'] as string[] | undefined) ?? []), ...fromEnv].map(parseApiKeySpec),
    allowAnonymous: values['allow-anonymous'] as boolean,
    graphiql: !(values['no-graphiql'] as boolean),
    dryRun: values['dry-run'] as boolean,
    ...(maxDepth === undefined ? {} : { maxDepth }),
    ...(maxComplexity === undefined ? {} : { maxComplexity }),
    logFormat,
    logLevel,
    help: values.help as boolean,
  };
}
