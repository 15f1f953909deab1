import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { TConfig } from './config.js';

/**
 * Structured JSON logs (one line per entry, request ids included). On a developer's terminal
 * they are pretty-printed. Session tokens, cookies and codes are redacted wherever they appear.
 */
export function createLogger(
  config: Pick<TConfig, 'logLevel' | 'isProduction'>,
  /** Where lines go instead of stdout (tests read them back). */
  destination?: DestinationStream,
): Logger {
  const isPretty = !destination && !config.isProduction && process.stdout.isTTY;
  const options: LoggerOptions = {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.code',
        '*.token',
      ],
      censor: '[redacted]',
    },
    ...(isPretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
