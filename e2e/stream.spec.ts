import { AppPage } from './pages/app-page.ts';
import { commandLineReport } from './oracle.ts';
import { expect, test } from './test.ts';

/** Hand-built connections (e2e/fixtures/app-context.gen.ts): an HTTP request to an SSH server, a download with a segment not captured. */
const FIXTURE = 'e2e/fixtures/app-context.pcap';

test.describe('follow stream', () => {
  test('shows both sides of a connection in order, its RST, a gap, as text and as hex', async ({ page }) => {
    const cli = commandLineReport(FIXTURE);
    const ssh = cli.connections.find((c) => c.server.port === 22)!;
    const dl = cli.connections.find((c) => c.server.port === 80)!;
    const rstFrame = ssh.resets[0]!.frame;
    const app = new AppPage(page);
    await app.open();
    await app.dropFile(FIXTURE);
    await app.waitForAnalysis();

    await app.row(ssh.id).click();
    await expect(app.ladder).toBeVisible();
    const follow = page.getByRole('button', { name: 'Follow stream' });
    await expect(follow).toHaveAttribute('aria-pressed', 'false');
    await follow.click();
    await expect(follow).toHaveAttribute('aria-pressed', 'true');
    const stream = page.getByTestId('stream-view');
    await expect(stream).toBeVisible();

    // The legend names each side in words, with its address.
    await expect(stream.getByText(/^Client/).first()).toContainText(`${ssh.client.ip}:${ssh.client.port}`);
    await expect(stream.getByText(/^Server/).first()).toContainText(`${ssh.server.ip}:${ssh.server.port}`);

    // The request, then the SSH greeting, each labelled with its direction, line ends shown.
    const chunks = stream.getByTestId('stream-chunk');
    await expect(chunks).toHaveCount(2);
    await expect(chunks.nth(0)).toHaveAttribute('data-side', 'client');
    await expect(chunks.nth(0)).toContainText('Client → server');
    await expect(chunks.nth(0)).toContainText('GET / HTTP/1.1\\r\\n');
    await expect(chunks.nth(0)).toContainText(`Host: ${ssh.server.ip}\\r\\n`);
    await expect(chunks.nth(1)).toContainText('Server → client');
    await expect(chunks.nth(1)).toContainText('SSH-2.0-OpenSSH_9.6\\r\\n');

    // Where the RST cut the conversation, with its frame.
    const reset = stream.getByTestId('stream-reset');
    await expect(reset).toHaveAttribute('data-frame', String(rstFrame));
    await expect(reset).toContainText('Reset by the server here');
    await expect(reset.getByRole('button', { name: `frame ${rstFrame}` })).toBeVisible();

    // Clicking a chunk selects its frame: the packet details open on it.
    const requestFrame = Number(await chunks.nth(0).getAttribute('data-frames'));
    await chunks.nth(0).locator('pre').click();
    await expect(app.packetDetails).toHaveAttribute('data-frame', String(requestFrame));
    await expect(chunks.nth(0)).toHaveClass(/is-selected/);

    // Hex, chosen from the keyboard: the radio group moves with the arrow keys.
    const text = stream.getByRole('radio', { name: 'Text' });
    const hex = stream.getByRole('radio', { name: 'Hex' });
    await expect(text).toBeChecked();
    await text.focus();
    await page.keyboard.press('ArrowRight');
    await expect(hex).toBeChecked();
    await expect(chunks.nth(0)).toContainText('00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..');
    await expect(chunks.nth(1)).toContainText('00000000  53 53 48 2d 32 2e 30 2d  4f 70 65 6e 53 53 48 5f  SSH-2.0-OpenSSH_');
    await app.screenshot('stream-hex');
    await text.check();
    await page.keyboard.press('Escape'); // closes the packet details: the whole stream in view
    await expect(app.packetDetails).toHaveCount(0);
    await expect(reset).toBeInViewport();
    await app.screenshot('stream-text');

    // The RST's frame opens the ladder on that frame.
    await reset.getByRole('button', { name: `frame ${rstFrame}` }).click();
    await expect(follow).toHaveAttribute('aria-pressed', 'false');
    await expect(app.arrow(rstFrame)).toBeVisible();
    await expect(app.packetDetails).toHaveAttribute('data-frame', String(rstFrame));

    // The download: the segment the capture missed is a gap of its size; the view stays on the stream.
    await follow.click();
    await app.row(dl.id).click();
    await expect(page.getByTestId('stream-view')).toBeVisible();
    const gap = page.getByTestId('stream-gap');
    await expect(gap).toHaveCount(1);
    await expect(gap).toContainText('1,000 bytes from the server not in the capture');
    await expect(page.getByTestId('stream-view')).toContainText('GET /archive.tar HTTP/1.1\\r\\n');
    await expect(page.getByTestId('stream-view')).toContainText('Reset by the client here');
    await gap.scrollIntoViewIfNeeded();
    await app.screenshot('stream-gap');
  });

  test('shows a long stream a page at a time, with what is left and a way to load it', async ({ page }) => {
    // e2e/fixtures/long-stream.gen.ts: a 315,043-byte response of numbered lines, gzip-compressed.
    const app = new AppPage(page);
    await app.open();
    await app.dropFile('e2e/fixtures/long-stream.pcap.gz');
    await app.waitForAnalysis();
    await app.row(0).click();
    await page.getByRole('button', { name: 'Follow stream' }).click();
    const stream = page.getByTestId('stream-view');
    await expect(stream).toContainText('line 000001 ........\\n');
    await expect(stream).toContainText('Showing the first 256 kB of 315 kB.');
    await expect(stream).not.toContainText('line 015000');
    await expect(stream.getByTestId('stream-reset')).toHaveCount(0);

    await stream.getByRole('button', { name: 'Load the next 59.1 kB' }).click();
    await expect(stream).toContainText('line 015000 ........\\n');
    await expect(stream).not.toContainText('Showing the first');
    await expect(stream.getByTestId('stream-reset')).toContainText('Reset by the client here');
    // The page boundary fell inside the server's one chunk: it is shown whole, once.
    await expect(stream.getByTestId('stream-chunk')).toHaveCount(2);
    await expect(stream.getByTestId('stream-chunk').nth(1)).toContainText('frames 5–221');
  });
});
