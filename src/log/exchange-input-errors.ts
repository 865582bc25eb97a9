// Two small guards that belong together: the check before any input is read and the one while
// it is read, so that every input fault reaches the user as one `error [code]: …` line.
import { access, constants, stat } from 'node:fs/promises';
import { DistillguardError } from '../shared/distillguard-error.js';

/**
 * Checks every input before analysis starts, so a typo in the last of several paths does not
 * cost the time spent on the others: `input_not_found`, `input_is_directory`, `input_unreadable`.
 */
export async function checkExchangeInputs(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    let kind: Awaited<ReturnType<typeof stat>>;
    try {
      kind = await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new DistillguardError('input_not_found', `${path}: no such file`, { file: path });
      }
      throw new DistillguardError('input_unreadable', `${path}: ${(error as Error).message}`, {
        file: path,
      });
    }
    if (kind.isDirectory()) {
      throw new DistillguardError(
        'input_is_directory',
        `${path} is a directory: pass the log files in it (e.g. ${path}/*.jsonl.gz)`,
        { file: path },
      );
    }
    try {
      await access(path, constants.R_OK);
    } catch (error) {
      throw new DistillguardError('input_unreadable', `${path}: ${(error as Error).message}`, {
        file: path,
      });
    }
  }
}

/**
 * Passes a file's batches through, turning a failure of the file as a whole (a corrupt Parquet
 * footer, an I/O error) into `DistillguardError('input_corrupt')` naming the file. Line-level
 * faults are rejections and never reach here.
 */
export async function* guardInputErrors<Batch>(
  file: string,
  batches: AsyncIterable<Batch>,
): AsyncGenerator<Batch> {
  try {
    yield* batches;
  } catch (error) {
    if (DistillguardError.is(error)) throw error;
    const message = (error as Error).message.split('\n')[0];
    throw new DistillguardError('input_corrupt', `${file}: cannot be read (${message})`, {
      file,
    });
  }
}
