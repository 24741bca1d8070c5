import {
  consecutiveSequenceRule,
  noSequenceRule,
  previousIdSequenceRule,
  rangeSequenceRule,
  type SequenceVerdict,
  type SequencedUpdate,
} from '../../src/order-book/sequence-rules.js';

describe('rangeSequenceRule (Binance spot)', () => {
  const rule = rangeSequenceRule;
  const cases: Array<[string, SequencedUpdate, number, SequenceVerdict]> = [
    ['wholly before the book is stale', { firstUpdateId: 90, updateId: 99 }, 100, 'stale'],
    ['ending exactly at the book is stale', { firstUpdateId: 95, updateId: 100 }, 100, 'stale'],
    [
      'straddling lastUpdateId+1 applies (first event after snapshot)',
      { firstUpdateId: 95, updateId: 105 },
      100,
      'apply',
    ],
    [
      'starting at lastUpdateId+1 applies (steady state)',
      { firstUpdateId: 101, updateId: 110 },
      100,
      'apply',
    ],
    ['single-id event at lastUpdateId+1 applies', { firstUpdateId: 101, updateId: 101 }, 100, 'apply'],
    ['starting after lastUpdateId+1 is a gap', { firstUpdateId: 102, updateId: 110 }, 100, 'gap'],
    ['without U, u = bookId+1 applies', { updateId: 101 }, 100, 'apply'],
    ['without U, u > bookId+1 is a gap', { updateId: 102 }, 100, 'gap'],
  ];
  it.each(cases)('%s', (_name, update, bookId, verdict) => {
    expect(rule.classify(update, bookId)).toBe(verdict);
  });

  it('reports a gap as expected bookId+1, got U', () => {
    expect(rule.describeGap({ firstUpdateId: 150, updateId: 160 }, 100)).toEqual({ expected: 101, got: 150 });
  });

  it('is sequenced', () => {
    expect(rule.sequenced).toBe(true);
    expect(rule.name).toBe('range');
  });
});

describe('consecutiveSequenceRule (Coinbase full, Bittrex, DDEX)', () => {
  const rule = consecutiveSequenceRule;
  const cases: Array<[string, number, number, SequenceVerdict]> = [
    ['older is stale', 99, 100, 'stale'],
    ['duplicate is stale', 100, 100, 'stale'],
    ['next applies', 101, 100, 'apply'],
    ['skip of one is a gap', 102, 100, 'gap'],
    ['far ahead is a gap', 5000, 100, 'gap'],
  ];
  it.each(cases)('%s', (_name, seq, bookId, verdict) => {
    expect(rule.classify({ updateId: seq }, bookId)).toBe(verdict);
  });

  it('ignores firstUpdateId / prevUpdateId', () => {
    expect(rule.classify({ updateId: 101, firstUpdateId: 50, prevUpdateId: 7 }, 100)).toBe('apply');
  });

  it('reports a gap as expected bookId+1, got seq', () => {
    expect(rule.describeGap({ updateId: 104 }, 100)).toEqual({ expected: 101, got: 104 });
  });
});

describe('previousIdSequenceRule (Huobi MBP)', () => {
  const rule = previousIdSequenceRule;
  const cases: Array<[string, SequencedUpdate, number, SequenceVerdict]> = [
    ['prev equal to book applies', { prevUpdateId: 100, updateId: 107 }, 100, 'apply'],
    [
      'non-consecutive ids still apply when linked',
      { prevUpdateId: 100020146790, updateId: 100020146795 },
      100020146790,
      'apply',
    ],
    ['already covered is stale', { prevUpdateId: 90, updateId: 95 }, 100, 'stale'],
    ['ending at the book is stale', { prevUpdateId: 95, updateId: 100 }, 100, 'stale'],
    ['linking to an unseen message is a gap', { prevUpdateId: 103, updateId: 110 }, 100, 'gap'],
    ['straddling the book without linking is a gap', { prevUpdateId: 97, updateId: 104 }, 100, 'gap'],
    ['without prevUpdateId: consecutive next applies', { updateId: 101 }, 100, 'apply'],
    ['without prevUpdateId: jump is a gap', { updateId: 103 }, 100, 'gap'],
  ];
  it.each(cases)('%s', (_name, update, bookId, verdict) => {
    expect(rule.classify(update, bookId)).toBe(verdict);
  });

  it('reports a gap as expected prev = bookId, got prev', () => {
    expect(rule.describeGap({ prevUpdateId: 103, updateId: 110 }, 100)).toEqual({ expected: 100, got: 103 });
  });
});

describe('noSequenceRule (0x relayers)', () => {
  it('applies everything and is not sequenced', () => {
    expect(noSequenceRule.classify({ updateId: 1 }, 100)).toBe('apply');
    expect(noSequenceRule.classify({ updateId: 100 }, 100)).toBe('apply');
    expect(noSequenceRule.classify({ updateId: 1000 }, 100)).toBe('apply');
    expect(noSequenceRule.sequenced).toBe(false);
  });
});
