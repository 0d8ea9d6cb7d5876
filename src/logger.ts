import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One JSON logger for the process. Secrets are kept out at the source (no URL with the
 * API key is ever logged); `secrets` is a last line of defence that masks them in any
 * message string that slips through.
 */
export function createLogger(level: string, secrets: readonly string[] = []): Logger {
  const hidden = secrets.filter((secret) => secret.length >= 4);
  return pino({
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
  });
}

function mask(text: string, secrets: readonly string[]): string {
  return secrets.reduce((masked, secret) => masked.split(secret).join('[redacted]'), text);
}
