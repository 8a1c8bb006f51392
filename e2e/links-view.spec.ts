/** View links: the fragment follows the view, Back goes back, a link lands on its view, or says it cannot. */
import { join } from 'node:path';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './pwa-site.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const hashParam = (url: string, key: string) => new URLSearchParams(new URL(url).hash.slice(1)).get(key);

test('the view is in the fragment, Back restores it, and the link restores it on the same file', async ({ page, context }) => {
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(join(FIXTURES, 'port-scan.pcap'));
  await app.waitForAnalysis();
  await expect.poll(() => hashParam(page.url(), 'fp')).toMatch(/^[0-9a-f]{12}\.\d+$/);
  const ids = await app.shownConnectionIds();
  expect(ids.length).toBeGreaterThan(2);
  const [, first = 0, second = 0] = ids;
  await app.row(first).click();
  await expect.poll(() => hashParam(page.url(), 'c')).toBe(String(first));
  await app.row(second).click();
  await expect.poll(() => hashParam(page.url(), 'c')).toBe(String(second));
  await page.goBack();
  await expect(app.row(first)).toHaveAttribute('aria-selected', 'true');
  await page.goForward();
  await expect(app.row(second)).toHaveAttribute('aria-selected', 'true');

  // Filters and the packet shown go into the link too.
  await app.filterText.fill('10.99');
  await expect.poll(() => hashParam(page.url(), 'q')).toBe('10.99');
  const frame = Number(await app.ladder.locator('[data-frame]').last().getAttribute('data-frame'));
  await app.arrow(frame).click();
  await expect.poll(() => hashParam(page.url(), 'f')).toBe(String(frame));

  // A colleague opens the link, then drops the same file.
  const link = page.url();
  const other = new AppPage(await context.newPage());
  await other.page.goto(link);
  await other.dropFile(join(FIXTURES, 'port-scan.pcap'));
  await other.waitForAnalysis();
  await expect(other.row(second)).toHaveAttribute('aria-selected', 'true');
  await expect(other.explanation).toBeVisible();
  await expect(other.filterText).toHaveValue('10.99');
  await expect(other.packetDetails).toHaveAttribute('data-frame', String(frame));
  expect(new URL(other.page.url()).hash).toBe(new URL(link).hash);
  await expect(other.page.getByTestId('link-notice')).toHaveCount(0);
});

test('a view link opened with another capture says so and keeps the open capture’s own view', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(join(FIXTURES, 'port-scan.pcap'));
  await app.waitForAnalysis();
  await app.row((await app.shownConnectionIds())[1] ?? 0).click();
  await expect.poll(() => hashParam(page.url(), 'c')).not.toBeNull();
  const link = page.url();

  const other = new AppPage(await page.context().newPage());
  await other.page.goto(link);
  await other.dropFile(join(FIXTURES, 'refused.pcap'));
  await other.waitForAnalysis();
  await expect(other.page.getByTestId('link-notice')).toContainText('This link was for a different capture');
  // The fragment now describes the capture that is open, not the link's.
  await expect.poll(() => hashParam(other.page.url(), 'fp')).not.toBe(hashParam(link, 'fp'));
  expect(hashParam(other.page.url(), 'fp')).toMatch(/^[0-9a-f]{12}\.184$/);
});

test('#url= loads a capture from the web, asks before another origin, and a dead address fails with advice', async ({ page, site, consoleErrors }) => {
  const app = new AppPage(page);
  await app.open(`#url=${site.origin}/captures/refused.pcap`);
  await app.waitForAnalysis();
  await expect(page.getByTestId('file-name')).toHaveText('refused.pcap');
  await expect(app.rows.first()).toBeVisible();
  expect(hashParam(page.url(), 'url')).toBe(`${site.origin}/captures/refused.pcap`);

  const dead = new AppPage(await page.context().newPage());
  const errors: string[] = [];
  dead.page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const asked: string[] = [];
  dead.page.on('request', (r) => {
    if (r.url().startsWith('http://127.0.0.1:9/')) asked.push(r.url());
  });
  await dead.page.goto(`${site.app}#url=http://127.0.0.1:9/gone.pcap`);
  const notice = dead.page.getByTestId('link-notice');
  // Another origin: nothing is requested before the reader agrees, and only the host is named.
  await expect(notice).toHaveAttribute('data-kind', 'warning');
  await expect(notice).toContainText('This link opens a capture from 127.0.0.1:9.');
  expect(asked).toEqual([]);
  await notice.getByRole('button', { name: 'Download' }).click();
  await expect(notice).toHaveAttribute('data-kind', 'error');
  await expect(notice).toContainText('Could not download the capture from 127.0.0.1:9');
  await expect(notice).not.toContainText('gone.pcap');
  await expect(notice).toContainText('CORS');
  expect(asked).toEqual(['http://127.0.0.1:9/gone.pcap']);
  // Chromium logs the refused connection itself; nothing else may be logged.
  expect(errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource|Failed to fetch/.test(e))).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test('a #url= link to another origin that the reader declines fetches nothing', async ({ page }) => {
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('elsewhere.invalid')) asked.push(r.url());
  });
  const app = new AppPage(page);
  await app.open(`#url=https://elsewhere.invalid/big.pcap`);
  const notice = page.getByTestId('link-notice');
  await expect(notice).toContainText('This link opens a capture from elsewhere.invalid.');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
  expect(asked).toEqual([]);
});

test('a #url= capture is analysed while it downloads, and Cancel stops the download', async ({ page, site }) => {
  const app = new AppPage(page);
  await app.open(`#url=${site.origin}/captures/slow.pcap`);
  // Most of the file is there, the end held back by the server: the analysis already runs on it.
  await expect(page.locator('body')).toHaveAttribute('data-analysis', 'running');
  await expect(app.progress).toBeVisible();
  await expect(app.progress).toHaveAttribute('aria-valuenow', /^[1-9]/);
  await expect(page.getByText(/[1-9][\d,]* packets/)).toBeVisible();
  await expect(page.locator('body')).toHaveAttribute('data-analysis', 'running');
  site.releaseSlow();
  await app.waitForAnalysis();
  await expect(page.getByTestId('file-name')).toHaveText('slow.pcap');
  // Its frames are read back from the downloaded file, as a dropped file's are.
  await app.ladder.locator('[data-frame]').first().click();
  await expect(app.packetDetails.getByText('Ethernet II')).toBeVisible();

  const other = new AppPage(await page.context().newPage());
  await other.page.goto(`${site.app}#url=${site.origin}/captures/slow.pcap`);
  await expect(other.progress).toBeVisible();
  await other.page.getByRole('button', { name: 'Cancel' }).click();
  await expect(other.page.locator('body')).toHaveAttribute('data-analysis', 'cancelled');
  await expect.poll(() => site.slowClosed(), { message: 'the download was closed' }).toBe(true);
});
