import { stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Turns a file name offered by a peer into a plain name for the local disk: the last path component only,
 * no control characters, no leading dots, never `.` or `..` (the seeds' path-traversal bug, ../shared/LAB.md).
 */
export function safeFileName(offered: string, fileId: number): string {
  const last = offered.split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .replace(/\p{Cc}/gu, '')
    .replace(/^[.\s]+/, '')
    .replace(/[\s.]+$/, '')
    .slice(0, 200);
  return cleaned === '' ? `file-${fileId}` : cleaned;
}

const exists = async (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

/**
 * The folder `/get` writes into, before the file's name is known: the typed path when it is a folder (or ends
 * with a separator), else the typed file's own folder, or `downloadDir` when nothing was typed; and the typed
 * path itself when it names the file (the user chose it).
 */
export async function downloadTarget(
  requested: string | undefined,
  downloadDir: string,
): Promise<{ folder: string; file: string | undefined }> {
  const isFolder =
    requested === undefined ||
    /[/\\]$/.test(requested) ||
    (await stat(requested).then(
      (s) => s.isDirectory(),
      () => false,
    ));
  if (requested !== undefined && !isFolder) {
    const file = path.resolve(requested);
    return { folder: path.dirname(file), file };
  }
  return { folder: path.resolve(requested ?? downloadDir), file: undefined };
}

/**
 * Where `/get` writes a download. With no path, or a path that is a folder, the offered name is made safe
 * and kept inside that folder (./downloads/ by default), numbered rather than overwriting a file there.
 * A path the user typed that is not a folder is used as given: the user chose it.
 */
export async function downloadPath(
  offered: string,
  fileId: number,
  options: { requested?: string | undefined; downloadDir: string },
): Promise<string> {
  const { folder, file } = await downloadTarget(options.requested, options.downloadDir);
  if (file !== undefined) return file;
  const name = safeFileName(offered, fileId);
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 0; ; n++) {
    const candidate = path.join(folder, n === 0 ? name : `${stem}-${n}${ext}`);
    if (path.dirname(candidate) !== folder) throw new Error(`unsafe file name ${JSON.stringify(offered)}`);
    if (!(await exists(candidate))) return candidate;
  }
}
