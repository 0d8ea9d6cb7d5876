import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * One JSON logger for the process. Secrets are kept out at the source (no URL with the
 * API key is ever logged); `secrets` is a last line of defence that masks them in any
 * message string that slips through.
 */
export function createLogger(level: string, secrets: readonly string[] = [], destination?: DestinationStream): Logger {
  const hidden = secrets.filter((secret) => secret.length >= 4);
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'wheel-graphql' },
    redact: { paths: ['apikey', '*.apikey', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        if (hidden.length > 0) {
          args = args.map((arg) => (typeof arg === 'string' ? mask(arg, hidden) : arg)) as typeof args;
        }
        method.apply(this, args);
      },
    },
  };
  // stdout unless told otherwise (tests capture the lines).
  return destination ? pino(options, destination) : pino(options);
}

function mask(text: string, secrets: readonly string[]): string {
  return secrets.reduce((masked, secret) => masked.split(secret).join('[redacted]'), text);
}
