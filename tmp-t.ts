import { formatDateTimeToSecond, startOfDayIn } from './src/lib/time.js';
const d = new Date('2026-12-01T13:05:07Z');
console.log(formatDateTimeToSecond(d,'pl','Europe/Warsaw'), '|', formatDateTimeToSecond(d,'en','Europe/Warsaw'));
console.log(startOfDayIn('2026-12-01','Europe/Warsaw').toISOString(), startOfDayIn('2026-07-01','Europe/Warsaw').toISOString(), startOfDayIn('2026-03-29','Europe/Warsaw').toISOString(), startOfDayIn('2026-03-30','Europe/Warsaw').toISOString(), startOfDayIn('2026-12-01','UTC').toISOString(), startOfDayIn('2026-12-01','America/New_York').toISOString());
