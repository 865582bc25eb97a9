import type { Verdict } from '../detect/verdict.js';
import { reasonTitle } from './format-values.js';

/**
 * The flagged accounts in the compact shape the report's script pages through: a string table
 * (reason titles and details repeat across a campaign's thousands of accounts) and one array per
 * account `[id, verdict, score, first_flagged_at, campaignString, [[titleString, detailString]…],
 * resellerOfStrings?]`.
 */
export interface AccountData {
  pageSize: number;
  strings: string[];
  accounts: AccountRow[];
}

export type AccountRow = [
  string,
  'attack' | 'suspect',
  number,
  string | null,
  number,
  [number, number][],
  number[]?,
];

export interface AccountDataOptions {
  maxAccounts: number;
  maxReasonsPerAccount: number;
  maxDetailLength: number;
  pageSize: number;
}

export function buildAccountData(
  verdicts: readonly Verdict[],
  { maxAccounts, maxReasonsPerAccount, maxDetailLength, pageSize }: AccountDataOptions,
): { data: AccountData; flagged: number } {
  const flagged = verdicts
    .filter((verdict) => verdict.verdict !== 'clean')
    .sort(
      (left, right) =>
        severity(right) - severity(left) ||
        right.score - left.score ||
        (left.account_id < right.account_id ? -1 : 1),
    );
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (text: string | null | undefined): number => {
    if (text === null || text === undefined || text === '') return -1;
    let index = stringIndex.get(text);
    if (index === undefined) {
      index = strings.length;
      strings.push(text);
      stringIndex.set(text, index);
    }
    return index;
  };
  const accounts = flagged.slice(0, maxAccounts).map((verdict): AccountRow => {
    const reasons = verdict.reasons
      .slice(0, maxReasonsPerAccount)
      .map((reason): [number, number] => [
        intern(reasonTitle(reason.code)),
        intern(truncate(reason.detail, maxDetailLength)),
      ]);
    if (verdict.reasons.length > maxReasonsPerAccount) {
      reasons.push([
        intern('…'),
        intern(`${verdict.reasons.length - maxReasonsPerAccount} more reasons`),
      ]);
    }
    const row: AccountRow = [
      verdict.account_id,
      verdict.verdict === 'attack' ? 'attack' : 'suspect',
      Math.round(verdict.score * 1000) / 1000,
      verdict.first_flagged_at,
      intern(verdict.campaign_id),
      reasons,
    ];
    if (verdict.reseller_of !== undefined && verdict.reseller_of.length > 0) {
      row.push(verdict.reseller_of.map((campaign) => intern(campaign)));
    }
    return row;
  });
  return { data: { pageSize, strings, accounts }, flagged: flagged.length };
}

function severity(verdict: Verdict): number {
  return verdict.verdict === 'attack' ? 2 : verdict.verdict === 'suspect' ? 1 : 0;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
