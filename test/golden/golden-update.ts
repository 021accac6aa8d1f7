/** `npm run golden:update`: stores the shipped models' outputs on the fixed inputs (after a deliberate retraining). */
import { updateGoldens } from './golden-models.js';
import { readScriptOptions } from '../../scripts/shared/lib.js';

readScriptOptions({
  name: 'golden:update',
  summary: "Runs the shipped models (models/) on the fixed golden inputs and overwrites test/golden/*.json with their outputs.\nRun it only after a deliberate retraining: test/golden.test.ts checks the models against these files.",
  options: {},
});

await updateGoldens();
