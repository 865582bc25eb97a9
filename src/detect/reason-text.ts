import type { Reason } from './verdict.js';

type Evidence = Record<string, unknown>;

const percent = (value: unknown): string =>
  typeof value === 'number' ? `${Math.round(value * 100)}%` : '?';
const count = (value: unknown): string => (typeof value === 'number' ? `${value}` : '?');
const list = (value: unknown): string =>
  Array.isArray(value) ? value.slice(0, 5).join(', ') : typeof value === 'string' ? value : '';

/**
 * The one place where reason codes become human text (the report, the CLI and STIX exports
 * read the codes and evidence; only people read `detail`).
 */
const TEXT: Record<string, (evidence: Evidence) => string> = {
  reasoning_elicitation: (e) =>
    `${percent(e.share)} of ${count(e.exchanges)} prompts demand step-by-step reasoning or a written-out chain of thought (${list(e.cues)})`,
  rubric_grading: (e) =>
    `${percent(e.share)} of prompts ask for rubric or reward-model style grading`,
  censorship_rewrite: (e) =>
    `${percent(e.share)} of prompts ask for censorship-compliant rewrites of sensitive text`,
  capability_concentration: (e) =>
    `${percent(e.share)} of traffic targets one capability (${String(e.capability)})`,
  systematic_coverage: (e) =>
    `sweeps ${count(e.templates)} distinct prompt templates in one capability, rarely repeating (dataset-style coverage)`,
  template_reuse: (e) => `${percent(e.share)} of prompts reuse an earlier template of the account`,
  shared_template: (e) =>
    `shares ${count(e.keys)} prompt templates / system prompts / tool sets with ${count(e.accounts)} other suspicious accounts`,
  fixed_parameters: (e) =>
    `${percent(e.share)} of requests use identical max_tokens and temperature`,
  single_turn_harvest: (e) =>
    `${percent(e.share)} single-turn requests harvesting ${count(e.meanOutputTokens)} output tokens on average`,
  cadence_regular: (e) => `machine-regular request cadence (regularity ${percent(e.regularity)})`,
  synchronized_cadence: (e) =>
    `takes turns with ${count(e.accounts)} linked accounts in a fixed rotation (every ${count(e.periodMinutes)} min; ${percent(e.handoff)} of hand-offs to the same next account)`,
  shared_infrastructure: (e) =>
    `shares ${count(e.keys)} network values (IPs, subnets, ASNs) with ${count(e.accounts)} suspicious accounts`,
  shared_payment: (e) => `shares a payment fingerprint with ${count(e.accounts)} other accounts`,
  shared_fingerprint: (e) =>
    `shares client fingerprints (TLS, header order, user agent) with ${count(e.accounts)} suspicious accounts`,
  signup_burst: (e) => `signed up in a burst with ${count(e.accounts)} other linked accounts`,
  entry_program: (e) => `entered through the ${String(e.program)} program`,
  model_pivot: (e) =>
    typeof e.accounts === 'number'
      ? `moved ${percent(e.share)} of its traffic to ${String(e.model)} ${count(e.hours)} h after its release, with ${count(e.accounts)} linked accounts`
      : `moved ${percent(e.share)} of traffic to ${String(e.model)} within ${count(e.hours)} h of its first use`,
  regrowth: (e) =>
    `new account carrying the fingerprints of flagged campaign ${String(e.campaign)} (${list(e.keys)})`,
  campaign_member: (e) =>
    `member of campaign ${String(e.campaign)} (${count(e.accounts)} accounts linked by ${list(e.families)})`,
  peer_indicator: (e) =>
    `matched a ${String(e.indicatorType)} indicator shared by ${String(e.source)} (confidence ${percent(e.confidence)})`,
  reseller: (e) =>
    `mixes campaign traffic (${percent(e.share)} of ${count(e.exchanges)} exchanges, campaigns ${list(e.campaigns)}) with customer traffic${e.reusedDoor === true ? ', through the subnet and client of an account already flagged as a reseller' : ''}`,
  evasive_operator: (e) =>
    `${percent(e.share)} elicitation prompts in ${count(e.languages)} languages from ${count(e.subnets)}+ rotating networks`,
  second_tenant: (e) =>
    `another client than the owner's sent ${count(e.exchanges)} requests (${percent(e.share)} eliciting) from ${count(e.subnets)}+ networks the owner never used, while the owner kept using the key`,
  handover: (e) =>
    `its first client stopped; another sent ${count(e.exchanges)} requests (${percent(e.share)} eliciting), its residential exit changing ${count(e.hops)} times within minutes of a request`,
  account_age: (e) => `${count(e.hours)} h old at first request`,
  // population (issue 15)
  population_linkage: (e) =>
    `one of ${count(e.accounts)} accounts bound by ${list(e.families)} (rare shared values, sign-up cohort or synchronised activity beyond chance) that together harvest (${percent(e.weakCueShare)} of ${count(e.exchanges)} prompts elicit)`,
  harness_swarm: (e) =>
    `one of ${count(e.accounts)} new accounts of different owners running one private harness (tool set or system prompt), each from rotating exits or in many languages, that together send high-value work (${count(e.exchanges)} requests)`,
  answer_sweep: (e) =>
    `one of ${count(e.accounts)} new accounts of different owners, each from exits rotating across residential networks (${percent(e.residentialShare)} of their requests) and nearly all single-turn with long answers (${count(e.meanOutputTokens)} tokens on average), whose questions overlap with each other's and nobody else's (${count(e.exchanges)} requests)`,
  young_organisation: (e) =>
    `one of ${count(e.accounts)} seats of a young organisation, nearly all opened within a month of their first request, whose traffic pooled elicits reasoning (${percent(e.cueShare)} of ${count(e.exchanges)} prompts) with long answers (${count(e.meanOutputTokens)} tokens on average)`,
  machine_paced: (e) =>
    `one of ${count(e.accounts)} new accounts, each multi-turn without tools, whose next user turn came before the previous long answer could be read (${percent(e.machineShare)} of ${count(e.followUps)} follow-ups)`,
  overwhelming_individual: (e) =>
    `its own evidence is overwhelming: score ${percent(e.score)}, ${percent(e.share)} eliciting prompts, harvesting behaviour ${percent(e.behaviour)}, ${count(e.subnets)} rotating networks`,
  model_score: (e) =>
    `the fitted model gives ${percent(e.probability)} (flags at ${percent(e.threshold)}), most from ${
      Array.isArray(e.top)
        ? e.top.map((t: { feature: string; value: number }) => `${t.feature} ${t.value}`).join(', ')
        : '?'
    }`,
};

/** Human text for a reason code and its evidence. */
export function renderReason(code: string, evidence: Evidence): string {
  const render = TEXT[code];
  return render ? render(evidence) : code.replaceAll('_', ' ');
}

/** Builds a {@link Reason}: the code, its rendered text and the evidence as data. */
export function createReason(code: string, evidence: Evidence): Reason {
  return { code, detail: renderReason(code, evidence), evidence };
}

/** Every reason code the engine emits. */
export const REASON_CODES: readonly string[] = Object.keys(TEXT);
