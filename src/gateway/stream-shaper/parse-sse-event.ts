/** An event's `event:` name (or `null`) and its `data:` lines joined by newlines. */
export interface SseEvent {
  event: string | null;
  data: string;
}

/**
 * Reads one server-sent event (its text without the blank line that ends it). Comment and
 * unknown lines are ignored, as the SSE specification says.
 */
export function parseSseEvent(raw: string): SseEvent {
  let event: string | null = null;
  let data = '';
  for (const line of raw.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).trimStart();
  }
  return { event, data };
}
