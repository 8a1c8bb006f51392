import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

/**
 * Progress and Cancel on a 200 MB capture, as behaviour: the bar moves forward while the file is read,
 * and Cancel stops the analysis for good. How often the bar moves and how fast Cancel answers are
 * figures (annotations here; targets belong to `npm run bench`), never pass/fail: they depend on the
 * machine's load. The capture is built in the page from a real one, its records repeated, so nothing
 * big is shipped.
 */
interface Marks {
  /** [time, aria-valuenow] for every new value of the progress bar. */
  progress: [number, number][];
  cancelClick?: number;
  cancelled?: number;
  done?: number;
}

/** Records, in the page, every value the progress bar shows, the click on Cancel and the end state. */
async function watchProgress(app: AppPage): Promise<void> {
  await app.page.evaluate(() => {
    const marks: Marks = { progress: [] };
    (window as unknown as { marks: Marks }).marks = marks;
    let last: string | null = null;
    new MutationObserver(() => {
      const now = performance.now();
      const v = document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') ?? null;
      if (v !== null && v !== last) marks.progress.push([now, Number(v)]);
      last = v ?? last;
      const s = document.body.dataset.analysis;
      if (s === 'cancelled' && marks.cancelled === undefined) marks.cancelled = now;
      if ((s === 'done' || s === 'error') && marks.done === undefined) marks.done = now;
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-analysis', 'aria-valuenow'],
    });
    document.addEventListener(
      'click',
      (e) => {
        const button = e.target instanceof Element ? e.target.closest('button') : null;
        if (button?.textContent?.trim() === 'Cancel' && marks.cancelClick === undefined) marks.cancelClick = performance.now();
      },
      true,
    );
  });
}

async function dropLargeCapture(app: AppPage, megabytes: number): Promise<void> {
  await watchProgress(app);
  await app.dropRepeatedCapture('e2e/fixtures/rst-not-received.pcap', megabytes);
}

const marksOf = (app: AppPage): Promise<Marks> => app.page.evaluate(() => (window as unknown as { marks: Marks }).marks);

test.describe('progress and Cancel on a 200 MB capture', () => {
  test.setTimeout(180_000);

  test('the progress bar moves forward while the file is read, to the end', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await dropLargeCapture(app, 200);
    await expect(app.progress).toBeVisible();
    await expect(page.locator('body')).toHaveAttribute('data-analysis', 'done', { timeout: 150_000 });
    const marks = await marksOf(app);
    // The window: from the first value shown to 100% (the file read; classifying follows).
    const full = marks.progress.find(([, v]) => v >= 100)?.[0] ?? marks.done!;
    const values = marks.progress.filter(([t]) => t <= full);
    const seconds = (full - values[0]![0]) / 1000;
    test.info().annotations.push({
      type: 'progress',
      description: `${values.length - 1} updates in ${seconds.toFixed(2)} s (${((values.length - 1) / seconds).toFixed(1)}/s)`,
    });
    const shown = values.map(([, v]) => v);
    // It moved: a value on the way (neither 0 nor 100%), never backwards. How many values a second is
    // a figure: a fast machine reads 200 MB between two updates.
    expect(shown.some((v) => v > 0 && v < 100), `a value between 0 and 100% among ${shown.join(', ')}`).toBe(true);
    for (let i = 1; i < shown.length; i++) expect(shown[i]!, 'progress never goes back').toBeGreaterThanOrEqual(shown[i - 1]!);
  });

  test('Cancel ends the analysis, and nothing of it arrives afterwards', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await dropLargeCapture(app, 200);
    await expect(app.progress).toBeVisible();
    // The worker is well into the file.
    await expect
      .poll(async () => (await marksOf(app)).progress.at(-1)?.[1] ?? 0, { timeout: 60_000, intervals: [20] })
      .toBeGreaterThanOrEqual(5);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('body')).toHaveAttribute('data-analysis', 'cancelled');
    const marks = await marksOf(app);
    expect(marks.cancelClick, 'the click on Cancel was seen').toBeDefined();
    expect(marks.cancelled, 'the cancelled state was seen').toBeDefined();
    test.info().annotations.push({
      type: 'cancel',
      description: `${Math.round(marks.cancelled! - marks.cancelClick!)} ms from the click to "cancelled"`,
    });
    // The work stopped: the progress bar is gone and nothing more arrives.
    await expect(app.progress).toBeHidden();
    const after = (await marksOf(app)).progress.length;
    await page.waitForTimeout(500);
    expect((await marksOf(app)).progress.length, 'no progress after Cancel').toBe(after);
    expect((await marksOf(app)).done, 'the analysis never reports done after Cancel').toBeUndefined();
  });
});
