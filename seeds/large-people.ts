/**
 * Made-up but plausible Polish data for the large seed: people, companies, addresses, NIPs with a
 * right check digit, bank accounts with right check digits. Pure and deterministic (a seeded
 * generator), so two runs at one scale make the same rows and a test can count on them.
 */

/** A small, fast generator of numbers in [0, 1) (mulberry32): the same seed gives the same data. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = ReturnType<typeof randomSource>;

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
export const between = (random: Random, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

const womenFirstNames = ['Anna', 'Maria', 'Katarzyna', 'Małgorzata', 'Agnieszka', 'Barbara', 'Ewa', 'Krystyna', 'Magdalena', 'Joanna', 'Zofia', 'Monika', 'Aleksandra', 'Natalia', 'Dorota', 'Beata', 'Jadwiga', 'Halina', 'Elżbieta', 'Iwona'];
const menFirstNames = ['Piotr', 'Krzysztof', 'Andrzej', 'Tomasz', 'Jan', 'Paweł', 'Michał', 'Marcin', 'Grzegorz', 'Józef', 'Łukasz', 'Adam', 'Zbigniew', 'Jerzy', 'Tadeusz', 'Mateusz', 'Dariusz', 'Mariusz', 'Wojciech', 'Ryszard'];
/** Surnames as a man bears them, and as a woman does where the form changes (-ski, -ska). */
const lastNames: ReadonlyArray<readonly [string, string]> = [
  ['Nowak', 'Nowak'], ['Kowalski', 'Kowalska'], ['Wiśniewski', 'Wiśniewska'], ['Wójcik', 'Wójcik'], ['Kowalczyk', 'Kowalczyk'],
  ['Kamiński', 'Kamińska'], ['Lewandowski', 'Lewandowska'], ['Zieliński', 'Zielińska'], ['Szymański', 'Szymańska'], ['Woźniak', 'Woźniak'],
  ['Dąbrowski', 'Dąbrowska'], ['Kozłowski', 'Kozłowska'], ['Jankowski', 'Jankowska'], ['Mazur', 'Mazur'], ['Kwiatkowski', 'Kwiatkowska'],
  ['Krawczyk', 'Krawczyk'], ['Piotrowski', 'Piotrowska'], ['Grabowski', 'Grabowska'], ['Nowakowski', 'Nowakowska'], ['Pawłowski', 'Pawłowska'],
  ['Michalski', 'Michalska'], ['Król', 'Król'], ['Wieczorek', 'Wieczorek'], ['Jabłoński', 'Jabłońska'], ['Wróbel', 'Wróbel'],
  ['Nowicki', 'Nowicka'], ['Majewski', 'Majewska'], ['Olszewski', 'Olszewska'], ['Stępień', 'Stępień'], ['Malinowski', 'Malinowska'],
];
const companyWords = ['Alfa', 'Beta', 'Delta', 'Omega', 'Polmex', 'Budmat', 'Transbud', 'Agrotech', 'Elektromont', 'Termix', 'Hydrobud', 'Logistyka', 'Drewpol', 'Metalplast', 'Ekoserwis', 'Mediq', 'Intercars', 'Optima', 'Bałtyk', 'Mazowsze', 'Wisła', 'Karpaty', 'Sudety', 'Warta', 'Odra'];
const companyForms = ['sp. z o.o.', 'S.A.', 'sp. j.', 'sp. k.', 's.c.'];
const streets = ['Kwiatowa', 'Polna', 'Leśna', 'Słoneczna', 'Krótka', 'Szkolna', 'Ogrodowa', 'Lipowa', 'Brzozowa', 'Łąkowa', 'Kościuszki', 'Mickiewicza', 'Sienkiewicza', 'Piłsudskiego', 'Żeromskiego', 'Kolejowa', 'Przemysłowa', 'Fabryczna'];
/** Cities with the first two digits of their postal codes. */
const cities: ReadonlyArray<readonly [string, string]> = [
  ['Warszawa', '00'], ['Kraków', '30'], ['Łódź', '90'], ['Wrocław', '50'], ['Poznań', '60'], ['Gdańsk', '80'], ['Szczecin', '70'], ['Bydgoszcz', '85'],
  ['Lublin', '20'], ['Białystok', '15'], ['Katowice', '40'], ['Gdynia', '81'], ['Częstochowa', '42'], ['Radom', '26'], ['Toruń', '87'], ['Rzeszów', '35'],
  ['Kielce', '25'], ['Olsztyn', '10'], ['Opole', '45'], ['Zielona Góra', '65'], ['Płock', '09'], ['Elbląg', '82'], ['Tarnów', '33'], ['Zamość', '22'],
];

export type Person = { firstName: string; lastName: string };

