/**
 * The imperfect-channel-knowledge options of `train allocation` and `evaluate allocation`
 * (src/channels/channel-knowledge.ts): the network reads observed gains, every metric uses the
 * true ones.
 */
import type { Command } from 'commander';
import type { ChannelKnowledge } from '../channels/channel-knowledge.js';
import { parseFractionOption, parseIntOption, parseNumberOption } from './options.js';

export interface ChannelKnowledgeOptions {
  gainError: number;
  gainMissing: number;
  gainSeed: number;
}

export function addChannelKnowledgeOptions(cmd: Command): Command {
  return cmd
    .option('--gain-error <var>', 'observed gains |h + e|^2, e ~ CN(0, var x mean gain): error variance relative to E|h|^2 (0: exact gains)', parseNumberOption(0), 0)
    .option('--gain-missing <fraction>', "fraction of users' gains missing, imputed with the mean gain", parseFractionOption(), 0)
    .option('--gain-seed <int>', 'seed of the observation noise and of which gains are missing', parseIntOption(), 1);
}

export const channelKnowledgeOf = (o: ChannelKnowledgeOptions): ChannelKnowledge => ({ errorVariance: o.gainError, missingFraction: o.gainMissing });
