/** Disjoint sets over positions `0 … size − 1`: {@link UnionFind.union} joins, `find` names the set. */
export interface UnionFind {
  /** The set's root: the smallest position ever joined into it. */
  find(position: number): number;
  union(a: number, b: number): void;
}

/**
 * Union–find with path compression; the smaller root wins a union, so roots (and whatever callers
 * build from them) do not depend on the order of unions.
 *
 * @example
 * const sets = createUnionFind(3);
 * sets.union(2, 1);
 * sets.find(2); // 1
 */
export function createUnionFind(size: number): UnionFind {
  const parent = Array.from({ length: size }, (_, position) => position);
  const find = (position: number): number => {
    let root = position;
    while (parent[root] !== root) root = parent[root] as number;
    let node = position;
    while (parent[node] !== root) {
      const next = parent[node] as number;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  return {
    find,
    union(a, b) {
      const rootA = find(a);
      const rootB = find(b);
      if (rootA !== rootB) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
    },
  };
}
