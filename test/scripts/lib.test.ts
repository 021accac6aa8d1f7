import { unknownOption } from '../../scripts/lib.js';

describe('unknownOption', () => {
  const known = ['models', 'out', 'duration'];

  it('names the first --option the script does not know, --help included', () => {
    expect(unknownOption(['--models', 'm', '--help'], known)).toBe('--help');
    expect(unknownOption(['--out', 'x', '--modles', 'm', '--nope'], known)).toBe('--modles');
  });

  it('accepts the known options and their values', () => {
    expect(unknownOption(['--models', 'm', '--duration', '5', '--out', '-'], known)).toBeUndefined();
    expect(unknownOption([], known)).toBeUndefined();
  });
});
