import { inShard, parseShard } from '../../src/io/shard.js';

describe('parseShard', () => {
  it('reads I/N with shards numbered from 1', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, count: 2 });
    expect(parseShard('3/3')).toEqual({ index: 3, count: 3 });
  });

  it.each(['0/2', '3/2', 'x', '1/0', '1/', '/2', '-1/2', '1.5/2', '1/2/3', ''])('refuses %p with one line naming --shard', (text) => {
    expect(() => parseShard(text)).toThrow(/^--shard: must be I\/N with 1 <= I <= N .*got '.*'$/);
  });
});

describe('inShard', () => {
  const runs = Array.from({ length: 11 }, (_, k) => `run${k}`);

  it('puts every run in exactly one shard, in order', () => {
    for (const count of [1, 2, 3, 4, 11, 13]) {
      const shards = Array.from({ length: count }, (_, i) => inShard(runs, { index: i + 1, count }));
      expect(shards.flat().sort()).toEqual([...runs].sort());
      for (const part of shards) expect(part).toEqual(runs.filter((r) => part.includes(r)));
    }
  });

  it('sends run k to shard (k mod N) + 1', () => {
    expect(inShard(runs, { index: 1, count: 3 })).toEqual(['run0', 'run3', 'run6', 'run9']);
    expect(inShard(runs, { index: 3, count: 3 })).toEqual(['run2', 'run5', 'run8']);
    expect(inShard(runs, { index: 2, count: 3 })).toEqual(inShard(runs, parseShard('2/3')));
  });
});
