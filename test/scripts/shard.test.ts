import { inShard, parseShard } from '../../scripts/shard.js';

describe('parseShard', () => {
  it('reads I/N with shards numbered 1..N', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, count: 2 });
    expect(parseShard('3/3')).toEqual({ index: 3, count: 3 });
  });
  it.each(['0/2', '3/2', 'x', '1/0', '1/', '/2', '-1/2', '1.5/2', '1/2/3', ''])('refuses %p with one line naming --shard', (text) => {
    expect(() => parseShard(text)).toThrow(/^--shard: [^\n]+$/);
  });
});

describe('inShard', () => {
  const items = Array.from({ length: 11 }, (_, k) => `run-${k}`);
  it.each([1, 2, 3, 5, 11, 12])('puts every run in exactly one of %i shards', (count) => {
    const shards = Array.from({ length: count }, (_, i) => inShard(items, { index: i + 1, count }));
    expect(shards.flat().sort()).toEqual([...items].sort());
  });
  it('gives run k to shard (k mod N) + 1, the same every time', () => {
    expect(inShard(items, { index: 2, count: 3 })).toEqual(['run-1', 'run-4', 'run-7', 'run-10']);
    expect(inShard(items, { index: 2, count: 3 })).toEqual(inShard(items, { index: 2, count: 3 }));
    expect(inShard(items, { index: 1, count: 1 })).toEqual(items);
  });
});
