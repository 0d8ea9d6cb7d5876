import { pino } from 'pino';
import { createApplication, type ApplicationOverrides } from '../../src/application.js';
import { loadConfig } from '../../src/config.js';
import { startHttpServer } from '../../src/server.js';

export type LogLine = Record<string, unknown> & { level: number; msg?: string };

export interface InProcessServer {
  /** the GraphQL endpoint */
  url: string;
  /** every log line of this server, parsed, oldest first */
  logs: LogLine[];
  close(): Promise<void>;
}

/**
 * The whole service (config, application, express + Apollo) in this process on a free
 * port, with the log captured: for GraphQL behaviour that needs no process of its own.
 */
export async function startInProcessServer(
  env: Record<string, string>,
  overrides: ApplicationOverrides = {},
): Promise<InProcessServer> {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'debug', ...env });
  const app = await createApplication(config, logger, overrides);
  const server = await startHttpServer(app);
  return {
    url: server.url,
    logs,
    async close() {
      await server.close();
      await app.close();
    },
  };
}
