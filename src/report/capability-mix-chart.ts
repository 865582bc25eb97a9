import { escapeHtml } from './escape-html.js';

const CAPABILITY_COLORS: Record<string, string> = {
  coding: '#2b6cb0',
  math_reasoning: '#805ad5',
  agentic_tool_use: '#dd6b20',
  computer_use: '#c05621',
  vision: '#2f855a',
  creative_writing: '#d53f8c',
  rubric_grading: '#b7791f',
  translation: '#319795',
  data_extraction: '#4a5568',
  general_chat: '#718096',
};

const FALLBACK_COLORS = ['#38a169', '#e53e3e', '#3182ce', '#d69e2e', '#00a3c4', '#9f7aea'];

/** Colour for a capability category: fixed for known ones, stable by name for the rest. */
export function capabilityColor(category: string): string {
  const known = CAPABILITY_COLORS[category];
  if (known !== undefined) return known;
  let hash = 0;
  for (const character of category) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return FALLBACK_COLORS[hash % FALLBACK_COLORS.length]!;
}

/** A 100% stacked bar (inline SVG) with a legend: which capabilities a campaign harvests. */
export function renderCapabilityMix(mix: Readonly<Record<string, number>>, width = 720): string {
  const entries = Object.entries(mix)
    .filter(([, share]) => Number.isFinite(share) && share > 0)
    .sort(([, left], [, right]) => right - left);
  const total = entries.reduce((sum, [, share]) => sum + share, 0);
  if (total === 0) return '<p class="muted">No capability mix.</p>';
  let offset = 0;
  const segments = entries
    .map(([category, share]) => {
      const segmentWidth = (share / total) * width;
      const rect = `<rect x="${offset.toFixed(1)}" y="0" width="${segmentWidth.toFixed(1)}" height="18" fill="${capabilityColor(category)}"><title>${escapeHtml(category)}: ${percent(share / total)}</title></rect>`;
      offset += segmentWidth;
      return rect;
    })
    .join('');
  const legend = entries
    .map(
      ([category, share]) =>
        `<li><span class="swatch" style="background:${capabilityColor(category)}"></span>${escapeHtml(category)} ${percent(share / total)}</li>`,
    )
    .join('');
  return `<svg class="mix" viewBox="0 0 ${width} 18" width="${width}" height="18" role="img" aria-label="Capability mix">${segments}</svg><ul class="legend">${legend}</ul>`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}
