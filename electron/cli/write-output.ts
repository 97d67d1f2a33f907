// Files the CLI writes where the user asked (curves, token matrices): through the shared atomic writer,
// so an interrupted or failed write never leaves a partial file under the name, and a path that cannot
// be written is a one-line bad-input error naming it.
import { writeFileAtomic } from '../shared/atomic-write';
import { CliError, EXIT } from './exit-codes';

export async function writeOutputFile(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CliError(EXIT.badInput, `cannot write ${path} (${code}); choose a file in a folder you can write to`);
  }
}
