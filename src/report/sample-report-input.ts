import type { Campaign, Verdict } from '../detect/verdict.js';
import type { ReportInput } from './render-report.js';

/** Markup a hostile log could carry in an account id or reason detail (tests assert it stays text). */
export const HOSTILE_ACCOUNT_ID =
  '<script>window.__injected = 1</script><img src=x onerror="window.__injected = 2">';

const CAPABILITIES = ['coding', 'math_reasoning', 'agentic_tool_use', 'vision', 'general_chat'];

/**
 * A deterministic report input for tests and for eyeballing the page: `campaigns` campaigns of
 * decreasing size, `flaggedAccounts` flagged accounts spread over them, one hostile account id.
 */
export function sampleReportInput({
  campaigns: campaignCount = 3,
  flaggedAccounts = 250,
  cleanAccounts = 50,
}: {
  campaigns?: number;
  flaggedAccounts?: number;
  cleanAccounts?: number;
} = {}): ReportInput {
  const start = Date.parse('2026-02-01T00:00:00.000Z');
  const hour = 3_600_000;
  const members: string[][] = Array.from({ length: campaignCount }, () => []);
  const verdicts: Verdict[] = [];
  for (let index = 0; index < flaggedAccounts; index++) {
    const campaign = campaignCount === 0 ? -1 : index % campaignCount;
    const accountId = index === 7 ? HOSTILE_ACCOUNT_ID : `acct-${String(index).padStart(6, '0')}`;
    if (campaign >= 0) members[campaign]!.push(accountId);
    verdicts.push({
      account_id: accountId,
      verdict: index % 5 === 4 ? 'suspect' : 'attack',
      score: 0.5 + ((index * 37) % 50) / 100,
      first_flagged_at: new Date(start + (index % 48) * hour + 1_000).toISOString(),
      campaign_id: campaign >= 0 ? `campaign-${campaign + 1}` : null,
      reasons: [
        {
          code: 'shared_infrastructure',
          detail: `shares subnet 203.0.${campaign + 1}.0/24 with ${12 + campaign} flagged accounts`,
        },
        {
          code: 'reasoning_elicitation',
          detail: 'asks for step-by-step reasoning in 9 of 10 prompts',
        },
        ...(index === 7 ? [{ code: 'template_reuse', detail: '</script><b>bold</b>' }] : []),
      ],
      ...(index === 11 ? { reseller_of: ['campaign-1'] } : {}),
    });
  }
  for (let index = 0; index < cleanAccounts; index++) {
    verdicts.push({
      account_id: `clean-${index}`,
      verdict: 'clean',
      score: 0.05,
      first_flagged_at: null,
      campaign_id: null,
      reasons: [],
    });
  }
  const campaigns: Campaign[] = members.map((accounts, index) => {
    const hours = 24 + index * 12;
    const timeline = Array.from({ length: hours }, (_, offset) => ({
      hour: new Date(start + (index * 6 + offset) * hour).toISOString(),
      exchanges: 40 + ((offset * 17 + index * 5) % 60) * (3 - Math.min(index, 2)),
    }));
    const mix: Record<string, number> = {};
    CAPABILITIES.forEach((capability, position) => {
      mix[capability] = position === index % CAPABILITIES.length ? 0.6 : 0.1;
    });
    return {
      campaign_id: `campaign-${index + 1}`,
      confidence: Math.max(0.3, 0.95 - index * 0.1),
      accounts,
      resellers: index === 0 ? ['acct-000011'] : [],
      exchange_count: timeline.reduce((sum, point) => sum + point.exchanges, 0),
      first_seen: timeline[0]!.hour,
      last_seen: timeline[timeline.length - 1]!.hour,
      first_flagged_at: new Date(start + (index * 6 + 2) * hour).toISOString(),
      capability_mix: mix,
      models: { 'frontier-1': 900 - index * 100, 'frontier-2-preview': 300 + index * 50 },
      timeline,
      indicators: [
        {
          type: 'subnet',
          value: `203.0.${index + 1}.0/24`,
          count: accounts.length,
          first_seen: timeline[0]!.hour,
          last_seen: timeline[timeline.length - 1]!.hour,
        },
        {
          type: 'payment_fingerprint',
          value: `pf_${index}<i>`,
          count: Math.ceil(accounts.length / 2),
          first_seen: timeline[0]!.hour,
          last_seen: timeline[1]?.hour ?? timeline[0]!.hour,
        },
      ],
      reasons: [
        { code: 'synchronized_cadence', detail: 'round-robin hand-off across accounts every 90 s' },
        { code: 'shared_template', detail: `${accounts.length} accounts share 3 prompt templates` },
      ],
    };
  });
  return {
    generatedAt: '2026-02-03T00:00:00.000Z',
    verdicts,
    campaigns,
    inputs: {
      files: ['runs/quickstart/exchanges.jsonl.gz'],
      exchanges: 123_456,
      accounts: verdicts.length,
      rejectedLines: 2,
    },
  };
}
