import path from 'node:path';
import { createI18n } from '../src/lib/i18n.js';
import { projectRoot } from '../src/lib/paths.js';
import { paymentOrderPdf, type PaymentOrder } from '../src/presenters/payment-order-pdf.js';
import { presentationFor } from '../src/presenters/presentation.js';

/**
 * `npm run bench:pdf [count]`: how many payment orders (M3, with the ZBP 2D code) one process renders
 * a second, the PDF only (the page adds its queries), after one document that loads pdfkit and
 * parses the fonts. Issue 20 asks for at least 50.
 */
const order: PaymentOrder = {
  recipientName: 'Żółta Firma',
  recipientAddress: 'ul. Długa 1, 00-001 Warszawa',
  account: '61109010140000071219812874',
  payerName: 'Łódzka Spółka',
  payerAddress: 'ul. Świętokrzyska 5, 90-001 Łódź',
  amountMinor: 123_456,
  currency: 'PLN',
  title: 'FV/1/2026, FV/2/2026',
  codeKind: 'zbp',
  codeText: '5260250274|PL|61109010140000071219812874|123456|Żółta Firma|FV/1/2026, FV/2/2026|||',
};

async function main(): Promise<void> {
  const t = createI18n(path.join(projectRoot, 'locales')).getFixedT('pl');
  const reader = { presentation: presentationFor(t, 'pl', 'Europe/Warsaw'), locale: 'pl', now: new Date() };
  await paymentOrderPdf(order, reader);
  const count = Number(process.argv[2] ?? 300);
  const start = performance.now();
  let bytes = 0;
  for (let index = 0; index < count; index += 1) bytes += (await paymentOrderPdf(order, reader)).length;
  const seconds = (performance.now() - start) / 1000;
  console.log(`${count} payment orders in ${seconds.toFixed(2)} s: ${(count / seconds).toFixed(1)} a second, ${Math.round(bytes / count)} bytes each`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
