/** The scripts' `--shard I/N` support: the same module the CLI uses. */
export { parseShard, inShard, type Shard } from '../../src/io/shard.js';
