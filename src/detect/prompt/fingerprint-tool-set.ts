import { isRecord } from '../../shared/is-record.js';
import { fingerprintString } from './string-hash.js';

/**
 * Insertion sort in UTF-16 code-unit order, the order of `Array.prototype.sort()` without a
 * comparator: the same result for these few short strings, without the built-in's work array.
 */
function sortInPlace(values: string[]): string[] {
  // Quadratic: a request with hundreds of tools or parameters takes the built-in sort.
  if (values.length > 32) return values.sort();
  for (let index = 1; index < values.length; index++) {
    const value = values[index]!;
    let position = index - 1;
    while (position >= 0 && values[position]! > value) {
      values[position + 1] = values[position]!;
      position -= 1;
    }
    values[position + 1] = value;
  }
  return values;
}

function schemaKeys(schema: unknown): string {
  if (!isRecord(schema)) return '';
  const properties = schema.properties;
  if (!isRecord(properties)) return '';
  return sortInPlace(Object.keys(properties)).join(',');
}

/** `name(param,param)` for one tool in OpenAI chat, OpenAI responses or Anthropic shape. */
function describeTool(tool: unknown): string {
  if (!isRecord(tool)) return '';
  const nested = isRecord(tool.function) ? tool.function : tool;
  const name = typeof nested.name === 'string' ? nested.name : '';
  const type = typeof tool.type === 'string' && tool.type !== 'function' ? tool.type : '';
  const schema = nested.parameters ?? nested.input_schema ?? tool.input_schema;
  return `${type}:${name}(${schemaKeys(schema)})`;
}

/**
 * Order-insensitive fingerprint of tool definitions: sorted `type:name(sorted parameter keys)`
 * entries. Descriptions are left out on purpose: operators reword them, the interface stays.
 * Null when no tools are defined.
 *
 * @example fingerprintToolSet([{ type: 'function', function: { name: 'search', parameters: { type: 'object', properties: { query: {} } } } }])
 */
export function fingerprintToolSet(tools: readonly unknown[]): string | null {
  if (tools.length === 0) return null;
  const entries: string[] = [];
  for (const tool of tools) entries.push(describeTool(tool));
  sortInPlace(entries);
  return fingerprintString(entries.join(';'));
}
