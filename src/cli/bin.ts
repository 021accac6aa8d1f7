/** radio-mtl entry point: runs the program and turns its result into an exit code. */
import { main } from './main.js';

process.exitCode = await main(process.argv);
