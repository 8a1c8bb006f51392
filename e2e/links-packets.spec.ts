/** Sharing a connection: packets inside the link, and the .pcap download Wireshark opens. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../src/core/analyze.ts';
import { bytesSource } from '../src/core/capture/source.ts';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './pwa-site.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

test('a link with the connection’s packets opens that connection and its explanation, with no file', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(join(FIXTURES, 'rst-not-received.pcap'));
  await app.waitForAnalysis();
  await app.row(0).click();
  await expect(app.explanation).toBeVisible();
  const explanation = (await app.explanation.textContent()) ?? '';
  const row = (await app.row(0).textContent()) ?? '';
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#pkt=[A-Za-z0-9_-]+&c=0$/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // A new page with no file: the link alone brings the connection, its ladder and explanation.
  const other = new AppPage(await context.newPage());
  await other.page.goto(link);
  await other.waitForAnalysis();
  await expect(other.rows).toHaveCount(1);
  await expect(other.row(0)).toHaveAttribute('aria-selected', 'true');
  await expect(other.row(0)).toHaveText(row);
  await expect(other.ladder).toBeVisible();
  await expect(other.explanation).toHaveText(explanation);

  // Payloads make the link longer; past the limit it says so and offers the download.
  await page.getByTestId('link-payloads').check();
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('share-result').or(page.getByTestId('share-too-big'))).toBeVisible();
  if (await page.getByTestId('share-too-big').isVisible()) {
    await expect(page.getByTestId('share-too-big')).toContainText('download it as a .pcap');
  } else {
    const withPayloads = await page.getByTestId('share-link').inputValue();
    expect(withPayloads.length).toBeGreaterThan(link.length);
  }
});

test('the downloaded .pcap holds the connection’s frames, read by tshark', async ({ page }, testInfo) => {
  const file = join(FIXTURES, 'port-scan.pcap');
  const result = await analyze(bytesSource('port-scan.pcap', new Uint8Array(readFileSync(file))));
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(file);
  await app.waitForAnalysis();
  // The busiest connection shown.
  const ids = await app.shownConnectionIds();
  const count = (id: number) => (result.connStart[id + 1] ?? 0) - (result.connStart[id] ?? 0);
  const id = ids.reduce((best, c) => (count(c) > count(best) ? c : best), ids[0] ?? 0);
  await app.row(id).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-connection').click()]);
  expect(download.suggestedFilename()).toBe(`port-scan-connection-${id}.pcap`);
  const saved = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(saved);
  const tshark = spawnSync('tshark', ['-r', saved, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
  expect(tshark.status, tshark.stderr).toBe(0);
  expect(tshark.stdout.trim().split('\n').length).toBe(count(id));
});
