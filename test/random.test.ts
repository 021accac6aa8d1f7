import { seededStream, seededUniform } from '../src/random.js';

test('a stream restored from its saved state continues exactly where it stopped', () => {
  const a = seededStream('resume');
  for (let i = 0; i < 37; i++) a();
  const saved = JSON.parse(JSON.stringify(a.state()));
  const expected = [a(), a.double(), a()];
  const b = seededStream('ignored when a state is given', saved);
  expect([b(), b.double(), b()]).toEqual(expected);
});

test('the same seed gives the same numbers, another seed other numbers', () => {
  const draw = (seed: string) => {
    const u = seededUniform(seed);
    return [u(), u(), u()];
  };
  expect(draw('x')).toEqual(draw('x'));
  expect(draw('x')).not.toEqual(draw('y'));
  // 53-bit doubles on [0, 1), the stream that datasets and channels have always drawn.
  expect(draw('x').every((v) => v >= 0 && v < 1)).toBe(true);
  expect(seededUniform('x')()).toBe(seededStream('x').double());
});
