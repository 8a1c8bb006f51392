/**
 * The time setting as a person uses it: switch the format and read the list, the ladder and the
 * packet details change; set a reference frame; reload the link and find the setting
 * kept; space the ladder by time and see the long silence marked. Expected times come from tshark
 * (`-t ud`, `frame.time_relative`, `tcp.time_delta`) on the same file, never from the app's own code.
 * Screenshots go to e2e/screenshots/time-*.png for review.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { commandLineReport } from './oracle.ts';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

const DEMO = 'public/demo/demo.pcap';
/** A capture of one day (1996-03-07 to 03-08), from the shared corpus beside the repository. */
const DAY_LONG = join(import.meta.dirname, '..', '..', 'shared', 'captures', 'public', 'zeek-fddi-llc-repeated-rst.pcap');

interface FrameTimes {
  frame: number;
  /** tshark -t ud (or -t ad in TZ): "2026-11-22 15:29:25.014104" */
  absolute: string;
  /** frame.time_relative: "16.202988000" */
  relative: string;
  /** tcp.time_delta: since the previous packet of the same TCP stream */
  delta: string;
}

/** Every frame of one TCP stream as tshark times it (absolute in UTC, or in the zone `tz`). */
function tsharkTimes(path: string, stream: number, tz = 'UTC'): FrameTimes[] {
  const out = execFileSync(
    'tshark',
    ['-r', path, '-Y', `tcp.stream == ${stream}`, '-t', tz === 'UTC' ? 'ud' : 'ad', '-o', 'tcp.calculate_timestamps:TRUE', '-T', 'fields',
      '-e', 'frame.number', '-e', '_ws.col.Time', '-e', 'frame.time_relative', '-e', 'tcp.time_delta'],
    { encoding: 'utf8', env: { ...process.env, TZ: tz }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [frame, absolute, relative, delta] = line.split('\t');
      return { frame: Number(frame), absolute: absolute!, relative: relative!, delta: delta! };
    });
}

/** tshark's nanosecond seconds at µs, as the app writes them under an hour: "16.202988000" -> "16.202988". */
const micro = (seconds: string): string => Number(seconds).toFixed(6);
/** The time of day of tshark's "date time". */
const timeOfDay = (absolute: string): string => absolute.split(' ')[1]!;

const openCapture = (page: Page, path: string, hash = ''): Promise<AppPage> => AppPage.withCapture(page, path, hash);

const startCell = (app: AppPage, id: number) => app.row(id).locator('td').nth(11);
/** The ladder draws the rows in view: scroll it to its top to read the first ones. */
const ladderToTop = (app: AppPage) => app.ladder.locator('.ladder-scroll').evaluate((el) => el.scrollTo({ top: 0 }));

// Room for a whole short connection in the ladder, with the packet details open.
test.use({ viewport: { width: 1440, height: 1500 } });
const gutterTime = (app: AppPage, frame: number) => app.arrow(frame).locator('.gutter-time');

