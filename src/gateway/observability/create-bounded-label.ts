/**
 * A label value from client input (the requested model), bounded: the first `max` distinct
 * values are kept, later new ones become `other`. A client could otherwise send a new model
 * name per request and grow every label set (and the scraper's memory) without end.
 */
export function createBoundedLabel(max = 64): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return 'other';
    seen.add(value);
    return value;
  };
}
