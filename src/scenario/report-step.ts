import { writeReport, type Lang, type ReportFiles } from '../report/index.js';

/** What the report step wrote into a run folder (src/report/write-report.ts). */
export interface ReportOutput {
  files: ReportFiles;
}

/**
 * Writes the report of a run into its folder: answers.json, report.md, report.html and the merged capture
 * (src/report/). `lang` undefined: the report's own default language.
 */
export async function writeRunReport(runDir: string, lang: Lang | undefined): Promise<ReportOutput> {
  const { files } = await writeReport(runDir, lang === undefined ? {} : { lang });
  return { files };
}
