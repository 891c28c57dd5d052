import { minorUnitDigits, type MinorUnits } from './money.js';

/**
 * An amount written out in words, as a payment order asks for it (M3): the whole units in words
 * with the currency's name in its grammatical form, the minor units as a fraction —
 * 12345 PLN is "sto dwadzieścia trzy złote 45/100" in Polish and "one hundred and twenty-three
 * zlotys 45/100" in English. Exact on BigInt, however large.
 *
 * A group of one thousand or one million is written with its "one" ("jeden tysiąc", "one
 * thousand"), as banks' forms do: nothing can be put in front of it.
 */
export function amountInWords(minorUnits: MinorUnits, currency: string, locale: string): string {
  if (typeof minorUnits === 'number' && !Number.isSafeInteger(minorUnits)) throw new RangeError(`an amount must be whole minor units, got ${minorUnits}`);
  const digits = minorUnitDigits(currency);
  const amount = BigInt(minorUnits);
  const magnitude = amount < 0n ? -amount : amount;
  const unit = 10n ** BigInt(digits);
  const whole = magnitude / unit;
  const language = locale === 'pl' ? polish : english;
  const words = `${language.number(whole)} ${language.currency(currency, whole)}`;
  const fraction = digits === 0 ? '' : ` ${(magnitude % unit).toString().padStart(digits, '0')}/${unit}`;
  return `${amount < 0n ? `${language.minus} ` : ''}${words}${fraction}`;
}

type Language = { minus: string; number(value: bigint): string; currency(code: string, whole: bigint): string };

/** Polish plural forms: 1 → one, 2–4 (not 12–14) → few, the rest → many. */
type PolishForms = readonly [one: string, few: string, many: string];

function polishForm(value: bigint, forms: PolishForms): string {
  if (value === 1n) return forms[0];
  const lastTwo = value % 100n;
  const last = value % 10n;
  return last >= 2n && last <= 4n && (lastTwo < 12n || lastTwo > 14n) ? forms[1] : forms[2];
}

const polishUnits = ['', 'jeden', 'dwa', 'trzy', 'cztery', 'pięć', 'sześć', 'siedem', 'osiem', 'dziewięć'];
const polishTeens = ['dziesięć', 'jedenaście', 'dwanaście', 'trzynaście', 'czternaście', 'piętnaście', 'szesnaście', 'siedemnaście', 'osiemnaście', 'dziewiętnaście'];
const polishTens = ['', '', 'dwadzieścia', 'trzydzieści', 'czterdzieści', 'pięćdziesiąt', 'sześćdziesiąt', 'siedemdziesiąt', 'osiemdziesiąt', 'dziewięćdziesiąt'];
const polishHundreds = ['', 'sto', 'dwieście', 'trzysta', 'czterysta', 'pięćset', 'sześćset', 'siedemset', 'osiemset', 'dziewięćset'];
/** Thousands, millions, … (the long scale Poland uses: miliard is 10⁹, bilion 10¹²). */
const polishScales: PolishForms[] = [
  ['', '', ''],
  ['tysiąc', 'tysiące', 'tysięcy'],
  ['milion', 'miliony', 'milionów'],
  ['miliard', 'miliardy', 'miliardów'],
  ['bilion', 'biliony', 'bilionów'],
  ['biliard', 'biliardy', 'biliardów'],
  ['trylion', 'tryliony', 'trylionów'],
];
const polishCurrencies: Record<string, PolishForms> = {
  PLN: ['złoty', 'złote', 'złotych'],
  EUR: ['euro', 'euro', 'euro'],
  CZK: ['korona czeska', 'korony czeskie', 'koron czeskich'],
  USD: ['dolar amerykański', 'dolary amerykańskie', 'dolarów amerykańskich'],
};

function polishBelowThousand(value: number): string[] {
  const words = [polishHundreds[Math.floor(value / 100)]!];
  const rest = value % 100;
  if (rest >= 10 && rest < 20) words.push(polishTeens[rest - 10]!);
  else words.push(polishTens[Math.floor(rest / 10)]!, polishUnits[rest % 10]!);
  return words.filter(Boolean);
}

const polish: Language = {
  minus: 'minus',
  number(value) {
    if (value === 0n) return 'zero';
    const words: string[] = [];
    groupsOf(value).forEach((group, scale) => {
      if (group === 0) return;
      if (scale >= polishScales.length) throw new RangeError(`too large to write out: ${value}`);
      words.unshift(...polishBelowThousand(group), ...(scale === 0 ? [] : [polishForm(BigInt(group), polishScales[scale]!)]));
    });
    return words.join(' ');
  },
  currency: (code, whole) => polishForm(whole, polishCurrencies[code] ?? [code, code, code]),
};

const englishUnits = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const englishTens = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
/** The short scale English uses now: a billion is 10⁹. */
const englishScales = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion'];
const englishCurrencies: Record<string, readonly [one: string, many: string]> = {
  PLN: ['zloty', 'zlotys'],
  EUR: ['euro', 'euros'],
  CZK: ['Czech koruna', 'Czech korunas'],
  USD: ['US dollar', 'US dollars'],
};

function englishBelowHundred(value: number): string {
  if (value < 20) return englishUnits[value]!;
  const unit = englishUnits[value % 10];
  return unit ? `${englishTens[Math.floor(value / 10)]}-${unit}` : englishTens[Math.floor(value / 10)]!;
}

const english: Language = {
  minus: 'minus',
  number(value) {
    if (value === 0n) return 'zero';
    const groups = groupsOf(value);
    const parts: string[] = [];
    groups.forEach((group, scale) => {
      if (group === 0) return;
      if (scale >= englishScales.length) throw new RangeError(`too large to write out: ${value}`);
      const hundreds = Math.floor(group / 100);
      const rest = group % 100;
      const words = [hundreds ? `${englishUnits[hundreds]} hundred` : '', rest ? `${hundreds ? 'and ' : ''}${englishBelowHundred(rest)}` : ''].filter(Boolean).join(' ');
      parts.unshift(scale === 0 ? words : `${words} ${englishScales[scale]}`);
    });
    // British usage: "one thousand and five", an "and" before a last group below a hundred.
    const last = groups[0]!;
    if (groups.length > 1 && last > 0 && last < 100) parts[parts.length - 1] = `and ${parts[parts.length - 1]}`;
    return parts.join(' ');
  },
  currency(code, whole) {
    const forms = englishCurrencies[code] ?? [code, code];
    return whole === 1n ? forms[0] : forms[1];
  },
};

/** A number's groups of three digits, lowest first: 1 234 567 → [567, 234, 1]. */
function groupsOf(value: bigint): number[] {
  const groups: number[] = [];
  for (let rest = value; rest > 0n; rest /= 1000n) groups.push(Number(rest % 1000n));
  return groups;
}
