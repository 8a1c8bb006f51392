/** A file the operating system hands over but that cannot be read is said in the error banner. */
import { AppPage } from './pages/app-page.ts';
import { expect, test } from './test.ts';

test('a launched file that cannot be read shows in the error banner', async ({ page }) => {
  // Stand in for the OS: a launch queue whose file is gone by the time it is asked for.
  await page.addInitScript(() => {
    type Consumer = (params: { files: { getFile(): Promise<File> }[] }) => void;
    const state: { consumer: Consumer | null } = { consumer: null };
    Object.defineProperty(window, 'launchQueue', { configurable: true, value: { setConsumer: (c: Consumer) => (state.consumer = c) } });
    Object.assign(window, {
      testLaunchGone: () => state.consumer?.({ files: [{ getFile: () => Promise.reject(new DOMException('The file was removed', 'NotFoundError')) }] }),
    });
  });
  const app = new AppPage(page);
  await app.open();
  await page.evaluate(() => (window as unknown as { testLaunchGone(): void }).testLaunchGone());
  await expect(app.error).toBeVisible();
  await expect(app.error).toContainText('could not be read (The file was removed)');
  await expect(page.locator('body')).toHaveAttribute('data-analysis', 'error');
});
