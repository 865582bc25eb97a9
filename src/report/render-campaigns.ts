import type { Campaign } from '../detect/verdict.js';
import { renderCapabilityMix } from './capability-mix-chart.js';
import { escapeHtml } from './escape-html.js';
import { formatInteger, formatTime, reasonTitle } from './format-values.js';
import { renderTimelineChart } from './timeline-chart.js';

export interface CampaignSectionOptions {
  maxCampaignRows: number;
  maxCampaignDetails: number;
  maxIndicators: number;
  maxAccountsListed: number;
}

/** The sortable, filterable campaign table; each id links to its detail panel. */
export function renderCampaignTable(
  campaigns: readonly Campaign[],
  { maxCampaignRows, maxCampaignDetails }: CampaignSectionOptions,
): string {
  if (campaigns.length === 0) return '<p class="muted">No campaigns found.</p>';
  const rows = campaigns
    .slice(0, maxCampaignRows)
    .map((campaign, index) => {
      const id = escapeHtml(campaign.campaign_id);
      const link = index < maxCampaignDetails ? `<a href="#campaign-${index}">${id}</a>` : id;
      return (
        '<tr>' +
        `<td class="id" title="${id}">${link}</td>` +
        `<td class="number" data-sort="${campaign.confidence}">${campaign.confidence.toFixed(2)}</td>` +
        `<td class="number" data-sort="${campaign.accounts.length}">${formatInteger(campaign.accounts.length)}</td>` +
        `<td class="number" data-sort="${campaign.resellers.length}">${formatInteger(campaign.resellers.length)}</td>` +
        `<td class="number" data-sort="${campaign.exchange_count}">${formatInteger(campaign.exchange_count)}</td>` +
        `<td data-sort="${escapeHtml(campaign.first_seen)}">${formatTime(campaign.first_seen)}</td>` +
        `<td data-sort="${escapeHtml(campaign.first_flagged_at ?? '~')}">${campaign.first_flagged_at === null ? 'never' : formatTime(campaign.first_flagged_at)}</td>` +
        `<td>${escapeHtml(topEntries(campaign.models, 3))}</td>` +
        `<td>${escapeHtml(topEntries(campaign.capability_mix, 2))}</td>` +
        '</tr>'
      );
    })
    .join('\n');
  const note =
    campaigns.length > maxCampaignRows
      ? `<p class="note">Showing the ${formatInteger(maxCampaignRows)} most confident of ${formatInteger(campaigns.length)} campaigns; campaigns.json has them all.</p>`
      : '';
  return `${note}<div class="controls"><input type="search" id="campaign-filter" data-filter-for="campaigns" placeholder="Filter campaigns (id, model, capability)" aria-label="Filter campaigns"><span id="campaigns-count" class="muted"></span></div>
<table id="campaigns" data-sortable><thead><tr><th>Campaign</th><th class="number" data-type="number">Confidence</th><th class="number" data-type="number">Accounts</th><th class="number" data-type="number">Resellers</th><th class="number" data-type="number">Exchanges</th><th>First seen</th><th>First flagged</th><th>Models</th><th>Top capabilities</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

/** One collapsible panel per campaign: timeline, capability mix, models, linkage evidence, reasons, accounts. */
export function renderCampaignDetails(
  campaigns: readonly Campaign[],
  { maxCampaignDetails, maxIndicators, maxAccountsListed }: CampaignSectionOptions,
): string {
  const panels = campaigns.slice(0, maxCampaignDetails).map((campaign, index) => {
    const indicators = [...campaign.indicators].sort((left, right) => right.count - left.count);
    const indicatorRows = indicators
      .slice(0, maxIndicators)
      .map(
        (indicator) =>
          `<tr><td>${escapeHtml(indicator.type)}</td><td class="id" title="${escapeHtml(indicator.value)}">${escapeHtml(indicator.value)}</td><td class="number" data-sort="${indicator.count}">${formatInteger(indicator.count)}</td><td data-sort="${escapeHtml(indicator.first_seen)}">${formatTime(indicator.first_seen)}</td><td data-sort="${escapeHtml(indicator.last_seen)}">${formatTime(indicator.last_seen)}</td></tr>`,
      )
      .join('');
    const moreIndicators =
      indicators.length > maxIndicators
        ? `<p class="muted">and ${formatInteger(indicators.length - maxIndicators)} more indicators in campaigns.json</p>`
        : '';
    const reasons = campaign.reasons
      .map(
        (reason) =>
          `<li><span class="reason-code">${escapeHtml(reasonTitle(reason.code))}</span>${escapeHtml(reason.detail)}</li>`,
      )
      .join('');
    const models = Object.entries(campaign.models)
      .sort(([, left], [, right]) => right - left)
      .map(
        ([model, count]) =>
          `<tr><td>${escapeHtml(model)}</td><td class="number">${formatInteger(count)}</td></tr>`,
      )
      .join('');
    const listed = campaign.accounts.slice(0, maxAccountsListed).map(escapeHtml).join(', ');
    const moreAccounts =
      campaign.accounts.length > maxAccountsListed
        ? ` … and ${formatInteger(campaign.accounts.length - maxAccountsListed)} more (filter the flagged-accounts table by this campaign)`
        : '';
    const resellers =
      campaign.resellers.length > 0
        ? `<p><strong>Resellers carrying this campaign:</strong> <span class="ids">${campaign.resellers.map(escapeHtml).join(', ')}</span></p>`
        : '';
    return `<details class="campaign" id="campaign-${index}"${index < 3 ? ' open' : ''}>
<summary>${escapeHtml(campaign.campaign_id)} — ${formatInteger(campaign.accounts.length)} accounts, ${formatInteger(campaign.exchange_count)} exchanges, confidence ${campaign.confidence.toFixed(2)}</summary>
<p class="muted">First seen ${formatTime(campaign.first_seen)}, first flagged ${campaign.first_flagged_at === null ? 'never' : formatTime(campaign.first_flagged_at)}, last seen ${formatTime(campaign.last_seen)} (UTC).</p>
<h3>Exchanges per hour</h3>
${renderTimelineChart(campaign.timeline, { firstFlaggedAt: campaign.first_flagged_at })}
<h3>Capability mix</h3>
${renderCapabilityMix(campaign.capability_mix)}
<div class="grid2"><div><h3>Why</h3>${reasons === '' ? '<p class="muted">No reasons recorded.</p>' : `<ul class="reasons">${reasons}</ul>`}</div>
<div><h3>Models</h3><table><thead><tr><th>Model</th><th class="number">Exchanges</th></tr></thead><tbody>${models}</tbody></table></div></div>
<h3>Linkage evidence</h3>
${indicatorRows === '' ? '<p class="muted">No shared indicators.</p>' : `<table data-sortable><thead><tr><th>Type</th><th>Value</th><th class="number" data-type="number">Count</th><th>First seen</th><th>Last seen</th></tr></thead><tbody>${indicatorRows}</tbody></table>${moreIndicators}`}
${resellers}
<h3>Accounts</h3><p class="ids">${listed}${moreAccounts}</p>
</details>`;
  });
  const note =
    campaigns.length > maxCampaignDetails
      ? `<p class="note">Details shown for the ${formatInteger(maxCampaignDetails)} most confident campaigns.</p>`
      : '';
  return note + panels.join('\n');
}

function topEntries(record: Readonly<Record<string, number>>, count: number): string {
  return Object.entries(record)
    .sort(([, left], [, right]) => right - left)
    .slice(0, count)
    .map(([name]) => name)
    .join(', ');
}
