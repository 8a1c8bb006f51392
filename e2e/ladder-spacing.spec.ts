/**
 * The ladder at every zoom: each row's time and frame number stay apart and left of the client's
 * lifeline, and opening the packet details never hides the selected reset. Screenshots go to
 * e2e/screenshots/ladder-*.png for review.
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

const DEMO = join(import.meta.dirname, '..', 'public', 'demo', 'demo.pcap');

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const describe = (b: Box): string => `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)}`;

/** The demo, on connection 67: 44 packets, a folded run, its reset last. */
async function openDemo(page: Page, hash = '#c=67'): Promise<AppPage> {
  const app = await AppPage.withCapture(page, DEMO, hash);
  await expect(app.ladder.locator('.arrow.is-selected-reset')).toHaveCount(1);
  const ok = page.getByRole('button', { name: 'OK', exact: true });
  if (await ok.isVisible()) await ok.click();
  return app;
}

/** The drawn text boxes of every arrow row in view: time, frame number, label, and the client lifeline. */
async function rowBoxes(ladder: Locator) {
  return ladder.evaluate((root) => {
    const box = (el: Element | null) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const lifeline = box(root.querySelector('.lifeline'));
    const rows = [...root.querySelectorAll('.arrow')].map((arrow) => ({
      frame: arrow.getAttribute('data-frame'),
      time: box(arrow.querySelector('.gutter-time')),
      number: box(arrow.querySelector('.gutter-frame')),
      label: box(arrow.querySelector('.arrow-label')),
      band: box(arrow.querySelector('.row-band')),
    }));
    const runs = [...root.querySelectorAll('.run')].map((run) => ({
      first: run.getAttribute('data-run-first'),
      label: box(run.querySelector('.run-label')),
      hint: box(run.querySelector('.run-hint')),
      band: box(run.querySelector('.run-box')),
    }));
    return { lifeline, rows, runs };
  });
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
]) {
  for (const spacing of ['even', 'time'] as const)
  test(`at ${size.width} px and every zoom, rows spaced ${spacing === 'even' ? 'evenly' : 'by time'}, a row's time and frame number stay apart and inside the row`, async ({ page }) => {
    await page.setViewportSize(size);
    const app = await openDemo(page, spacing === 'time' ? '#c=67&ladder=time' : '#c=67');
    await expect(app.ladder).toHaveAttribute('data-spacing', spacing);
    const zoomIn = page.getByRole('button', { name: 'Zoom in' });
    const zoomOut = page.getByRole('button', { name: 'Zoom out' });
    while (await zoomOut.isEnabled()) await zoomOut.click();
    let zooms = 0;
    for (;;) {
      zooms++;
      await app.ladder.scrollIntoViewIfNeeded();
      const { lifeline, rows, runs } = await rowBoxes(app.ladder);
      // Spaced by time the rows are taller: the run is out of view, the reset at the end in it.
      if (spacing === 'even') expect(runs.length, 'folded runs drawn').toBeGreaterThan(0);
      for (const r of runs) {
        const what = `run from frame ${r.first} at zoom step ${zooms}`;
        expect(overlap(r.label!, r.hint!), `${what}: summary ${describe(r.label!)} and frames ${describe(r.hint!)} overlap`).toBe(false);
        expect(r.hint!.y + r.hint!.height, `${what}: frames inside the box`).toBeLessThanOrEqual(r.band!.y + r.band!.height + 0.5);
      }
      expect(rows.length, 'arrows drawn').toBeGreaterThan(0);
      expect(lifeline).not.toBeNull();
      for (const r of rows) {
        const what = `frame ${r.frame} at zoom step ${zooms}`;
        expect(r.time && r.number && r.band && r.label, what).toBeTruthy();
        expect(overlap(r.time!, r.number!), `${what}: time ${describe(r.time!)} and number ${describe(r.number!)} overlap`).toBe(false);
        // Both stay inside their row, so they do not run into the next row's.
        for (const [name, b] of [['time', r.time!], ['number', r.number!]] as const) {
          expect(b.y, `${what}: ${name} top`).toBeGreaterThanOrEqual(r.band!.y - 0.5);
          expect(b.y + b.height, `${what}: ${name} bottom`).toBeLessThanOrEqual(r.band!.y + r.band!.height + 0.5);
          expect(b.x + b.width, `${what}: ${name} right of the client lifeline`).toBeLessThanOrEqual(lifeline!.x);
          expect(overlap(b, r.label!), `${what}: ${name} under the arrow label`).toBe(false);
        }
      }
      await app.screenshot(`ladder-zoom-${size.width}-${spacing}-${zooms}`);
      if (!(await zoomIn.isEnabled())) break;
      await zoomIn.click();
    }
    expect(zooms, 'zoom steps tried').toBeGreaterThanOrEqual(3);
  });

  test(`at ${size.width} px the packet details never cover the selected reset`, async ({ page }) => {
    await page.setViewportSize(size);
    const app = await openDemo(page);
    const zoomIn = page.getByRole('button', { name: 'Zoom in' });
    // The largest zoom leaves the least room: the case that hid the reset.
    while (await zoomIn.isEnabled()) await zoomIn.click();
    const reset = app.ladder.locator('.arrow.is-selected-reset');
    await expect(reset).toHaveCount(1);
    await app.ladder.scrollIntoViewIfNeeded();
    await app.screenshot(`ladder-zoomed-${size.width}`);
    // Zooming keeps the reset the ladder opened on in view.
    await expect(reset).toBeInViewport();
    const resetFrame = Number(await reset.getAttribute('data-frame'));
    const scroll = app.ladder.locator('.ladder-scroll');
    const expectResetShown = async (what: string) => {
      await expect(async () => {
        const details = (await app.packetDetails.boundingBox())!;
        const view = (await scroll.boundingBox())!;
        // The row without its outline (a selected row's stroke reaches a pixel beyond it).
        const outer = (await reset.locator('.row-band').boundingBox())!;
        const band = { x: outer.x + 2, y: outer.y + 2, width: outer.width - 4, height: outer.height - 4 };
        const where = `${what}: reset ${describe(band)}, details ${describe(details)}, ladder ${describe(view)}`;
        expect(overlap(band, details), where).toBe(false);
        expect(band.y, where).toBeGreaterThanOrEqual(view.y - 0.5);
        expect(band.y + band.height, where).toBeLessThanOrEqual(view.y + view.height + 0.5);
      }).toPass({ timeout: 10_000 });
    };
    // The packet just before the reset, then the reset itself: both in view before the click, so
    // the details opening must not push the reset out of the ladder.
    const before = await app.ladder
      .locator('.arrow')
      .evaluateAll((els, f) => els.map((e) => Number(e.getAttribute('data-frame'))).filter((n) => n < f).pop(), resetFrame);
    expect(before, 'a packet before the reset').toBeDefined();
    for (const frame of [before!, resetFrame]) {
      await app.arrow(frame).first().click();
      await expect(app.packetDetails).toHaveAttribute('data-frame', String(frame));
      await expectResetShown(`after clicking frame ${frame}`);
      await app.screenshot(`ladder-details-${size.width}-${frame === resetFrame ? 'reset' : 'before'}`);
      await page.getByRole('button', { name: 'Close the packet details' }).click();
      await expect(app.packetDetails).toHaveCount(0);
    }
  });
}
