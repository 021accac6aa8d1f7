/** `npm run golden:update`: stores the shipped models' outputs on the fixed inputs (after a deliberate retraining). */
import { updateGoldens } from './golden-models.js';

await updateGoldens();
