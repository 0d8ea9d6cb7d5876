import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Docker cannot run here, so the deployment files are checked as text and structure.
const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

type Environment = Record<string, string | null>;
interface Service {
  image?: string;
  build?: string | { context?: string };
  command?: string | string[];
  volumes?: (string | { source?: string; target?: string })[];
  ports?: (string | number | { target?: number | string; published?: number | string })[];
  environment?: Environment | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  restart?: string;
  stop_grace_period?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read('docker-compose.yml')) as Compose;
const redis = compose.services['redis']!;
const api = compose.services['api']!;
const postgres = compose.services['postgres']!;
const configSource = read('src/config.ts');
const readme = read('README.md');
const SECRETS = ['ALPHAVANTAGE_API_KEY', 'API_TOKENS', 'MARKETDATA_API_KEY'];

/** A service's environment as name → raw value (null: passed through without a value). */
function environmentOf(service: Service): Environment {
  const environment = service.environment ?? {};
  if (!Array.isArray(environment)) {
    return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value === null ? null : String(value)]));
  }
  return Object.fromEntries(
    environment.map((entry) => {
      const equals = entry.indexOf('=');
      return equals === -1 ? [entry, null] : [entry.slice(0, equals), entry.slice(equals + 1)];
    }),
  );
}

const asText = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : (value ?? ''));

/** Compose's interpolation: ${NAME}, ${NAME:-default}, ${NAME-default} and $$. */
function interpolate(value: string, host: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (match, name?: string, operator?: string, fallback?: string) => {
    if (match === '$$') return '$';
    const set = host[name!];
    if (operator === ':-') return set === undefined || set === '' ? fallback! : set;
    if (operator === '-') return set === undefined ? fallback! : set;
    return set ?? '';
  });
}

/** The environment the api container gets: the image's ENV, then compose's, resolved against the host. */
function containerEnvironment(host: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = { ...imageEnvironment() };
  for (const [name, raw] of Object.entries(environmentOf(api))) {
    if (raw === null) {
      // no value: taken from the host (shell or .env) when set there, otherwise left unset
      if (host[name] !== undefined) result[name] = host[name];
      else delete result[name];
    } else {
      result[name] = interpolate(raw, host);
    }
  }
  return result;
}

// ---- Dockerfile, read as instructions grouped into stages ----

interface Instruction {
  keyword: string;
  args: string;
}

const dockerfile = read('Dockerfile');
const instructions: Instruction[] = dockerfile
  .split('\n')
  .filter((line) => !/^\s*#/.test(line))
  .join('\n')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '')
  .map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });

const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
for (const instruction of instructions) {
  if (instruction.keyword === 'FROM') {
    const [image = '', , name] = instruction.args.split(/\s+/);
    stages.push({ from: image, name, instructions: [] });
  } else {
    stages.at(-1)?.instructions.push(instruction);
  }
}
const runtime = stages.at(-1)!;
const inRuntime = (keyword: string) => runtime.instructions.filter((instruction) => instruction.keyword === keyword);
const indexInRuntime = (keyword: string) => runtime.instructions.findLastIndex((instruction) => instruction.keyword === keyword);

function imageEnvironment(): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const { args } of inRuntime('ENV')) {
    for (const [, name, value] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) {
      environment[name!] = value!.replace(/^"|"$/g, '');
    }
  }
  return environment;
}

