import { agingBuckets, type AgingBucket } from '../lib/aging.js';
import { formatAmount, type Money } from '../lib/money.js';
import { barHeight } from './money-chart.js';

/**
 * The aging totals as a bar chart (M9), drawn as SVG on the server by views/partials/aging-chart.ejs:
 * one bar per bucket, as tall as its amount against the largest bucket, every coordinate worked out
 * here so the view only writes them out. What is not yet due has its own colour; overdue buckets
 * share the warning colour.
 */
/** The words of each bucket: written out so that the locale test finds every key. */
export const agingBucketLabels: Record<AgingBucket, string> = {
  current: 'reports:bucket.current',
  days1to30: 'reports:bucket.days1to30',
  days31to60: 'reports:bucket.days31to60',
  days61to90: 'reports:bucket.days61to90',
  over90: 'reports:bucket.over90',
};
const shortLabels: Record<AgingBucket, string> = {
  current: 'reports:bucketShort.current',
  days1to30: 'reports:bucketShort.days1to30',
  days31to60: 'reports:bucketShort.days31to60',
  days61to90: 'reports:bucketShort.days61to90',
  over90: 'reports:bucketShort.over90',
};

export type AgingChartBar = { bucket: AgingBucket; label: string; shortLabel: string; x: number; y: number; height: number; centre: number; text: string; isOverdue: boolean };
export type AgingChart = { width: number; height: number; plot: { left: number; top: number; right: number; bottom: number }; ticks: Array<{ y: number; text: string }>; bars: AgingChartBar[]; isEmpty: boolean };

const plotHeight = 160;
const top = 12;
const left = 100;
const slotWidth = 96;
const barWidth = 40;

export function agingChartOf(buckets: Record<AgingBucket, Money>, currency: string, locale: string): AgingChart {
  const largest = agingBuckets.reduce((most, bucket) => (buckets[bucket].minor > most ? buckets[bucket].minor : most), 0n);
  const bottom = top + plotHeight;
  const money = (minor: bigint) => formatAmount({ minor, currency }, locale);
  const bars = agingBuckets.map((bucket, index) => {
    const height = barHeight(buckets[bucket].minor, largest);
    const centre = left + index * slotWidth + slotWidth / 2;
    return { bucket, label: agingBucketLabels[bucket], shortLabel: shortLabels[bucket], x: centre - barWidth / 2, y: Math.round((bottom - height) * 10) / 10, height, centre, text: money(buckets[bucket].minor), isOverdue: bucket !== 'current' };
  });
  const ticks = largest > 0n ? [{ y: top, text: money(largest) }, { y: top + plotHeight / 2, text: money(largest / 2n) }, { y: bottom, text: money(0n) }] : [];
  const right = left + agingBuckets.length * slotWidth;
  return { width: right + 8, height: bottom + 28, plot: { left, top, right, bottom }, ticks, bars, isEmpty: largest === 0n };
}
