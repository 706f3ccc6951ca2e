/** The `striate-bench` command line. */
import { parseCli, USAGE, UsageError } from './args.js';
import { ChecksFailedError, evalCommand, mapCommand, runCommand } from './commands.js';
import { detectCommand } from './detect-command.js';
import { segmentCommand } from './segment-command.js';

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseCli(argv);
    let out: string;
    switch (args.command) {
      case 'help':
        out = `${USAGE}\n`;
        break;
      case 'eval':
        out = evalCommand(args);
        break;
      case 'map':
        out = await mapCommand(args);
        break;
      case 'detect':
        out = await detectCommand(args);
        break;
      case 'segment':
        out = await segmentCommand(args);
        break;
      case 'run':
        out = await runCommand(args, argv);
        break;
    }
    process.stdout.write(out);
    return 0;
  } catch (e) {
    if (e instanceof ChecksFailedError) {
      process.stdout.write(e.output);
      process.stderr.write(`striate-bench: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`striate-bench: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`striate-bench: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    return 1;
  }
}
