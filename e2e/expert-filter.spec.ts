/**
 * Wireshark's expert fields in the connection filter, used as a person would: type `tcp.analysis.`,
 * pick a field from the completion, read the rows; tie it to a sender; ask for connections without
 * any. The rows are checked against tshark on the same file (`-Y FIELD -T fields -e tcp.stream`) when
 * it is installed, and against the command line's `--filter` always.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

const DEMO = 'public/demo/demo.pcap';
const hasTshark = spawnSync('tshark', ['--version']).status === 0;

/** The connection ids the command line keeps with --filter (the first CSV column). */
function idsMatching(filter: string): number[] {
  return execFileSync('node_modules/.bin/tsx', ['src/cli/main.ts', DEMO, '--format', 'csv', '--filter', filter], { encoding: 'utf8' })
    .split('\r\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => Number(line.split(',')[0]));
}

/** The streams of the packets tshark keeps with -Y. */
function tsharkStreams(filter: string): number[] {
  const out = execFileSync('tshark', ['-r', DEMO, '-Y', filter, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return [...new Set(out.split('\n').filter(Boolean).map(Number))].sort((a, b) => a - b);
}

/** The list holds exactly the rows `want`: their count, and every row drawn (those in view) is one of them. */
async function expectRows(app: AppPage, want: number[]): Promise<void> {
  await expect(app.list).toHaveAttribute('data-row-count', String(want.length));
  await app.scrollListToTop();
  const shown = await app.shownConnectionIds();
  expect(shown.length).toBeGreaterThan(0);
  expect(shown.filter((id) => !want.includes(id))).toEqual([]);
}

const openDemo = (page: Page): Promise<AppPage> => AppPage.withCapture(page, DEMO);

test('the tcp.analysis fields are completed, keep the streams tshark keeps, and tie to a sender', async ({ page }) => {
  const app = await openDemo(page);
  const filter = page.getByTestId('filter');

  // Completion offers the expert fields; Tab takes the one highlighted.
  await filter.fill('');
  await filter.pressSequentially('tcp.analysis.ret');
  const completions = page.getByTestId('filter-completions');
  await expect(completions.getByRole('option')).toHaveText([/^tcp\.analysis\.retransmission/]);
  await page.keyboard.press('Tab');
  await expect(filter).toHaveValue('tcp.analysis.retransmission');
  await expect(filter).not.toHaveAttribute('aria-invalid', 'true');

  const retransmitted = idsMatching('tcp.analysis.retransmission');
  expect(retransmitted.length).toBeGreaterThan(1);
  if (hasTshark) expect(retransmitted).toEqual(tsharkStreams('tcp.analysis.retransmission'));
  await expectRows(app, retransmitted);

  // Only the retransmissions the server sent: the field and the address hold for the same packets.
  const expr = 'tcp.analysis.retransmission && ip.src == 10.99.2.2';
  await filter.fill(expr);
  const fromServer = idsMatching(expr);
  expect(fromServer.length).toBeGreaterThan(0);
  expect(fromServer.length).toBeLessThan(retransmitted.length);
  if (hasTshark) expect(fromServer).toEqual(tsharkStreams(expr));
  await expectRows(app, fromServer);

  // Any expert mark; the fields combine with the others.
  await filter.fill('tcp.analysis.flags and tcp.port == 8443');
  const flagged = idsMatching('tcp.analysis.flags and tcp.port == 8443');
  expect(flagged.length).toBeGreaterThan(0);
  await expectRows(app, flagged);

  // Connections with no retransmission at all: conn.expert is read per connection.
  await filter.fill('!(conn.expert in {retransmission fast-retransmission spurious-retransmission})');
  const clean = idsMatching('!(conn.expert in {retransmission fast-retransmission spurious-retransmission})');
  expect(clean.length + retransmitted.length).toBe(idsMatching('tcp').length);
  expect(clean.some((id) => retransmitted.includes(id))).toBe(false);
  await expectRows(app, clean);

  // A comparison is pointed at: the field marks packets and has no value, as in Wireshark.
  await filter.fill('tcp.analysis.retransmission == 1');
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('filter-error')).toContainText('marks packets and has no value');
});

test('while the capture is read, an expert field says it matches nothing yet, and matches once read', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new AppPage(page);
  await app.open();
  // Hundreds of megabytes: the analysis runs for seconds, long enough to type while it reads.
  await app.dropRepeatedCapture('e2e/fixtures/rst-not-received.pcap', 400);
  await expect(app.progress).toBeVisible();
  const filter = page.getByTestId('filter');
  await filter.fill('tcp.analysis.flags or tcp.port == 80');
  const pending = page.getByTestId('filter-pending');
  await expect(pending).toBeVisible();
  await expect(pending).toContainText('known once the whole capture is read');
  // A filter without expert fields has nothing to wait for.
  await filter.fill('tcp.port == 80');
  await expect(pending).toBeHidden();
  await filter.fill('tcp.analysis.flags or tcp.port == 80');
  await expect(pending).toBeVisible();
  await expect(page.locator('body')).toHaveAttribute('data-analysis', 'done', { timeout: 150_000 });
  await expect(pending).toBeHidden();
  await expect(filter).not.toHaveAttribute('aria-invalid', 'true');
});
