/** Static hosting under a subfolder, the offline app, files launched by the OS, and no request leaving the origin. */
import { join } from 'node:path';
import { AppPage } from './pages/app-page.ts';
import { expect, SUBFOLDER, test } from './pwa-site.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

test('the built app works from a subfolder, with its manifest and CSP', async ({ page, site }) => {
  const app = new AppPage(page);
  await app.open();
  expect(page.url()).toBe(`${site.app}`);
  await expect(page).toHaveTitle('Resetscope');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("object-src 'none'");
  const manifest = (await (await page.request.get(`${site.app}manifest.webmanifest`)).json()) as Record<string, unknown>;
  expect(manifest).toMatchObject({ name: 'Resetscope', display: 'standalone', scope: './' });
  expect(JSON.stringify(manifest.file_handlers)).toContain('.pcapng');
  expect(JSON.stringify(manifest.icons)).toContain('maskable');
  await app.demoButton.click();
  await app.waitForAnalysis();
  await expect(app.rows.first()).toBeVisible();
});

test('once visited, the app reloads and analyses with no network at all', async ({ page, context }) => {
  const app = new AppPage(page);
  await app.open();
  // The service worker is active once everything is precached.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page).toHaveTitle('Resetscope');
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await app.demoButton.click();
  await app.waitForAnalysis();
  await expect(app.rows.first()).toBeVisible();
  await app.dropFile(join(FIXTURES, 'refused.pcap'));
  await app.waitForAnalysis();
  await expect(page.getByTestId('file-name')).toHaveText('refused.pcap');
  await expect(app.rows.first()).toBeVisible();
  await context.setOffline(false);
});

test('a file launched from the operating system is analysed (launchQueue)', async ({ page }) => {
  // Chromium cannot launch an installed app from a test: stand in for the OS with a queue we drive.
  await page.addInitScript(() => {
    type Consumer = (params: { files: { getFile(): Promise<File> }[] }) => void;
    const state: { consumer: Consumer | null } = { consumer: null };
    Object.defineProperty(window, 'launchQueue', {
      configurable: true,
      value: { setConsumer: (c: Consumer) => (state.consumer = c) },
    });
    Object.assign(window, {
      testLaunch: (bytes: number[], name: string) =>
        state.consumer?.({ files: [{ getFile: () => Promise.resolve(new File([new Uint8Array(bytes)], name)) }] }),
    });
  });
  const app = new AppPage(page);
  await app.open();
  const { readFileSync } = await import('node:fs');
  const bytes = [...readFileSync(join(FIXTURES, 'fast-close.pcap'))];
  await page.evaluate(({ bytes }) => (window as unknown as { testLaunch(b: number[], n: string): void }).testLaunch(bytes, 'launched.pcap'), { bytes });
  await app.waitForAnalysis();
  await expect(page.getByTestId('file-name')).toHaveText('launched.pcap');
  await expect(app.rows.first()).toBeVisible();
});

test('no request leaves the origin while captures are analysed', async ({ page, site, requests }) => {
  const app = new AppPage(page);
  await app.open();
  await app.demoButton.click();
  await app.waitForAnalysis();
  await app.dropFile(join(FIXTURES, 'port-scan.pcap'));
  await app.waitForAnalysis();
  await app.rows.first().click();
  await expect(app.explanation).toBeVisible();
  const outside = requests.filter((url) => !url.startsWith(`${site.origin}${SUBFOLDER}`) && !url.startsWith('blob:') && !url.startsWith('data:'));
  expect(requests.length).toBeGreaterThan(0);
  expect(outside).toEqual([]);
});

test('a new deployment shows "Update available", and Reload switches to it', async ({ page, site }) => {
  const app = new AppPage(page);
  await app.open();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  site.deploy('v2');
  try {
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toContainText('Update available');
    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);
    await app.demoButton.click();
    await app.waitForAnalysis();
  } finally {
    site.deploy('');
  }
});

test('the service worker answers only the app’s own pages, not another app on the same origin', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.goto('./other/page.html');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Another app');
  await expect(page.locator('#root')).toHaveCount(0);
  // The app's own address, with a query, is still the app.
  await page.goto('./?utm_source=test');
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
});
