import { existsSync } from 'node:fs';
import { missingTool } from './tools.js';

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

/** true (skip) when Debian's Chromium is missing here; in CI its absence fails instead (see tools.ts). */
export const missingChromium = (): boolean =>
  missingTool(CHROMIUM, existsSync(CHROMIUM), "install Debian's chromium as root: apt-get install chromium; .ci/run does");
