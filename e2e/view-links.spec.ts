/**
 * What a link keeps of the view, used as a person would: follow a stream and go Back to the ladder;
 * copy a link to a connection with the times shown relative to a frame of another connection and open
 * it in a fresh browser; space the ladder by time and see breaks only at real silences. Times and
 * silences come from tshark on the same file.
 */
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from '@playwright/test';
import { commandLineReport } from './oracle.ts';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

const DEMO = 'public/demo/demo.pcap';

test.use({ viewport: { width: 1440, height: 1200 } });

const openDemo = (page: Page, hash = ''): Promise<AppPage> => AppPage.withCapture(page, DEMO, hash);

/** The silences between one stream's packets (tcp.time_delta), seconds. */
function silences(stream: number): number[] {
  const out = execFileSync('tshark', ['-r', DEMO, '-Y', `tcp.stream == ${stream}`, '-o', 'tcp.calculate_timestamps:TRUE', '-T', 'fields', '-e', 'tcp.time_delta'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter(Boolean).slice(1).map(Number);
}

/** Every time-scale break of the ladder with its length, scrolling it from top to bottom (it draws the rows in view). */
async function breaksOf(app: AppPage): Promise<number[]> {
  const scroll = app.ladder.locator('.ladder-scroll');
  const seen = new Map<string, number>();
  for (let top = 0, step = 0; step < 200; step++) {
    await scroll.evaluate((el, y) => el.scrollTo({ top: y }), top);
    await expect(app.ladder.locator('.arrow').first()).toBeVisible();
    for (const b of await app.ladder.getByTestId('time-break').evaluateAll((els) => els.map((e) => e.getAttribute('data-gap-seconds')!)))
      seen.set(b, Number(b));
    const { height, end } = await scroll.evaluate((el) => ({ height: el.clientHeight, end: el.scrollHeight }));
    if (top + height >= end) break;
    top += Math.max(100, height - 50);
  }
  return [...seen.values()].sort((a, b) => a - b);
}

test('following a stream is kept in the URL: Back returns to the ladder, Forward and a reload to the stream', async ({ page }) => {
  const conn = commandLineReport(DEMO).connections.find((c) => c.resets.some((r) => r.scenario === 'idle-timeout'))!;
  const app = await openDemo(page, `#c=${conn.id}`);
  const stream = page.getByTestId('stream-view');
  const follow = page.getByTestId('follow-stream');
  const ladderButton = page.getByRole('group', { name: 'Show the connection as' }).getByRole('button', { name: 'Ladder' });
  await expect(app.ladder).toBeVisible();
  await expect(page).not.toHaveURL(/panel=/);

  await follow.click();
  await expect(stream).toBeVisible();
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(new RegExp(`c=${conn.id}&panel=stream`));

  await ladderButton.click();
  await expect(app.ladder).toBeVisible();
  await expect(page).not.toHaveURL(/panel=/);

  await page.goBack();
  await expect(stream).toBeVisible();
  await expect(page).toHaveURL(/panel=stream/);
  await page.goBack();
  await expect(app.ladder).toBeVisible();
  await expect(stream).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`#c=${conn.id}(&fp=[^&]+)?$`));
  await page.goForward();
  await expect(stream).toBeVisible();
  await expect(page.locator('#ladder-title')).toContainText(`Connection ${conn.id}`);

  // The link (reload, then the same file): the stream of the same connection.
  await page.reload();
  await expect(page.locator('#root')).not.toBeEmpty();
  await app.dropFile(DEMO);
  await app.waitForAnalysis();
  await expect(stream).toBeVisible();
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#ladder-title')).toContainText(`Connection ${conn.id}`);
});

/** The link in a new browser context: nothing shared with the sender's page. */
const openFresh = (browser: Browser, link: string): Promise<{ app: AppPage; errors: string[] }> =>
  AppPage.fromLink(browser, link, { viewport: { width: 1440, height: 1200 } });

