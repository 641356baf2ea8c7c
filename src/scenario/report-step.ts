/** What `writeReport` (src/report/index.ts) returns: the answers and the files it wrote. */
export interface ReportOutput {
  files: { answers: string; markdown: string; html: string; merged: string };
}

type WriteReport = (runDir: string, options?: { lang?: 'en' | 'pt-BR' }) => Promise<ReportOutput>;

/** The report module, loaded when the run needs it; undefined while src/report/ does not exist yet. */
async function loadWriteReport(): Promise<WriteReport | undefined> {
  const path = '../report/index.js';
  try {
    const module = (await import(path)) as { writeReport?: WriteReport };
    return module.writeReport;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : '';
    if ((code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(message)) && /report/.test(message)) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Writes the report of a run into its folder; resolves with the files, or undefined (after saying so)
 * when the report generator is not available yet.
 */
export async function writeRunReport(
  runDir: string,
  lang: 'en' | 'pt-BR' | undefined,
  write: (line: string) => void,
): Promise<ReportOutput | undefined> {
  const writeReport = await loadWriteReport();
  if (writeReport === undefined) {
    write(
      'The report step is not available yet (src/report/index.ts is missing): the run folder has the captures and run.json.',
    );
    return undefined;
  }
  return writeReport(runDir, lang === undefined ? {} : { lang });
}
