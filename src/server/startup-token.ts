/**
 * A newcomer's first run (`npm ci && npm start`, no environment) can start a scan: with
 * API_TOKENS unset, sample data and a loopback bind, the service makes one bearer token at
 * start-up, says it once on stdout and pre-fills it in the IDE page served to this machine.
 * Anything that could be reached from elsewhere (another bind, a proxy in front) or that
 * spends real upstream calls (an API key) never opens mutations without configured tokens.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config.js';

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);

/** 127.0.0.0/8, ::1 and localhost (what HOST or a Host header names; a port is not part of it). */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127(?:\.\d{1,3}){3}$/.test(name) || /^::ffff:127(?:\.\d{1,3}){3}$/.test(name);
}

type TokenSettings = Pick<Config, 'apiTokens' | 'host' | 'trustProxyHops'> & { alphaVantage: Pick<Config['alphaVantage'], 'apiKey'> };

/** API_TOKENS unset, no API key (sample data), bound to loopback with no proxy in front. */
export function startupTokenApplies(config: TokenSettings): boolean {
  return config.apiTokens.length === 0 && config.alphaVantage.apiKey === undefined && isLoopbackHost(config.host) && config.trustProxyHops === 0;
}

/** 256 random bits, URL-safe. */
export const generateToken = (): string => randomBytes(32).toString('base64url');

/** The settings with a token made for this run as the one accepted token, when the rule holds; else unchanged. */
export function withStartupToken(config: Config, generate: () => string = generateToken): Config {
  if (!startupTokenApplies(config)) return config;
  const token = generate();
  return { ...config, apiTokens: [token], startupToken: token };
}

/** The one log line that shows the token: its message, to be written past the logger's masking of secrets. */
export function startupTokenMessage(token: string, url: string): string {
  return (
    `MUTATIONS TOKEN for this run (API_TOKENS is unset, sample data, bound to loopback): send "Authorization: Bearer ${token}". ` +
    `The IDE at ${url} has it filled in; set API_TOKENS to choose your own.`
  );
}

/**
 * The IDE page may carry the token only to a browser on this machine that asked for it
 * itself: a loopback peer, no proxy hop, a loopback Host (a page of another site whose name
 * was rebound to 127.0.0.1 sends its own name) and no other site's Origin or fetch.
 */
export function requestIsLocal(remoteAddress: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (remoteAddress === undefined || !isLoopbackHost(remoteAddress)) return false;
  if (headers['x-forwarded-for'] !== undefined || headers['forwarded'] !== undefined) return false;
  const host = hostName(headers.host);
  if (host === undefined || !isLoopbackHost(host)) return false;
  const origin = headers.origin;
  if (origin !== undefined && !originIsLoopback(origin)) return false;
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'none' || site === 'same-origin';
}

/** The name in a Host header: `127.0.0.1:4000` → 127.0.0.1, `[::1]:4000` → [::1]. */
function hostName(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(host.trim());
  return match?.[1];
}

function originIsLoopback(origin: string): boolean {
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}
