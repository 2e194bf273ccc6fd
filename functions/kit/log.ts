import { Logger } from "@aws-lambda-powertools/logger";

/** The structured log both shells write: a message and its fields, one JSON line each. */
export interface LogSink {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** A Powertools Logger (JSON lines, the Lambda request id added per invocation) behind LogSink. */
export function functionLogger(serviceName: string): LogSink {
  const logger = new Logger({ serviceName });
  return {
    info: (message, extra) => logger.info(message, extra ?? {}),
    warn: (message, extra) => logger.warn(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
  };
}

/** A log that drops everything, for tests and benchmarks that only look at outcomes. */
export const silentLog: LogSink = { info: () => undefined, warn: () => undefined, error: () => undefined };
