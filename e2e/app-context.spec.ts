import { AppPage } from './pages/app-page.ts';
import { commandLineReport } from './oracle.ts';
import { expect, test } from './test.ts';

/** Three hand-built connections (e2e/fixtures/app-context.gen.ts): a protocol mismatch, a TLS alert, a download with a segment not captured. */
const FIXTURE = 'e2e/fixtures/app-context.pcap';

test.describe('what the application said, what the capture is missing', () => {
  test('shows the service, the application labels and the completeness marks of a dropped capture', async ({ page }) => {
    const cli = commandLineReport(FIXTURE);
    const byPort = (port: number) => cli.connections.find((c) => c.server.port === port)!;
    const ssh = byPort(22);
    const tls = byPort(443);
    const dl = byPort(80);
    const app = new AppPage(page);
    await app.open();
    await app.dropFile(FIXTURE);
    await app.waitForAnalysis();
    await expect(app.list).toHaveAttribute('data-row-count', String(cli.connections.length));

    // The Service column: the SNI and the HTTP Host; the list's filter finds a connection by it.
    await expect(page.getByRole('columnheader', { name: 'Service' })).toBeVisible();
    await expect(app.row(tls.id)).toContainText('shop.example');
    await expect(app.row(dl.id)).toContainText('files.example');
    await app.filterText.fill('shop.example');
    await expect(app.list).toHaveAttribute('data-row-count', '1');
    expect(await app.shownConnectionIds()).toEqual([tls.id]);
    await app.filterText.fill('');

    // The TLS connection: the ClientHello and the alert are labelled on their arrows; the verdict cites the alert.
    await app.row(tls.id).click();
    const labels = tls.app!.labels;
    const hello = labels.find((l) => l.text.startsWith('ClientHello'))!;
    const alert = labels.find((l) => l.text.startsWith('Alert'))!;
    await expect(app.arrow(hello.frame)).toContainText('ClientHello shop.example');
    await expect(app.arrow(alert.frame)).toContainText('Alert: unknown_ca');
    await expect(app.explanation).toHaveAttribute('data-scenario', 'app-error');
    await expect(app.explanation).toContainText('unknown_ca');

    // The HTTP request to an SSH server: both sides labelled, a protocol mismatch.
    await app.row(ssh.id).click();
    const greeting = ssh.app!.labels.find((l) => l.from === 'server')!;
    await expect(app.arrow(greeting.frame)).toContainText('SSH-2.0-OpenSSH_9.6');
    await expect(app.arrow(ssh.app!.labels.find((l) => l.from === 'client')!.frame)).toContainText('GET /');
    await expect(app.explanation).toHaveAttribute('data-scenario', 'app-error');
    await expect(app.explanation).toContainText('protocol mismatch');

    // The download: the segment after the one not captured is marked as Wireshark marks it, and the explanation says what is missing.
    await app.row(dl.id).click();
    const gapFrame = dl.completeness.server.firstGapFrame!;
    await expect(app.arrow(gapFrame)).toContainText('previous segment not captured');
    await expect(app.arrow(gapFrame)).toHaveAccessibleName(/previous segment not captured/);
    await expect(app.explanation).toHaveAttribute('data-scenario', 'abort');
    await expect(app.explanation).toContainText('The capture does not hold all of this connection');
    await expect(app.explanation).toContainText('not captured');
  });
});
