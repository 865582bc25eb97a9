import type { Campaign } from '../detect/verdict.js';
import { escapeHtml } from './escape-html.js';

const HOUR_MS = 3_600_000;
const SERIES_COLORS = [
  '#2b6cb0',
  '#dd6b20',
  '#2f855a',
  '#805ad5',
  '#c53030',
  '#319795',
  '#b7791f',
  '#d53f8c',
];
const OTHER_COLOR = '#a0aec0';

/**
 * Exchanges per hour of every campaign, stacked (the largest eight by name, the rest as
 * "other"), with each campaign's first flag as a tick in its colour: when campaigns ran and how
 * quickly each was caught, on one axis.
 */
export function renderOverviewChart(
  campaigns: readonly Campaign[],
  { width = 960, height = 180 }: { width?: number; height?: number } = {},
): string {
  const ranked = [...campaigns].sort((left, right) => right.exchange_count - left.exchange_count);
  const named = ranked.slice(0, SERIES_COLORS.length);
  const series = new Map<number, number[]>();
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  ranked.forEach((campaign, rank) => {
    const slot = Math.min(rank, SERIES_COLORS.length);
    for (const { hour, exchanges } of campaign.timeline) {
      const time = Date.parse(hour);
      if (!Number.isFinite(time) || !Number.isFinite(exchanges)) continue;
      const bucket = Math.floor(time / HOUR_MS) * HOUR_MS;
      start = Math.min(start, bucket);
      end = Math.max(end, bucket + HOUR_MS);
      const stack = series.get(bucket) ?? new Array<number>(SERIES_COLORS.length + 1).fill(0);
      stack[slot] = (stack[slot] ?? 0) + exchanges;
      series.set(bucket, stack);
    }
  });
  if (series.size === 0) return '';
  const margin = { left: 56, right: 12, top: 10, bottom: 24 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const span = Math.max(end - start, HOUR_MS);
  const peak = Math.max(
    1,
    ...[...series.values()].map((stack) => stack.reduce((a, b) => a + b, 0)),
  );
  const x = (time: number) => margin.left + ((time - start) / span) * plotWidth;
  const barWidth = Math.max(1, (HOUR_MS / span) * plotWidth - 0.5);
  const baseline = margin.top + plotHeight;
  const bars: string[] = [];
  for (const [bucket, stack] of [...series.entries()].sort(([left], [right]) => left - right)) {
    let top = baseline;
    stack.forEach((count, slot) => {
      if (count === 0) return;
      const barHeight = (count / peak) * plotHeight;
      top -= barHeight;
      bars.push(
        `<rect x="${x(bucket).toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${SERIES_COLORS[slot] ?? OTHER_COLOR}"/>`,
      );
    });
  }
  const flags = named
    .map((campaign, slot) => {
      const time =
        campaign.first_flagged_at === null ? Number.NaN : Date.parse(campaign.first_flagged_at);
      if (!Number.isFinite(time) || time < start || time > end) return '';
      return `<path d="M${x(time).toFixed(1)} ${baseline + 2} l-4 7 h8 z" fill="${SERIES_COLORS[slot]}"><title>${escapeHtml(campaign.campaign_id)} first flagged ${escapeHtml(campaign.first_flagged_at ?? '')}</title></path>`;
    })
    .join('');
  const legend = named
    .map(
      (campaign, slot) =>
        `<li><span class="swatch" style="background:${SERIES_COLORS[slot]}"></span>${escapeHtml(campaign.campaign_id)}</li>`,
    )
    .concat(
      ranked.length > named.length
        ? [
            `<li><span class="swatch" style="background:${OTHER_COLOR}"></span>${ranked.length - named.length} other campaigns</li>`,
          ]
        : [],
    )
    .join('');
  const label = (time: number) => new Date(time).toISOString().slice(0, 16).replace('T', ' ');
  return (
    `<svg class="overview" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Campaign exchanges per hour">` +
    `<line class="axis" x1="${margin.left}" x2="${width - margin.right}" y1="${baseline}" y2="${baseline}"/>` +
    `<text x="${margin.left - 6}" y="${margin.top + 8}" text-anchor="end">${peak}/h</text>` +
    `<g>${bars.join('')}</g>${flags}` +
    `<text x="${margin.left}" y="${height - 4}">${label(start)}</text>` +
    `<text x="${width - margin.right}" y="${height - 4}" text-anchor="end">${label(end)} UTC</text>` +
    `</svg><ul class="legend">${legend}<li class="muted">▲ first flag</li></ul>`
  );
}
