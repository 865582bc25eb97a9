import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTable } from './format-table.js';

describe('formatTable', () => {
  const header = ['persona', 'group', 'accounts'];
  const rows = [
    ['chat', '-', '1200'],
    ['eval-harness', 'hard', '7'],
  ];
  const cases: [string, Parameters<typeof formatTable>[2], string[]][] = [
    [
      'left-aligns every column by default, trailing spaces trimmed',
      undefined,
      [
        'persona       group  accounts',
        '------------  -----  --------',
        'chat          -      1200',
        'eval-harness  hard   7',
      ],
    ],
    [
      'right-aligns the columns after the text ones',
      { leftAlignedColumns: 2 },
      [
        'persona       group  accounts',
        '------------  -----  --------',
        'chat          -          1200',
        'eval-harness  hard          7',
      ],
    ],
  ];
  for (const [name, options, expected] of cases) {
    it(name, () => assert.deepEqual(formatTable(header, rows, options), expected));
  }

  it('sizes columns to the header when there are no rows', () => {
    assert.deepEqual(formatTable(['a', 'bb'], []), ['a  bb', '-  --']);
  });
});
