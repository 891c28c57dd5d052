import { describe, expect, it } from 'vitest';
import { lineNet, pricingTotals } from '../../src/models/cost-line-totals.js';
import { findVatRate, vatRatesFor } from '../../src/models/vat-rates.js';

const line = (quantity: number, unitPrice: number, vatRate = '23') => ({ quantityThousandths: quantity, unitPriceMinor: unitPrice, vatRate });

describe('the net value of a cost line', () => {
  it('is hours × rate rounded once to whole grosze, half up', () => {
    expect(lineNet(line(1500, 12000))).toBe(18000);
    // 0.75 h × 33.33 zł = 24.9975 zł → 25.00 zł
    expect(lineNet(line(750, 3333))).toBe(2500);
    // 0.125 m × 0.99 zł = 0.12375 zł → 0.12 zł
    expect(lineNet(line(125, 99))).toBe(12);
    // 0.5 × 0.01 zł = half a grosz → 0.01 zł
    expect(lineNet(line(500, 1))).toBe(1);
  });
});

describe('the totals of a ticket’s cost lines', () => {
  it('adds net, VAT and gross per rate and overall', () => {
    const totals = pricingTotals([line(2000, 15000), line(1000, 4999, '8'), line(1000, 10000)], 'PLN');
    expect(totals.byRate).toEqual([
      { vatRate: '23', net: 40000, vat: 9200, gross: 49200 },
      { vatRate: '8', net: 4999, vat: 400, gross: 5399 },
    ]);
    expect(totals).toMatchObject({ net: 44999, vat: 9600, gross: 54599 });
  });

  it('works VAT out per rate: three lines of one grosz at 23% have one grosz of VAT, not none', () => {
    const totals = pricingTotals([line(1000, 1), line(1000, 1), line(1000, 1)], 'PLN');
    expect(totals).toMatchObject({ net: 3, vat: 1, gross: 4 });
  });

  it('rounds the VAT of a rate half up: 23% of 0.50 zł is 0.115 zł, so 0.12 zł', () => {
    expect(pricingTotals([line(1000, 50)], 'PLN')).toMatchObject({ net: 50, vat: 12, gross: 62 });
    expect(pricingTotals([line(1000, 49)], 'PLN')).toMatchObject({ net: 49, vat: 11, gross: 60 });
  });

  it('keeps exempt, not applicable and 0% apart, each without VAT', () => {
    const totals = pricingTotals([line(1000, 100, 'np'), line(1000, 200, 'zw'), line(1000, 300, '0')], 'PLN');
    expect(totals.byRate).toEqual([
      { vatRate: '0', net: 300, vat: 0, gross: 300 },
      { vatRate: 'zw', net: 200, vat: 0, gross: 200 },
      { vatRate: 'np', net: 100, vat: 0, gross: 100 },
    ]);
    expect(totals.gross).toBe(600);
  });

  it('is all zeros without lines', () => {
    expect(pricingTotals([], 'PLN')).toEqual({ byRate: [], net: 0, vat: 0, gross: 0 });
  });

  it('refuses a rate the currency does not have', () => {
    expect(() => pricingTotals([line(1000, 100, '20')], 'PLN')).toThrow(RangeError);
  });
});

describe('the VAT rates', () => {
  it('are the Polish ones for a PLN tenant, exempt and not applicable being codes of their own', () => {
    expect(vatRatesFor('PLN').map((rate) => rate.code)).toEqual(['23', '8', '5', '0', 'zw', 'np']);
    expect(findVatRate('PLN', 'zw')?.labelKey).toBe('pricing:vat.exempt');
    expect(findVatRate('PLN', '7')).toBeUndefined();
    expect(vatRatesFor('XYZ')).toEqual([]);
  });

  it('are the Slovak ones for an EUR tenant (23%, 19%, 5% since 2025), the Polish 8% not among them', () => {
    expect(vatRatesFor('EUR').map((rate) => rate.code)).toEqual(['23', '19', '5', '0', 'zw', 'np']);
    expect(findVatRate('EUR', '19')?.rate).toEqual({ digits: 19n, scale: 2 });
    expect(findVatRate('EUR', '8')).toBeUndefined();
    expect(findVatRate('PLN', '19')).toBeUndefined();
  });
});
