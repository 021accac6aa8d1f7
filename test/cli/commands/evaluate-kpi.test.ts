import { join } from 'node:path';
import { makeTempDir } from '../../helpers/tmp.js';
import { writeFixture } from '../../dnn/kpi/fixture.js';
import { runCli } from '../../helpers/run-cli.js';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

it('evaluate kpi on CSVs too short for one test window names --data and the rule', async () => {
  const short = join(tmp.dir, 'short');
  writeFixture(short, { files: 1, rows: 29 });
  const r = await runCli(['evaluate', 'kpi', '--model', 'models/kpi-ple', '--data', short]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`radio-mtl: --data: '${short}' has no test window: the test part of a CSV (its last 10% of rows) must be longer than the model's window of 35 rows; Lvl_0_fixture.csv has 4 of 29\n`);
});
