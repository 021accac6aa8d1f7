/**
 * Command-line usage errors as one line: `<option>: <rule> (see radio-mtl <command> --help)`.
 * commander reports them as CommanderError with a code and an `error: ...` message that
 * quotes the option's flags; the help text itself is shown only on --help.
 */
import type { Command, CommanderError } from 'commander';

/** `radio-mtl train allocation`: the names from the program down to `command`. */
export function commandName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The one-line message (without the `radio-mtl: ` prefix) for a usage error raised by `command`. */
export function usageErrorLine(err: CommanderError, command: Command): string {
  const text = err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  // commander quotes the option as its flags, e.g. '--data <dir>': keep the long name.
  const option = /'(-[^' ]+)/.exec(text)?.[1];
  const suggestion = / (\(Did you mean .*\?\))$/.exec(text)?.[1];
  const subcommands = command.commands.map((c) => c.name()).filter((name) => name !== 'help');
  let rule: string;
  switch (err.code) {
    case 'commander.invalidArgument':
      rule = `${option}: ${text.replace(/^.*? is invalid\. /, '')}`;
      break;
    case 'commander.missingMandatoryOptionValue':
      rule = `${option}: is required`;
      break;
    case 'commander.optionMissingArgument':
      rule = `${option}: needs a value`;
      break;
    case 'commander.unknownOption':
      rule = `${option}: unknown option${suggestion ? ` ${suggestion}` : ''}`;
      break;
    case 'commander.unknownCommand':
      rule = `${/'([^']*)'/.exec(text)?.[1]}: unknown command, expected one of ${subcommands.join(', ')}${suggestion ? ` ${suggestion}` : ''}`;
      break;
    case 'commander.excessArguments':
      rule = `${command.args.join(' ')}: unexpected argument${command.args.length > 1 ? 's' : ''} (options start with --)`;
      break;
    case 'commander.help':
      rule = `missing command: one of ${subcommands.join(', ')}`;
      break;
    default:
      rule = text;
  }
  return `${rule} (see ${commandName(command)} --help)`;
}
