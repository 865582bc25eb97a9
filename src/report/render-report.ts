import { createHash } from 'node:crypto';
import type { Campaign, Verdict } from '../detect/verdict.js';
import { buildAccountData } from './account-data.js';
import { escapeHtml, jsonForScript } from './escape-html.js';
import { formatInteger, reasonTitle } from './format-values.js';
import { renderOverviewChart } from './overview-chart.js';
import { renderCampaignDetails, renderCampaignTable } from './render-campaigns.js';
import { REPORT_SCRIPT } from './report-script.js';
import { REPORT_STYLE } from './report-style.js';

/** What `analyze` knows when it writes `report.html`. */
export interface ReportInput {
  /** RFC 3339. */
  generatedAt: string;
  verdicts: Verdict[];
  campaigns: Campaign[];
  inputs: { files: string[]; exchanges: number; accounts: number; rejectedLines: number };
}

/** Caps that keep the file small and the page fast at real scale (25,000+ flagged accounts). */
export interface ReportOptions {
  /** Flagged accounts embedded for the paginated table (most severe first). Default 50,000. */
  maxAccounts?: number;
  maxReasonsPerAccount?: number;
  maxDetailLength?: number;
  pageSize?: number;
  maxCampaignRows?: number;
  maxCampaignDetails?: number;
  maxIndicators?: number;
  maxAccountsListed?: number;
}

const SCRIPT_HASH = createHash('sha256').update(REPORT_SCRIPT).digest('base64');

// Nothing may load from anywhere (the report opens offline and must not phone home), and only
// this file's own script may run: an injected <script> would be blocked even if escaping failed.
const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

/**
 * Renders the self-contained `report.html`: summary cards, the campaign table, per-campaign
 * timeline, capability mix, linkage evidence and reasons, and the flagged accounts with their
 * reasons. Inline CSS, inline SVG, one inline script; no external URL. Everything from the log
 * is HTML-escaped.
 *
 * @example
 * await writeFile(join(out, 'report.html'), renderReport({ generatedAt, verdicts, campaigns, inputs }));
 */
export function renderReport(input: ReportInput, options: ReportOptions = {}): string {
  const {
    maxAccounts = 50_000,
    maxReasonsPerAccount = 8,
    maxDetailLength = 200,
    pageSize = 100,
    maxCampaignRows = 2_000,
    maxCampaignDetails = 200,
    maxIndicators = 50,
    maxAccountsListed = 50,
  } = options;
  const sectionOptions = { maxCampaignRows, maxCampaignDetails, maxIndicators, maxAccountsListed };
  const campaigns = [...input.campaigns].sort(
    (left, right) =>
      right.confidence - left.confidence ||
      right.exchange_count - left.exchange_count ||
      (left.campaign_id < right.campaign_id ? -1 : 1),
  );
  const counts = { attack: 0, suspect: 0, clean: 0 };
  const reasonAccounts = new Map<string, number>();
  for (const verdict of input.verdicts) {
    counts[verdict.verdict]++;
    if (verdict.verdict === 'clean') continue;
    for (const code of new Set(verdict.reasons.map((reason) => reason.code))) {
      reasonAccounts.set(code, (reasonAccounts.get(code) ?? 0) + 1);
    }
  }
  const { data, flagged } = buildAccountData(input.verdicts, {
    maxAccounts,
    maxReasonsPerAccount,
    maxDetailLength,
    pageSize,
  });
  const campaignExchanges = campaigns.reduce((sum, campaign) => sum + campaign.exchange_count, 0);
  const cards: [string, number, string?][] = [
    ['Exchanges analysed', input.inputs.exchanges],
    ['Accounts seen', input.verdicts.length],
    ['Attack accounts', counts.attack, 'attack'],
    ['Suspect accounts', counts.suspect, 'suspect'],
    ['Campaigns', campaigns.length],
    ['Campaign exchanges', campaignExchanges],
    ['Account records', input.inputs.accounts],
    ['Rejected lines', input.inputs.rejectedLines],
  ];
  const cardHtml = cards
    .map(
      ([label, value, kind]) =>
        `<div class="card${kind ? ` ${kind}` : ''}"><div class="value">${formatInteger(value)}</div><div class="label">${escapeHtml(label)}</div></div>`,
    )
    .join('');
  const reasonRows = [...reasonAccounts.entries()]
    .sort(([leftCode, left], [rightCode, right]) => right - left || (leftCode < rightCode ? -1 : 1))
    .map(
      ([code, accounts]) =>
        `<tr><td><span class="reason-code">${escapeHtml(reasonTitle(code))}</span> <span class="muted">${escapeHtml(code)}</span></td><td class="number" data-sort="${accounts}">${formatInteger(accounts)}</td></tr>`,
    )
    .join('');
  const campaignOptions = campaigns
    .map(
      (campaign) =>
        `<option value="${escapeHtml(campaign.campaign_id)}">${escapeHtml(campaign.campaign_id)}</option>`,
    )
    .join('');
  const accountNote =
    flagged > data.accounts.length
      ? `<p class="note">The table holds the ${formatInteger(data.accounts.length)} most severe of ${formatInteger(flagged)} flagged accounts; verdicts.jsonl has them all.</p>`
      : '';
  const files = input.inputs.files.map((file) => `<code>${escapeHtml(file)}</code>`).join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>distillguard report — ${escapeHtml(input.generatedAt)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>distillguard — distillation campaigns</h1>
<div class="muted">Generated ${escapeHtml(input.generatedAt)} from ${files || 'no files'}.</div>
</header>
<main>
<section class="cards" aria-label="Summary">${cardHtml}</section>
<h2>Campaigns</h2>
${renderOverviewChart(campaigns)}
${renderCampaignTable(campaigns, sectionOptions)}
<h2>Why accounts were flagged</h2>
${reasonRows === '' ? '<p class="muted">No flagged accounts.</p>' : `<table id="reasons" data-sortable><thead><tr><th>Reason</th><th class="number" data-type="number">Flagged accounts</th></tr></thead><tbody>${reasonRows}</tbody></table>`}
<h2>Campaign details</h2>
${renderCampaignDetails(campaigns, sectionOptions)}
<h2>Flagged accounts</h2>
${accountNote}
<noscript><p class="note">The flagged-accounts table needs JavaScript; verdicts.jsonl has the same data.</p></noscript>
<div class="controls">
<input type="search" id="account-filter" placeholder="Filter accounts (id, campaign, reason)" aria-label="Filter accounts">
<select id="account-verdict" aria-label="Verdict"><option value="">all verdicts</option><option value="attack">attack</option><option value="suspect">suspect</option></select>
<select id="account-campaign" aria-label="Campaign"><option value="">all campaigns</option>${campaignOptions}</select>
<button type="button" id="account-previous">‹ previous</button><button type="button" id="account-next">next ›</button>
<span id="account-status" class="muted"></span>
</div>
<table id="accounts"><thead><tr><th data-key="account">Account</th><th data-key="verdict">Verdict</th><th class="number" data-key="score">Score</th><th data-key="flagged">First flagged</th><th data-key="campaign">Campaign</th><th>Reasons</th></tr></thead><tbody></tbody></table>
</main>
<script type="application/json" id="account-data">${jsonForScript(data)}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
