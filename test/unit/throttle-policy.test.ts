import { describe, expect, it } from 'vitest';
import { throttlePolicy, waitAfter } from '../../src/models/login-throttle.js';

const free = throttlePolicy.login.freeFailures;

describe('waitAfter', () => {
  it('makes no one wait below the free failures', () => {
    for (let failures = 0; failures < free; failures += 1) expect(waitAfter(failures, free)).toBe(0);
  });

  it('makes a login wait 30 seconds once it reaches the threshold', () => {
    expect(free).toBe(5);
    expect(waitAfter(5, 5)).toBe(30);
  });

  it('doubles the wait with each further failure', () => {
    expect([6, 7, 8, 9].map((failures) => waitAfter(failures, 5))).toEqual([60, 120, 240, 480]);
  });

  it('never makes anyone wait longer than one hour', () => {
    expect(waitAfter(12, 5)).toBe(3600);
    expect(waitAfter(1000, 5)).toBe(3600);
    expect(waitAfter(Number.MAX_SAFE_INTEGER, 5)).toBe(3600);
  });

  it('reaches the hour cap at the eighth failure past the threshold, not sooner', () => {
    expect(waitAfter(11, 5)).toBe(30 * 2 ** 6);
    expect(waitAfter(12, 5)).toBe(60 * 60);
  });

  it('applies the higher threshold for an IP address in the same way', () => {
    expect(waitAfter(throttlePolicy.ip.freeFailures - 1, throttlePolicy.ip.freeFailures)).toBe(0);
    expect(waitAfter(throttlePolicy.ip.freeFailures, throttlePolicy.ip.freeFailures)).toBe(30);
    expect(waitAfter(throttlePolicy.ip.freeFailures + 1, throttlePolicy.ip.freeFailures)).toBe(60);
  });
});
