import type { Logger } from './common.js';

type LogMethod = (...args: unknown[]) => void;
type LevelName = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: readonly LevelName[] = ['debug', 'info', 'warn', 'error'];

/** How a logger takes structured fields. */
export type LoggerCallShape =
  /** `logger.warn(message, fields)`: console, winston, the SDK's own `Logger`. */
  | 'message-first'
  /** `logger.warn(fields, message)`: pino and bunyan. */
  | 'fields-first';

/** Anything with the four level methods: a `Logger`, pino, winston, bunyan, `console`. */
export interface LoggerLike {
  debug(...args: never[]): unknown;
  info(...args: never[]): unknown;
  warn(...args: never[]): unknown;
  error(...args: never[]): unknown;
}

/** True for pino (and bunyan-style) loggers, whose structured fields come first. */
function takesFieldsFirst(logger: object): boolean {
  const candidate = logger as {
    levels?: { values?: unknown };
    bindings?: unknown;
    fields?: unknown;
    addStream?: unknown;
  };
  const pino = typeof candidate.bindings === 'function' && typeof candidate.levels?.values === 'object';
  const bunyan = typeof candidate.addStream === 'function' && typeof candidate.fields === 'object';
  return pino || bunyan;
}

const ADAPTED = Symbol.for('@iac-dharma/adapted-logger');

/**
 * Makes any common logger a {@link Logger} that keeps the SDK's structured fields. The SDK calls
 * `logger.warn(message, fields)`; pino takes `(fields, message)` and treats a second argument as a
 * printf value, so given as-is it drops every field. pino (and bunyan) are detected and called fields
 * first; console and winston-style loggers already take `(message, fields)` and are called as they are.
 * Pass `callShape` to say it yourself. Every component that accepts a `logger` option applies this.
 *
 * ```ts
 * const engine = new Engine({ logger: pino() }); // fields arrive as pino properties
 * ```
 */
export function adaptLogger(logger: LoggerLike, options: { callShape?: LoggerCallShape } = {}): Logger {
  if (Reflect.get(logger, ADAPTED) === true && options.callShape === undefined) return logger as Logger;
  const shape = options.callShape ?? (takesFieldsFirst(logger) ? 'fields-first' : 'message-first');
  const adapted = {} as Logger & Record<symbol, unknown>;
  for (const level of LEVELS) {
    const method = (logger[level] as LogMethod | undefined)?.bind(logger);
    adapted[level] = (message: string, fields?: Record<string, unknown>) => {
      if (!method) return;
      if (fields === undefined) method(message);
      else if (shape === 'fields-first') method(fields, message);
      else method(message, fields);
    };
  }
  adapted[ADAPTED] = true;
  return adapted;
}
