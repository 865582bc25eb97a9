/**
 * One server-sent event as text: an optional `event:` line, one `data:` line (a string as it is,
 * anything else as JSON) and the blank line that ends the event.
 *
 * @example
 * formatSseFrame('message_stop', { type: 'message_stop' });
 * // 'event: message_stop\ndata: {"type":"message_stop"}\n\n'
 */
export const formatSseFrame = (event: string | null, data: unknown): string =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
