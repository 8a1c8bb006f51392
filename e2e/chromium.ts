/**
 * Debian's Chromium, never a downloaded browser (the machines that run this have no browser CDN):
 * `/usr/bin/chromium`, or `CHROMIUM_PATH` for your own. Shared by Playwright's config and the bench.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless run as root with no network beyond localhost. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
