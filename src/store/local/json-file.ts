import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * The parsed content of a small JSON file; undefined when the file does not exist. Throws
 * on an unreadable file or a text that is not JSON (the caller decides what that means).
 */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as unknown;
}

/**
 * Writes `value` as JSON to a temporary file, then renames it over `file`: a reader (or a
 * process killed mid-write) sees the old content or the new, never a cut one.
 */
export function writeJsonFileWhole(file: string, value: unknown): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value));
  renameSync(temporary, file);
}