describe('docker-compose.yml', () => {
  it('runs three services: the api, its redis and its postgres', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'redis']);
  });

  describe('postgres', () => {
    it('keeps its data on a named volume at the image data directory', () => {
      expect(postgres.image).toMatch(/^postgres:1[5-9]/);
      const dataVolume = (postgres.volumes ?? [])
        .map((volume) => (typeof volume === 'string' ? { source: volume.split(':')[0], target: volume.split(':')[1] } : volume))
        .find((volume) => volume.target === '/var/lib/postgresql/data');
      expect(dataVolume, 'a volume mounted at /var/lib/postgresql/data').toBeDefined();
      expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume!.source);
    });

    it('reports healthy with pg_isready, and takes its password from the environment, never from the file', () => {
      expect(asText(postgres.healthcheck?.test)).toContain('pg_isready');
      expect(environmentOf(postgres)['POSTGRES_PASSWORD']).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    });
  });

  describe('redis', () => {
    it('keeps its data across restarts: append-only file on a named volume at /data', () => {
      expect(redis.image).toMatch(/^redis:7/);
      const command = asText(redis.command);
      expect(command).toMatch(/--appendonly\s+yes/);
      const dataVolume = (redis.volumes ?? [])
        .map((volume) => (typeof volume === 'string' ? { source: volume.split(':')[0], target: volume.split(':')[1] } : volume))
        .find((volume) => volume.target === '/data');
      expect(dataVolume, 'a volume mounted at /data').toBeDefined();
      expect(Object.keys(compose.volumes ?? {}), 'a named volume, declared at the top level').toContain(dataVolume!.source);
    });

    it('reports healthy only when it answers PING', () => {
      const test = asText(redis.healthcheck?.test);
      expect(test).toContain('redis-cli');
      expect(test).toMatch(/\bping\b/i);
    });
  });

  describe('api', () => {
    const environment = environmentOf(api);

    it("keeps the image's CACHE_DIR (the daily budget's own count, the process id) on a named volume", () => {
      const cacheDir = imageEnvironment()['CACHE_DIR'];
      const cacheVolume = (api.volumes ?? [])
        .map((volume) => (typeof volume === 'string' ? { source: volume.split(':')[0], target: volume.split(':')[1] } : volume))
        .find((volume) => volume.target === cacheDir);
      expect(cacheVolume, `a volume mounted at ${cacheDir}`).toBeDefined();
      expect(Object.keys(compose.volumes ?? {}), 'a named volume, declared at the top level').toContain(cacheVolume!.source);
    });

    it('is built from this folder', () => {
      const context = typeof api.build === 'string' ? api.build : api.build?.context;
      expect(context).toMatch(/^\.\/?$/);
    });

    it('starts only once redis and postgres are healthy', () => {
      expect(api.depends_on).not.toBeInstanceOf(Array);
      expect((api.depends_on as Record<string, { condition?: string }>)['redis']?.condition).toBe('service_healthy');
      expect((api.depends_on as Record<string, { condition?: string }>)['postgres']?.condition).toBe('service_healthy');
    });

    it('keeps its durable data in the postgres service (DATABASE_URL), with the password from the environment', () => {
      const url = new URL(environment['DATABASE_URL'] ?? '');
      expect(url.protocol).toBe('postgres:');
      expect(url.hostname).toBe('postgres');
      expect(url.password).toBe('$%7BPOSTGRES_PASSWORD%7D');
    });

    it('uses the redis service as its store', () => {
      const url = new URL(environment['REDIS_URL'] ?? '');
      expect(url.protocol).toBe('redis:');
      expect(url.hostname).toBe('redis');
      expect(url.port).toBe('6379');
    });

    it('listens on 0.0.0.0:4000 and publishes port 4000', () => {
      expect(environment['HOST']).toBe('0.0.0.0');
      expect(environment['PORT']).toBe('4000');
      const published = (api.ports ?? []).map((port) =>
        typeof port === 'object' ? `${port.published}:${port.target}` : String(port).split('/')[0]!.split(':').slice(-2).join(':'),
      );
      expect(published).toContain('4000:4000');
    });

    it('reports healthy only when GET /ready answers 2xx, using node (no curl in the image)', () => {
      const test = asText(api.healthcheck?.test);
      expect(test).toContain('node');
      expect(test).toContain('/ready');
      expect(test).toMatch(/process\.exit\(r\.ok\s*\?\s*0\s*:\s*1\)/);
    });

    it('restarts unless stopped and has time to drain on SIGTERM', () => {
      expect(api.restart).toBe('unless-stopped');
      expect(api.stop_grace_period).toBe('30s');
    });

    it("passes every variable of README's configuration table, except the ones the container fixes or does not use", () => {
      const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Cache layout'));
      const documented = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((match) => match[1]!);
      // HOST, PORT, REDIS_URL: set by compose; CACHE_DIR: the image's, on the api's volume; TEST_REDIS_URL, TEST_DATABASE_URL: tests only.
      const notPassed = new Set(['CACHE_DIR', 'TEST_REDIS_URL', 'TEST_DATABASE_URL']);
      expect(documented.length).toBeGreaterThan(20);
      expect(documented.filter((name) => !notPassed.has(name) && !(name in environment))).toEqual([]);
    });

    it('lists in .env.example every variable compose takes from the host', () => {
      const fromHost = Object.entries(environment)
        .filter(([name, value]) => value === null || value?.includes(`\${${name}`))
        .map(([name]) => name);
      const example = read('.env.example');
      expect(fromHost.filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example))).toEqual([]);
    });

    it('publishes on the host loopback only', () => {
      expect(api.ports).toEqual(['127.0.0.1:4000:4000']);
    });

    it('passes only variables that src/config.ts reads', () => {
      const names = Object.keys(environment);
      expect(names.length).toBeGreaterThan(0);
      const unknown = names.filter((name) => !new RegExp(`^\\s*${name}\\s*:`, 'm').test(configSource));
      expect(unknown, 'variables the service does not read (not yet in src/config.ts?)').toEqual([]);
    });

    it('passes the documented tuning variables through from the host with their defaults', () => {
      expect(environment['ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE']).toBe('${ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE:-5}');
      expect(environment['ALPHAVANTAGE_RATE_LIMIT_PER_DAY']).toBe('${ALPHAVANTAGE_RATE_LIMIT_PER_DAY:-25}');
      expect(environment['GRAPHQL_IDE']).toBe('${GRAPHQL_IDE:-false}');
      expect(environment['GRAPHQL_INTROSPECTION']).toBe('${GRAPHQL_INTROSPECTION:-false}');
      expect(environment['CORS_ORIGINS']).toBe('${CORS_ORIGINS:-}');
      for (const name of ['ENVIRONMENT', 'CURATED_SYMBOLS', 'LOG_LEVEL']) expect(environment).toHaveProperty(name);
    });
  });

  it('never hard-codes a secret: each is left to the host (shell or .env)', () => {
    for (const name of SECRETS) expect(readme, `${name} is in README's configuration table`).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    for (const [serviceName, service] of Object.entries(compose.services)) {
      const environment = environmentOf(service);
      for (const name of SECRETS.filter((secret) => secret in environment)) {
        const value = environment[name];
        const passedThrough = value === null || (value !== undefined && new RegExp(`^\\$\\{${name}(:?-)?\\}$`).test(value));
        expect(passedThrough, `${serviceName}: ${name} must come from the host, not the file`).toBe(true);
      }
    }
    expect(environmentOf(api)).toHaveProperty('ALPHAVANTAGE_API_KEY');
    expect(environmentOf(api)).toHaveProperty('API_TOKENS');
  });

  it('gives the container, with nothing set on the host, an environment the service accepts', async () => {
    // An empty string is not "unset": e.g. CURATED_SYMBOLS="" or LOG_LEVEL="" would stop start-up.
    const { loadConfig } = await import('../../src/config.js');
    const config = loadConfig(containerEnvironment({}));
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(4000);
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.alphaVantage.apiKey).toBeUndefined();
    expect(config.apiTokens).toEqual([]);
    expect(config.alphaVantage.ratePerMinute).toBe(5);
    expect(config.alphaVantage.ratePerDay).toBe(25);
    expect(config.curatedSymbols).toHaveLength(26);
    expect(config.logLevel).toBe('info');
  });

  it("passes the host's values through to the service", async () => {
    const { loadConfig } = await import('../../src/config.js');
    const config = loadConfig(
      containerEnvironment({
        ALPHAVANTAGE_API_KEY: 'host-key',
        API_TOKENS: 'one,two',
        CURATED_SYMBOLS: 'aapl,msft',
        ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '75',
        ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '0',
        LOG_LEVEL: 'debug',
        ENVIRONMENT: 'local',
      }),
    );
    expect(config.alphaVantage.apiKey).toBe('host-key');
    expect(config.apiTokens).toEqual(['one', 'two']);
    expect(config.curatedSymbols).toEqual(['AAPL', 'MSFT']);
    expect(config.alphaVantage.ratePerMinute).toBe(75);
    expect(config.alphaVantage.ratePerDay).toBe(0);
    expect(config.logLevel).toBe('debug');
    expect(config.scansOutsideMarketHours).toBe(true);
  });
});

