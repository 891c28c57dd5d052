import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { demoPassword, describeInBrowser, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 90_000;
const photo = { name: 'zdjęcie błędu.png', mimeType: 'image/png', buffer: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 7)]) };
const manual = { name: 'instrukcja.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n') };
const program = { name: 'sterownik.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(256, 0)]) };

describeInBrowser('browser journey: attachments of a ticket and its replies (issue 15, T6)', (harness) => {
  it('anna files a failure report with a photo (a refused file first); Karolina sees it and replies with a manual, which anna downloads', async () => {
    await seedDemo(harness.env.db, { password: demoPassword, bcryptCost: 4 });

    const anna = await harness.openPage('pl-PL');
    await signIn(anna, 'anna');
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    await anna.goto('/demo/portal/tickets/new');
    await anna.getByLabel('Kategoria', { exact: true }).selectOption({ label: 'Zgłoszenie awarii' });
    await anna.getByLabel('Tytuł', { exact: true }).fill('Drukarka pokazuje błąd E-04');
    await anna.getByLabel('Opis', { exact: true }).fill('Zdjęcie wyświetlacza w załączniku.');
    await anna.getByLabel('Załączniki', { exact: false }).setInputFiles([program]);
    await anna.getByRole('button', { name: 'Wyślij zgłoszenie', exact: true }).click();
    expect(await anna.getByText('Nie można przyjąć pliku „sterownik.pdf”', { exact: false }).count()).toBeGreaterThan(0);
    expect(await anna.getByLabel('Tytuł', { exact: true }).inputValue()).toBe('Drukarka pokazuje błąd E-04');
    expect(await anna.getByTestId('choose-files-again').isVisible()).toBe(true);
    await harness.screenshot(anna, 'attachments-1-refused.png');

    await anna.getByLabel('Załączniki', { exact: false }).setInputFiles([photo]);
    await anna.getByRole('button', { name: 'Wyślij zgłoszenie', exact: true }).click();
    await anna.waitForURL(/\/demo\/portal\/tickets\/\d+$/);
    const ticketUrl = anna.url();
    expect(await anna.getByTestId('ticket-attachments').textContent()).toContain('zdjęcie błędu.png');

    const karolina = await harness.openPage('pl-PL');
    await signIn(karolina, 'caretaker');
    await karolina.waitForURL(`${harness.baseUrl}/demo/staff`);
    await karolina.goto('/demo/staff/tasks');
    await karolina.getByRole('link', { name: 'Drukarka pokazuje błąd E-04', exact: true }).click();
    await karolina.waitForURL(/\/demo\/staff\/tickets\/\d+$/);
    expect(await karolina.getByTestId('ticket-attachments').textContent()).toContain('zdjęcie błędu.png');
    await karolina.getByLabel('Treść', { exact: true }).fill('Instrukcja resetu w załączniku.');
    await karolina.getByLabel('Załączniki', { exact: false }).setInputFiles([manual]);
    await karolina.getByRole('button', { name: 'Dodaj', exact: true }).click();
    expect(await karolina.getByTestId('message-attachments').textContent()).toContain('instrukcja.pdf');
    await harness.screenshot(karolina, 'attachments-2-task.png');

    await anna.goto(ticketUrl);
    expect(await anna.getByTestId('message-attachments').textContent()).toContain('instrukcja.pdf');
    const [download] = await Promise.all([anna.waitForEvent('download'), anna.getByTestId('message-attachments').getByRole('link', { name: 'instrukcja.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('instrukcja.pdf');
    await harness.screenshot(anna, 'attachments-3-client.png');
  }, journeyTimeout);
});
