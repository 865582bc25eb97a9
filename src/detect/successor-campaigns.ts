/**
 * For each campaign that no community continued at this clustering (`continued`) while some of
 * its former members went to other campaigns, the campaign that took the most of them (ties: the
 * lower number). A fragment found by clustering the unattached, now inside its whole operator's
 * community, hands its leftover members to that successor. Campaigns none of whose members moved
 * have no successor and keep their members.
 *
 * @example
 * // campaign 7 was not continued; two of its three members now sit in campaign 8
 * successorCampaigns(new Map([[7, [1, 2, 3]]]), new Set([8]), (a) => (a === 3 ? 7 : 8)); // Map { 7 => 8 }
 */
export function successorCampaigns(
  before: ReadonlyMap<number, readonly number[]>,
  continued: ReadonlySet<number>,
  campaignOf: (account: number) => number,
): Map<number, number> {
  const successors = new Map<number, number>();
  for (const [number, members] of before) {
    if (continued.has(number)) continue;
    const moved = new Map<number, number>();
    for (const account of members) {
      const now = campaignOf(account);
      if (now >= 0 && now !== number) moved.set(now, (moved.get(now) ?? 0) + 1);
    }
    let successor = -1;
    let most = 0;
    for (const [next, count] of moved) {
      if (count > most || (count === most && next < successor)) {
        successor = next;
        most = count;
      }
    }
    if (successor >= 0) successors.set(number, successor);
  }
  return successors;
}