describe('Dockerfile', () => {
  it('builds in one stage and runs in another, both on node:24-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toBe('node:24-slim');
  });

  it('installs exactly the locked dependencies with npm ci and compiles with npm run build', () => {
    const runs = stages.flatMap((stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args));
    expect(runs.some((run) => /\bnpm ci\b/.test(run))).toBe(true);
    expect(runs.some((run) => /\bnpm run build\b/.test(run))).toBe(true);
  });

  it('ships production dependencies only: node_modules comes from a stage that dropped the dev ones', () => {
    const installsInRuntime = inRuntime('RUN').filter((i) => /\bnpm (ci|install|i)\b/.test(i.args));
    for (const install of installsInRuntime) expect(install.args).toContain('--omit=dev');
    const copy = inRuntime('COPY').find((i) => /\bnode_modules\b/.test(i.args));
    expect(copy, 'the runtime stage copies node_modules').toBeDefined();
    const source = /--from=(\S+)/.exec(copy!.args)?.[1];
    const sourceStage = stages.find((stage, index) => stage.name === source || String(index) === source);
    expect(sourceStage, 'node_modules is copied from an earlier stage').toBeDefined();
    expect(sourceStage!.instructions.some((i) => i.keyword === 'RUN' && /npm (prune|ci)\b[^&;]*--omit=dev/.test(i.args))).toBe(true);
  });

  it('copies into the runtime image only dist, sample-data, the migrations, the manifests and node_modules', () => {
    const copied = inRuntime('COPY').flatMap((i) => {
      const parts = i.args.split(/\s+/).filter((part) => !part.startsWith('--'));
      return parts.slice(0, -1).map((path) => path.replace(/\/+$/, '').split('/').at(-1)!);
    });
    expect(new Set(copied)).toEqual(new Set(['dist', 'sample-data', 'migrations', 'package.json', 'package-lock.json', 'node_modules']));
    expect(inRuntime('ADD')).toEqual([]);
  });

  it('sets production defaults: NODE_ENV, HOST 0.0.0.0, PORT 4000 and a writable CACHE_DIR', () => {
    expect(imageEnvironment()).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '4000', CACHE_DIR: '/var/lib/wheel-graphql' });
    expect(inRuntime('EXPOSE').map((i) => i.args)).toContain('4000');
  });

  it('runs as the non-root node user, set before CMD', () => {
    const users = inRuntime('USER');
    expect(users.at(-1)?.args).toBe('node');
    expect(indexInRuntime('USER')).toBeLessThan(indexInRuntime('CMD'));
  });

  it('checks liveness with node itself on /health (no curl in slim images)', () => {
    const healthcheck = inRuntime('HEALTHCHECK').at(-1);
    expect(healthcheck).toBeDefined();
    expect(healthcheck!.args).toMatch(/CMD \[\s*"node",\s*"-e"/);
    expect(healthcheck!.args).toContain('/health');
  });

  it("starts with node dist/main.js directly (not npm, which would rebuild and swallow SIGTERM), with npm start's node flags", () => {
    const cmd = inRuntime('CMD').at(-1);
    expect(JSON.parse(cmd!.args)).toEqual(['node', '--heap-growing-percent=25', 'dist/main.js']);
    const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(packageJson.scripts['start']).toBe('node --heap-growing-percent=25 dist/main.js');
    expect(inRuntime('ENTRYPOINT')).toEqual([]);
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('keeps host-built files, local state and secrets out of the build context', () => {
    for (const pattern of ['node_modules', 'dist', '.git', '.cache', '.env']) expect(patterns).toContain(pattern);
  });
});
