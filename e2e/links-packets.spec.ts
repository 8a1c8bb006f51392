/** Sharing a connection: packets inside the link (a pcapng), and the .pcap download Wireshark opens. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../src/core/analyze.ts';
import { bytesSource } from '../src/core/capture/source.ts';
import { tcpConversation, toPcap } from '../test/synth/index.ts';
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
  // It says where it comes from, by the original file's name (links-faithful.spec.ts has the rest).
  await expect(other.page.getByTestId('file-name')).toHaveText('rst-not-received.pcap');
  await expect(other.page.getByTestId('shared-notice')).toContainText('Shared from rst-not-received.pcap');

  // Payloads make the link longer; past the limit it says so and offers the download.
  await page.getByTestId('link-payloads').check();
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('share-result').or(page.getByTestId('share-too-big'))).toBeVisible();
  if (await page.getByTestId('share-too-big').isVisible()) {
    await expect(page.getByTestId('share-too-big')).toContainText('download it as a .pcapng');
  } else {
    const withPayloads = await page.getByTestId('share-link').inputValue();
    expect(withPayloads.length).toBeGreaterThan(link.length);
  }
});

test('the downloaded .pcapng holds the connection’s frames, each with its frame number, read by tshark', async ({ page }, testInfo) => {
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
  expect(download.suggestedFilename()).toBe(`port-scan-connection-${id}.pcapng`);
  const saved = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(saved);
  const tshark = spawnSync('tshark', ['-r', saved, '-T', 'fields', '-e', 'frame.comment'], { encoding: 'utf8' });
  expect(tshark.status, tshark.stderr).toBe(0);
  // Wireshark numbers them 1..n; each one's comment gives its number in the capture it came from.
  const rows = Array.from({ length: count(id) }, (_, i) => result.connStart[id]! + i);
  expect(tshark.stdout.trim().split('\n')).toEqual(rows.map((r) => `frame ${result.packets.frame[r]} of port-scan.pcap`));
});

test('past the link size limit, a clear message offers the download instead', async ({ page }, testInfo) => {
  // 150 kB of incompressible payload: far past 64 KiB once in the link, tiny with headers only.
  const payload = new Uint8Array(150_000);
  for (let i = 0, x = 12345; i < payload.length; i++) payload[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  const conv = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
  conv.handshake().clientSends(payload).rst('server');
  const file = testInfo.outputPath('big-payload.pcap');
  writeFileSync(file, toPcap(conv));

  const app = new AppPage(page);
  await app.open();
  await app.dropFile(file);
  await app.waitForAnalysis();
  await app.row(0).click();
  await page.getByTestId('link-payloads').check();
  await page.getByTestId('copy-link').click();
  const tooBig = page.getByTestId('share-too-big');
  await expect(tooBig).toContainText('links carry at most 64 KiB');
  await expect(tooBig).toContainText('download it as a .pcapng instead');
  await expect(page.getByTestId('download-connection')).toBeEnabled();
  // Headers only, the same connection fits.
  await page.getByTestId('link-payloads').uncheck();
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('share-link')).toHaveValue(/#pkt=[A-Za-z0-9_-]+&c=0$/);
});

test('the filtered list downloads as one .pcap with all its frames', async ({ page }, testInfo) => {
  const file = join(FIXTURES, 'port-scan.pcap');
  const result = await analyze(bytesSource('port-scan.pcap', new Uint8Array(readFileSync(file))));
  const app = new AppPage(page);
  await app.open();
  await app.dropFile(file);
  await app.waitForAnalysis();
  await app.filterText.fill(':2003');
  await expect(app.list).toHaveAttribute('data-row-count', '1');
  const ids = await app.shownConnectionIds();
  const expected = ids.reduce((n, id) => n + (result.connStart[id + 1] ?? 0) - (result.connStart[id] ?? 0), 0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-filtered').click()]);
  expect(download.suggestedFilename()).toBe('port-scan-filtered.pcap');
  const saved = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(saved);
  const tshark = spawnSync('tshark', ['-r', saved, '-T', 'fields', '-e', 'tcp.dstport', '-e', 'tcp.srcport'], { encoding: 'utf8' });
  expect(tshark.status, tshark.stderr).toBe(0);
  const lines = tshark.stdout.trim().split('\n');
  expect(lines.length).toBe(expected);
  for (const line of lines) expect(line.split('\t')).toContain('2003');
});