test('the time format changes the list, the ladder and the details; a reload keeps it', async ({ page }) => {
  // The idle-timeout connection of the demo: its reset comes 3.96 s after the packet before it.
  const cli = commandLineReport(DEMO);
  const conn = cli.connections.find((c) => c.resets.some((r) => r.scenario === 'idle-timeout'))!;
  const reset = conn.resets[0]!;
  const times = tsharkTimes(DEMO, conn.id);
  const first = times[0]!;
  const rst = times.find((t) => t.frame === reset.frame)!;
  expect(times.length).toBe(conn.packets);

  const app = await openCapture(page, DEMO, `#c=${conn.id}`);
  const select = page.getByTestId('time-format');
  await expect(select).toHaveValue('relative');
  await expect(app.arrow(reset.frame)).toBeVisible();

  // Relative: seconds since the capture's first frame, in the list and the ladder.
  await expect(startCell(app, conn.id)).toHaveText(micro(first.relative));
  await expect(gutterTime(app, reset.frame)).toHaveText(micro(rst.relative));
  await expect(gutterTime(app, first.frame)).toHaveText(micro(first.relative));

  // Absolute, UTC: the time of day (the demo lies within one day, so no date).
  await select.selectOption({ label: 'Date and time of day' });
  await expect(page.getByTestId('time-zone')).toHaveValue('utc');
  await expect(startCell(app, conn.id)).toHaveText(timeOfDay(first.absolute));
  await expect(gutterTime(app, reset.frame)).toHaveText(timeOfDay(rst.absolute));
  await expect(page.getByTestId('summary-began')).toHaveText(`${times.length ? tsharkTimes(DEMO, 0)[0]!.absolute : ''} UTC`);
  await app.arrow(reset.frame).click();
  await expect(page.getByTestId('packet-time')).toHaveText(timeOfDay(rst.absolute));
  await app.screenshot('time-absolute');

  // Delta: since the previous packet of the same connection (tcp.time_delta).
  await select.selectOption('delta');
  await expect(gutterTime(app, reset.frame)).toHaveText(micro(rst.delta));
  await ladderToTop(app);
  await expect(gutterTime(app, first.frame)).toHaveText(micro(first.delta));
  await expect(page.getByTestId('packet-time')).toHaveText(micro(rst.delta));

  // A reference frame: the connection's SYN, set from its details; times since it, the SYN marked.
  await app.arrow(first.frame).click();
  await expect(app.packetDetails).toHaveAttribute('data-frame', String(first.frame));
  await page.getByTestId('set-time-reference').click();
  await expect(select).toHaveValue('reference');
  await expect(page.getByTestId('time-reference')).toContainText(`frame ${first.frame}`);
  await expect(gutterTime(app, first.frame)).toHaveText('*REF*');
  const sinceSyn = (Number(rst.relative) - Number(first.relative)).toFixed(6);
  await expect(gutterTime(app, reset.frame)).toHaveText(sinceSyn);
  await expect(page).toHaveURL(new RegExp(`time=ref&ref=${first.frame}`));
  await app.screenshot('time-reference');

  // Reload the same link, drop the same file: the setting and the reference come back.
  await page.reload();
  await expect(page.locator('#root')).not.toBeEmpty();
  await app.dropFile(DEMO);
  await app.waitForAnalysis();
  await expect(select).toHaveValue('reference');
  await expect(page.getByTestId('time-reference')).toContainText(`frame ${first.frame}`);
  await expect(gutterTime(app, reset.frame)).toHaveText(sinceSyn);
  await expect(gutterTime(app, first.frame)).toHaveText('*REF*');

  // The keyboard reaches the setting: back to relative without a mouse.
  await select.focus();
  await page.keyboard.press('Home');
  await expect(select).toHaveValue('relative');
  await expect(gutterTime(app, reset.frame)).toHaveText(micro(rst.relative));
  await expect(page).not.toHaveURL(/time=/);
});

test.describe('local time', () => {
  test.use({ timezoneId: 'Asia/Kolkata' });

  test('absolute times in the local zone (UTC+05:30 here) match tshark in that zone', async ({ page }) => {
    const cli = commandLineReport(DEMO);
    const conn = cli.connections.find((c) => c.resets.some((r) => r.scenario === 'idle-timeout'))!;
    const times = tsharkTimes(DEMO, conn.id, 'Asia/Kolkata');
    const last = times.at(-1)!;
    const app = await openCapture(page, DEMO, `#c=${conn.id}&time=abs&tz=local`);
    await expect(page.getByTestId('time-format')).toHaveValue('absolute');
    await expect(page.getByTestId('time-zone')).toHaveValue('local');
    await expect(page.getByTestId('time-zone').locator('option:checked')).toHaveText('Local time (UTC+05:30)');
    await expect(gutterTime(app, last.frame)).toHaveText(timeOfDay(last.absolute));
    await expect(startCell(app, conn.id)).toHaveText(timeOfDay(times[0]!.absolute));
  });
});