export function personFrom(random: Random): Person {
  const isWoman = random() < 0.5;
  const [manForm, womanForm] = pick(random, lastNames);
  return { firstName: pick(random, isWoman ? womenFirstNames : menFirstNames), lastName: isWoman ? womanForm : manForm };
}

/** Letters an e-mail address keeps of a name: no diacritics, no spaces. */
export function asciiOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/ł/g, 'l')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '');
}

export type CustomerData = { name: string; taxId: string | null; street: string; postalCode: string; city: string; email: string; phone: string; bankAccount: string | null };

/**
 * One customer: a company (about 60%, with a NIP) or a household (a person's name, no NIP), with
 * an address, an e-mail at a made-up domain and a phone; one in three gives a bank account.
 */
export function customerFrom(random: Random, index: number): CustomerData {
  const [city, postalPrefix] = pick(random, cities);
  const address = { street: `ul. ${pick(random, streets)} ${between(random, 1, 120)}`, postalCode: `${postalPrefix}-${String(between(random, 1, 999)).padStart(3, '0')}`, city };
  const phone = `+48 ${between(random, 500, 799)} ${between(random, 100, 999)} ${between(random, 100, 999)}`;
  const bankAccount = random() < 0.33 ? nrbFrom(random) : null;
  if (random() < 0.6) {
    const word = pick(random, companyWords);
    const name = `${word} ${pick(random, [...lastNames.map(([manForm]) => manForm), 'Serwis', 'Handel', 'Usługi'])} ${pick(random, companyForms)}`;
    return { name, taxId: nipFrom(random), ...address, email: `biuro${index}@${asciiOf(word)}.example`, phone, bankAccount };
  }
  const person = personFrom(random);
  return { name: `${person.firstName} ${person.lastName}`, taxId: null, ...address, email: `${asciiOf(person.firstName)}.${asciiOf(person.lastName)}${index}@poczta.example`, phone, bankAccount };
}

const nipWeights = [6, 5, 7, 2, 3, 4, 5, 6, 7];

/** A NIP whose check digit is right (src/lib/nip.ts): nine digits drawn again until the remainder is not 10. */
export function nipFrom(random: Random): string {
  for (;;) {
    const digits = [between(random, 1, 9), ...Array.from({ length: 8 }, () => between(random, 0, 9))];
    const remainder = digits.reduce((sum, digit, position) => sum + digit * nipWeights[position]!, 0) % 11;
    if (remainder !== 10) return `${digits.join('')}${remainder}`;
  }
}

/** A Polish account number (NRB, 26 digits) whose two check digits are right (ISO 13616, mod 97). */
export function nrbFrom(random: Random): string {
  const bank = pick(random, ['10201026', '10901014', '11402004', '12401037', '10501214']);
  const basic = `${bank}${Array.from({ length: 16 }, () => between(random, 0, 9)).join('')}`;
  // "PL" is 25 21 in the mod-97 check; the check digits go where "00" stands.
  const check = 98 - Number(BigInt(`${basic}252100`) % 97n);
  return `${String(check).padStart(2, '0')}${basic}`;
}

const ticketSubjects = [
  ['Awaria ogrzewania', 'Od rana nie działa ogrzewanie w biurze, grzejniki są zimne.'],
  ['Przegląd okresowy', 'Prosimy o umówienie corocznego przeglądu urządzeń.'],
  ['Pytanie o fakturę', 'Na ostatniej fakturze widzimy pozycję, której nie rozumiemy. Prosimy o wyjaśnienie.'],
  ['Zmiana terminu wizyty', 'Czy można przesunąć wizytę serwisanta na przyszły tydzień?'],
  ['Wymiana filtra', 'Prosimy o wymianę filtra w centrali wentylacyjnej.'],
  ['Nieszczelność instalacji', 'W piwnicy pojawiła się woda przy zaworze głównym.'],
  ['Prośba o spotkanie', 'Chcielibyśmy omówić rozszerzenie umowy serwisowej.'],
  ['Brak dostępu do portalu', 'Nowy pracownik potrzebuje konta w portalu klienta.'],
] as const;

const replies = [
  'Dziękujemy za zgłoszenie, serwisant skontaktuje się w ciągu dwóch dni roboczych.',
  'Proszę o podanie numeru urządzenia z tabliczki znamionowej.',
  'Numer urządzenia to 4711, zdjęcie tabliczki w załączeniu.',
  'Wizyta umówiona na czwartek między 9:00 a 12:00.',
  'Serwisant był na miejscu, usterka usunięta.',
  'Potwierdzam, wszystko działa poprawnie. Dziękuję.',
  'Czy możemy prosić o kosztorys przed wykonaniem prac?',
  'Kosztorys wysłany na adres e-mail biura.',
] as const;

export const ticketSubjectFrom = (random: Random) => pick(random, ticketSubjects);
export const replyFrom = (random: Random) => pick(random, replies);