test("'Copy link' carries the time display: the recipient reads the sender's times", async ({ page, context, browser }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const cli = commandLineReport(DEMO);
  const conn = cli.connections.find((c) => c.resets.some((r) => r.scenario === 'idle-timeout'))!;
  const reset = conn.resets[0]!;
  // The reference: the first frame of the capture, in another connection than the one shared.
  const other = cli.connections.find((c) => c.firstFrame === 1)!;
  expect(other.id).not.toBe(conn.id);
  const app = await openDemo(page, `#c=${other.id}`);
  await app.arrow(1).click();
  await expect(app.packetDetails).toHaveAttribute('data-frame', '1');
  await page.getByTestId('set-time-reference').click();
  await expect(page.getByTestId('time-format')).toHaveValue('reference');

  await page.getByTestId('goto-frame').fill(String(reset.frame));
  await page.getByTestId('goto-frame').press('Enter');
  await expect(app.explanation).toHaveAttribute('data-frame', String(reset.frame));
  const sentTime = (await app.arrow(reset.frame).locator('.gutter-time').textContent()) ?? '';
  expect(sentTime).toMatch(/^\d+\.\d{6}$/);
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  // The reference frame's number and time: frame 1 is not among the link's packets.
  expect(link).toMatch(/&c=0&time=ref&ref=1~0$/);
  expect(conn.firstFrame).toBeGreaterThan(1);

  const fresh = await openFresh(browser, link);
  const recipient = fresh.app.page;
  await expect(recipient.getByTestId('time-format')).toHaveValue('reference');
  await expect(recipient.getByTestId('time-reference')).toContainText('frame 1');
  await expect(fresh.app.arrow(reset.frame).locator('.gutter-time')).toHaveText(sentTime);
  // A reload of the recipient's page keeps the reference (its time is in its own fragment).
  await expect(recipient).toHaveURL(/ref=1~0/);
  await recipient.context().close();

  // Absolute times in the local zone, and the ladder spaced by time: the same on the other side.
  await page.getByTestId('time-format').selectOption('absolute');
  await page.getByTestId('time-zone').selectOption('local');
  const absolute = (await app.arrow(reset.frame).locator('.gutter-time').textContent()) ?? '';
  expect(absolute).toMatch(/^\d\d:\d\d:\d\d\.\d{6}$/);
  await page.getByTestId('ladder-spacing').click();
  await page.getByTestId('copy-link').click();
  const second = await page.getByTestId('share-link').inputValue();
  expect(second).toMatch(/&c=0&time=abs&tz=local&ref=1~0&ladder=time$/);
  const again = await openFresh(browser, second);
  await expect(again.app.page.getByTestId('time-format')).toHaveValue('absolute');
  await expect(again.app.page.getByTestId('time-zone')).toHaveValue('local');
  await expect(again.app.ladder).toHaveAttribute('data-spacing', 'time');
  // The reset is the connection's last packet: at the bottom of the taller ladder.
  await again.app.ladder.locator('.ladder-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(again.app.arrow(reset.frame).locator('.gutter-time')).toHaveText(absolute);
  expect(again.errors).toEqual([]);
  expect(fresh.errors).toEqual([]);
  await again.app.page.context().close();
});

test('spaced by time, the ladder breaks only at silences long in seconds and for the connection', async ({ page }) => {
  // A chatty connection: its pauses of 2 ms are 30 times its median silence, but no second long.
  const chatty = 67;
  const quiet = silences(chatty).filter((s) => s > 0).sort((a, b) => a - b);
  const median = quiet[Math.floor((quiet.length - 1) / 2)]!;
  expect(Math.max(...quiet)).toBeGreaterThan(20 * median);
  expect(Math.max(...quiet)).toBeLessThan(1);
  const app = await openDemo(page, `#c=${chatty}&ladder=time`);
  await expect(app.ladder).toHaveAttribute('data-spacing', 'time');
  expect(await breaksOf(app)).toEqual([]);

  // The connection the server kept retransmitting into: the timeouts' silences (1.7 s, 3.4 s, 6.7 s,
  // 13.3 s), and only those, are breaks.
  const backoff = 75;
  const long = silences(backoff).filter((s) => s >= 1).sort((a, b) => a - b);
  expect(long.length).toBeGreaterThanOrEqual(3);
  await page.getByTestId('goto-frame').fill(String(commandLineReport(DEMO).connections[backoff]!.resets[0]!.frame));
  await page.getByTestId('goto-frame').press('Enter');
  await expect(page.locator('#ladder-title')).toContainText(`Connection ${backoff} `);
  const breaks = await breaksOf(app);
  expect(breaks.map((b) => b.toFixed(3))).toEqual(long.map((s) => s.toFixed(3)));
  await expect(app.ladder.getByTestId('time-break').first()).toContainText(/… \d+\.\d\d s …/);
});
