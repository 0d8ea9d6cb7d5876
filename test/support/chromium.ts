import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium: playwright-core drives it; no browser is downloaded from elsewhere. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless Chromium that reaches nothing beyond this machine by itself. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // any host but the loopback fails to resolve: what the page tries to load from elsewhere fails, and the test sees it
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/**
 * Installs Debian's chromium package when /usr/bin/chromium is missing (a fresh machine,
 * CI); needs root, as CI is. Returns the executable's path.
 */
export async function ensureChromium(): Promise<string> {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM} is missing; install it as root: apt-get update && apt-get install -y chromium`);
  }
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('sh', ['-c', 'apt-get update && apt-get install -y chromium'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => output.push(chunk.toString('utf8'));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(`installing chromium failed (exit ${code}):\n${output.join('').slice(-4000)}`);
  }
  return CHROMIUM;
}
