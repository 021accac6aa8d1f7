import { usageText, type ScriptSpec } from '../../../scripts/shared/lib.js';

describe('usageText', () => {
  const spec: ScriptSpec = {
    name: 'kpi:gaps',
    summary: 'What gaps cost.',
    options: { data: { value: 'DIR', help: 'FccIQ CSV folder' }, merge: { help: 'write the report' } },
    positionals: '[DIR...]',
  };

  it('shows the npm call, the summary and every option with its value and help, --help included', () => {
    expect(usageText(spec)).toBe(
      'usage: npm run kpi:gaps -- [options] [DIR...]\n\nWhat gaps cost.\n\noptions:\n  --data DIR  FccIQ CSV folder\n  --merge     write the report\n  --help      print this text and exit\n',
    );
  });

  it('shows a script without an npm name as a tsx call', () => {
    expect(usageText({ ...spec, name: 'scripts/docs/redraw-charts.ts' })).toMatch(/^usage: node --import tsx scripts\/docs\/redraw-charts\.ts \[options\]/);
  });
});
