import type { Logger } from '@iac-dharma/core/kernel';
import kafkajs, { type logCreator } from 'kafkajs';

const { logLevel } = kafkajs;

/** kafkajs level for each of our level names. */
export const KAFKA_LOG_LEVELS = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

/** Adapts an SDK {@link Logger} to kafkajs' `logCreator`, so kafkajs lines go where the host's logs go. */
export function toKafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      const line = `kafkajs ${namespace}: ${message}`;
      const context = { ...fields, namespace } as Record<string, unknown>;
      if (level === logLevel.ERROR) logger.error(line, context);
      else if (level === logLevel.WARN) logger.warn(line, context);
      else if (level === logLevel.INFO) logger.info(line, context);
      else logger.debug(line, context);
    };
}
