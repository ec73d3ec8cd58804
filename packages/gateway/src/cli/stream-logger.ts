import type { Logger } from '@iac-dharma/core';

const ORDER = ['debug', 'info', 'warn', 'error'] as const;
/** A log level of {@link createStreamLogger}. */
export type LogLevel = (typeof ORDER)[number];

/**
 * A {@link Logger} writing one line per entry to a stream (the `dharma-gateway` command's stderr):
 * `text` lines (`2026-01-02T03:04:05.000Z warn message {"field":1}`) or `json` lines
 * (`{"time":...,"level":"warn","msg":"message","field":1}`), from `level` up.
 */
export function createStreamLogger(options: {
  stream: { write(text: string): unknown };
  format: 'text' | 'json';
  level: LogLevel;
}): Logger {
  const threshold = ORDER.indexOf(options.level);
  const write = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER.indexOf(level) < threshold) return;
    const time = new Date().toISOString();
    const line =
      options.format === 'json'
        ? safeJson({ ...fields, time, level, msg: message })
        : `${time} ${level} ${message}${fields && Object.keys(fields).length > 0 ? ` ${safeJson(fields)}` : ''}`;
    options.stream.write(`${line}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, field: unknown) =>
      typeof field === 'bigint' ? String(field) : field instanceof Error ? field.message : field,
    );
  } catch {
    return '"[unserialisable]"';
  }
}