test('a day-long capture shows dates and days, not thousands of hours', async ({ page }) => {
  test.skip(!existsSync(DAY_LONG), `the shared corpus is absent (${DAY_LONG}): the day-long capture was not checked`);
  const cli = commandLineReport(DAY_LONG);
  const times = tsharkTimes(DAY_LONG, 0);
  const last = times.at(-1)!;
  const app = await openCapture(page, DAY_LONG, '#c=0&time=abs');
  // The capture spans two calendar days in UTC: every absolute time carries its date.
  expect(times[0]!.absolute.split(' ')[0]).not.toBe(last.absolute.split(' ')[0]);
  await expect(startCell(app, 0)).toHaveText(times[0]!.absolute);
  // 23 h 59 min, in the summary and the ladder's heading.
  const span = `${Math.floor(cli.duration / 3600)} h ${String(Math.floor((cli.duration % 3600) / 60)).padStart(2, '0')} min`;
  await expect(page.locator('.summary-stats')).toContainText(span);
  await expect(page.locator('#ladder-title')).toContainText(span);
  // The last packet, at the end of the ladder.
  await app.ladder.locator('.ladder-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(gutterTime(app, last.frame)).toHaveText(last.absolute);
  // The overview's axis in dates and times of day.
  // (the counts axis has whole numbers; every other tick is a date and a time of day)
  const ticks = await page.getByTestId('chart-timeline').locator('.recharts-cartesian-axis-tick-value').allTextContents();
  const axis = ticks.filter((t) => !/^\d+$/.test(t));
  expect(axis.length).toBeGreaterThan(2);
  for (const t of axis) expect(t).toMatch(/^03-0[78] \d\d:\d\d$/);
  await app.screenshot('time-day-long');
});

test('spacing the ladder by time marks the long silence with its length; the link keeps it', async ({ page }) => {
  const cli = commandLineReport(DEMO);
  const conn = cli.connections.find((c) => c.resets.some((r) => r.scenario === 'idle-timeout'))!;
  const times = tsharkTimes(DEMO, conn.id);
  const silences = times.slice(1).map((t) => Number(t.delta));
  const longest = Math.max(...silences);
  const app = await openCapture(page, DEMO, `#c=${conn.id}`);
  const toggle = page.getByTestId('ladder-spacing');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(app.ladder.getByTestId('time-break')).toHaveCount(0);
  const evenHeight = await app.ladder.locator('svg.ladder-svg').evaluate((el) => el.getBoundingClientRect().height);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(app.ladder).toHaveAttribute('data-spacing', 'time');
  await expect(page).toHaveURL(/ladder=time/);
  const breaks = app.ladder.getByTestId('time-break');
  await expect(breaks.first()).toBeVisible();
  // The longest silence (3.96 s before the reset) is one of the marked breaks, with its length.
  // It comes just before the reset, at the end: scroll there (the ladder draws the rows in view).
  await app.ladder.locator('.ladder-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect
    .poll(() => breaks.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-gap-seconds')))))
    .toContainEqual(expect.closeTo(longest, 6));
  const label = `… ${longest.toFixed(2)} s …`;
  await expect(breaks.filter({ hasText: label })).toHaveCount(1);
  // The arrows drawn are never closer than evenly spaced rows.
  const tops = await app.ladder.locator('.arrow').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top).sort((a, b) => a - b));
  expect(tops.length).toBeGreaterThan(3);
  const evenPitch = 42;
  for (let i = 1; i < tops.length; i++) expect(tops[i]! - tops[i - 1]!).toBeGreaterThanOrEqual(evenPitch - 1);
  const timeHeight = await app.ladder.locator('svg.ladder-svg').evaluate((el) => el.getBoundingClientRect().height);
  expect(timeHeight).toBeGreaterThan(evenHeight);
  await app.screenshot('time-ladder-spaced');

  await page.reload();
  await expect(page.locator('#root')).not.toBeEmpty();
  await app.dropFile(DEMO);
  await app.waitForAnalysis();
  await expect(page.getByTestId('ladder-spacing')).toHaveAttribute('aria-pressed', 'true');
  await expect(app.ladder.getByTestId('time-break').filter({ hasText: label })).toHaveCount(1);
});
