import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, type Browser, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';

/** The app as a person sees it, with the stable hooks it exposes for tests. */
export class AppPage {
  readonly fileInput: Locator;
  readonly demoButton: Locator;
  readonly list: Locator;
  readonly rows: Locator;
  readonly ladder: Locator;
  readonly explanation: Locator;
  readonly progress: Locator;
  readonly error: Locator;
  readonly filterText: Locator;
  readonly filterScenario: Locator;
  readonly packetDetails: Locator;

  constructor(readonly page: Page) {
    this.fileInput = page.getByTestId('file-input').first();
    this.demoButton = page.getByRole('button', { name: 'Try the demo' }).first();
    this.list = page.getByTestId('connection-list');
    this.rows = page.getByTestId('connection-row');
    this.ladder = page.getByTestId('ladder');
    this.explanation = page.getByTestId('explanation');
    this.progress = page.getByRole('progressbar');
    this.error = page.getByTestId('error');
    this.filterText = page.getByTestId('filter');
    this.filterScenario = page.getByTestId('filter-scenario');
    this.packetDetails = page.getByTestId('packet-details');
  }

  /** The page at `hash`, with the capture at `path` dropped on it and analysed. */
  static async withCapture(page: Page, path: string, hash = ''): Promise<AppPage> {
    const app = new AppPage(page);
    await app.open(hash);
    await app.dropFile(path);
    await app.waitForAnalysis();
    return app;
  }

  /**
   * A shared link opened in a new browser context, nothing shared with the sender's page (no file,
   * no storage), analysed; with the errors its console printed.
   */
  static async fromLink(browser: Browser, link: string, options: BrowserContextOptions = {}): Promise<{ app: AppPage; errors: string[] }> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(link);
    const app = new AppPage(page);
    await app.waitForAnalysis();
    return { app, errors };
  }

  async open(hash = ''): Promise<void> {
    await this.page.goto(`./${hash}`);
    await expect(this.page.locator('#root')).not.toBeEmpty();
  }

  /** Drop a file onto the page the way a browser does: a drop event carrying a File. */
  async dropFile(path: string, name = basename(path)): Promise<void> {
    const bytes = [...readFileSync(path)];
    const dataTransfer = await this.page.evaluateHandle(
      ({ bytes, name }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], name));
        return dt;
      },
      { bytes, name },
    );
    await this.page.dispatchEvent('body', 'dragenter', { dataTransfer });
    await this.page.dispatchEvent('body', 'drop', { dataTransfer });
  }

  /**
   * Drops a large classic pcap built in the page from a small one, its records repeated until it holds
   * `megabytes` MB, so nothing big is shipped: the analysis runs for seconds.
   */
  async dropRepeatedCapture(path: string, megabytes: number, name = 'large.pcap'): Promise<void> {
    const bytes = [...readFileSync(path)];
    await this.page.evaluate(
      ({ bytes, megabytes, name }) => {
        const b = new Uint8Array(bytes);
        const records = b.subarray(24);
        const parts: Uint8Array[] = [b.subarray(0, 24)];
        for (let i = 0, n = Math.ceil((megabytes * 1e6) / records.length); i < n; i++) parts.push(records);
        const dt = new DataTransfer();
        dt.items.add(new File(parts as BlobPart[], name));
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { bytes, megabytes, name },
    );
  }

  /** Wait for the app's own signal that the analysis ended (done or error), never a sleep. */
  async waitForAnalysis(state: 'done' | 'error' = 'done'): Promise<void> {
    await expect(this.page.locator('body')).toHaveAttribute('data-analysis', state, { timeout: 30_000 });
  }

  row(connectionId: number): Locator {
    return this.list.locator(`[data-testid="connection-row"][data-connection-id="${connectionId}"]`);
  }

  arrow(frame: number): Locator {
    return this.ladder.locator(`[data-frame="${frame}"]`);
  }

  /** The list keeps the selected row in view; tests that read "the first row" look at the top. */
  async scrollListToTop(): Promise<void> {
    await this.list.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(this.list.locator('[aria-rowindex="2"]')).toBeVisible();
  }

  async shownConnectionIds(): Promise<number[]> {
    return (await this.rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-connection-id')))));
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/screenshots/${name}.png` });
  }
}
