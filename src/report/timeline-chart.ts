import { escapeHtml } from './escape-html.js';

const HOUR_MS = 3_600_000;

export interface TimelineChartOptions {
  width?: number;
  height?: number;
  /** Draws a marker at the campaign's first flag. */
  firstFlaggedAt?: string | null;
}

/**
 * An inline SVG bar chart of exchanges per hour, with the first flag marked: how much was served
 * before the stop is visible at a glance. Hours missing from the series are zero.
 */
export function renderTimelineChart(
  timeline: readonly { hour: string; exchanges: number }[],
  { width = 720, height = 140, firstFlaggedAt = null }: TimelineChartOptions = {},
): string {
  const points = timeline
    .map(({ hour, exchanges }) => ({ time: Date.parse(hour), exchanges }))
    .filter(({ time, exchanges }) => Number.isFinite(time) && Number.isFinite(exchanges))
    .sort((left, right) => left.time - right.time);
  if (points.length === 0) return '<p class="muted">No timeline.</p>';
  const margin = { left: 48, right: 12, top: 12, bottom: 26 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const start = points[0]!.time;
  const end = points[points.length - 1]!.time + HOUR_MS;
  const span = Math.max(end - start, HOUR_MS);
  const peak = Math.max(1, ...points.map(({ exchanges }) => exchanges));
  const x = (time: number) => margin.left + ((time - start) / span) * plotWidth;
  const barWidth = Math.max(1, (HOUR_MS / span) * plotWidth - 1);
  const bars = points
    .map(({ time, exchanges }) => {
      const barHeight = (exchanges / peak) * plotHeight;
      return `<rect x="${x(time).toFixed(1)}" y="${(margin.top + plotHeight - barHeight).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${barHeight.toFixed(1)}"><title>${escapeHtml(new Date(time).toISOString().slice(0, 13))}:00Z — ${exchanges} exchanges</title></rect>`;
    })
    .join('');
  const flagTime = firstFlaggedAt === null ? Number.NaN : Date.parse(firstFlaggedAt);
  const flag =
    Number.isFinite(flagTime) && flagTime >= start && flagTime <= end
      ? `<line class="flag" x1="${x(flagTime).toFixed(1)}" x2="${x(flagTime).toFixed(1)}" y1="${margin.top}" y2="${margin.top + plotHeight}"/><text class="flag" x="${(x(flagTime) + 4).toFixed(1)}" y="${margin.top + 10}">first flag</text>`
      : '';
  const baseline = margin.top + plotHeight;
  const label = (time: number) => new Date(time).toISOString().slice(0, 16).replace('T', ' ');
  return (
    `<svg class="timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Exchanges per hour">` +
    `<line class="axis" x1="${margin.left}" x2="${width - margin.right}" y1="${baseline}" y2="${baseline}"/>` +
    `<text x="${margin.left - 6}" y="${margin.top + 8}" text-anchor="end">${peak}</text>` +
    `<text x="${margin.left - 6}" y="${baseline}" text-anchor="end">0</text>` +
    `<g class="bars">${bars}</g>${flag}` +
    `<text x="${margin.left}" y="${height - 6}">${label(start)}</text>` +
    `<text x="${width - margin.right}" y="${height - 6}" text-anchor="end">${label(end)} UTC</text>` +
    '</svg>'
  );
}
