/**
 * Maps this tick's communities to the previous tick's campaign numbers by account overlap, so a
 * campaign keeps its id while it grows, shrinks or loses accounts. Greedy by largest overlap
 * (ties: lower campaign number, then earlier community); each old campaign is reused at most
 * once; communities without overlap get `-1` (the caller allocates a new id).
 *
 * @example
 * matchCampaigns([[1, 2], [7, 8]], (account) => (account < 5 ? 0 : -1)); // [0, -1]
 */
export function matchCampaigns(
  communities: readonly (readonly number[])[],
  previousCampaignOf: (account: number) => number,
): number[] {
  const pairs: { community: number; campaign: number; overlap: number }[] = [];
  communities.forEach((accounts, community) => {
    const overlaps = new Map<number, number>();
    for (const account of accounts) {
      const campaign = previousCampaignOf(account);
      if (campaign >= 0) overlaps.set(campaign, (overlaps.get(campaign) ?? 0) + 1);
    }
    for (const [campaign, overlap] of overlaps) pairs.push({ community, campaign, overlap });
  });
  pairs.sort(
    (a, b) => b.overlap - a.overlap || a.campaign - b.campaign || a.community - b.community,
  );
  const result = communities.map(() => -1);
  const used = new Set<number>();
  for (const { community, campaign } of pairs) {
    if (result[community] !== -1 || used.has(campaign)) continue;
    result[community] = campaign;
    used.add(campaign);
  }
  return result;
}
