import { readFileSync } from 'node:fs';
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

/**
 * Issue 6's interaction targets as pass/fail behaviour, with bounds far from the targets so a loaded
 * 2-core machine does not fail them (the figures themselves are measured by `npm run bench`):
 *   - the progress bar moves at least 3 times a second while 200 MB are read (target: 5);
 *   - Cancel reaches the `cancelled` state within 1 s of the click (target: 200 ms).
 * The capture is built in the page from a real one, its records repeated, so nothing big is shipped.
 */
interface Marks {
  /** [time, aria-valuenow] for every new value of the progress bar. */
  progress: [number, number][];
  dropped: number;
  cancelClick?: number;
  cancelled?: number;
  done?: number;
}

async function dropLargeCapture(app: AppPage, megabytes: number): Promise<void> {
  const bytes = [...readFileSync('e2e/fixtures/rst-not-received.pcap')];
  await app.page.evaluate(
    ({ bytes, megabytes }) => {
      const b = new Uint8Array(bytes);
      const records = b.subarray(24);
      const parts: Uint8Array[] = [b.subarray(0, 24)];
      for (let i = 0, n = Math.ceil((megabytes * 1e6) / records.length); i < n; i++) parts.push(records);
      const file = new File(parts as BlobPart[], 'large.pcap');
      const marks: Marks = { progress: [], dropped: 0 };
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
      const dt = new DataTransfer();
      dt.items.add(file);
      marks.dropped = performance.now();
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { bytes, megabytes },
  );
}

const marksOf = (app: AppPage): Promise<Marks> => app.page.evaluate(() => (window as unknown as { marks: Marks }).marks);

test.describe('issue 6 targets: progress and Cancel on a 200 MB capture', () => {
  test.setTimeout(180_000);

  test('the progress bar moves at least 3 times a second while the file is read', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await dropLargeCapture(app, 200);
    await expect(app.progress).toBeVisible();
    await expect(page.locator('body')).toHaveAttribute('data-analysis', 'done', { timeout: 120_000 });
    const marks = await marksOf(app);
    // The window: from the first value shown to 100% (the file read; classifying follows).
    const full = marks.progress.find(([, v]) => v >= 100)?.[0] ?? marks.done!;
    const values = marks.progress.filter(([t]) => t <= full);
    const seconds = (full - values[0]![0]) / 1000;
    const perSecond = (values.length - 1) / seconds;
    let gap = 0;
    for (let i = 1; i < values.length; i++) gap = Math.max(gap, values[i]![0] - values[i - 1]![0]);
    test.info().annotations.push({
      type: 'progress',
      description: `${values.length - 1} updates in ${seconds.toFixed(2)} s: ${perSecond.toFixed(1)}/s, longest gap ${Math.round(gap)} ms`,
    });
    expect(values.length, 'progress values shown while reading').toBeGreaterThanOrEqual(4);
    expect(perSecond, 'progress updates per second while reading').toBeGreaterThanOrEqual(3);
  });

  test('Cancel ends the analysis within a second of the click', async ({ page }) => {
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
    const ms = marks.cancelled! - marks.cancelClick!;
    test.info().annotations.push({ type: 'cancel', description: `${Math.round(ms)} ms from the click to "cancelled"` });
    expect(ms, 'ms from the click on Cancel to data-analysis=cancelled').toBeLessThan(1000);
    // The work stopped: the progress bar is gone and nothing more arrives.
    await expect(app.progress).toBeHidden();
    const after = (await marksOf(app)).progress.length;
    await page.waitForTimeout(500);
    expect((await marksOf(app)).progress.length, 'no progress after Cancel').toBe(after);
    expect((await marksOf(app)).done, 'the analysis never reports done after Cancel').toBeUndefined();
  });
});
