import { ChatlabError } from '../../chatlab-error.js';

/** Stable error codes of `npm run report` (listed in report/README.md). */
export type ReportErrorCode =
  /** The run folder does not exist or is not a folder. */
  | 'REPORT_NO_FOLDER'
  /** No `.pcap`/`.pcapng` file in `<run>/captures/` nor in `<run>/`. */
  | 'REPORT_NO_CAPTURES'
  /** `run.json` exists but is not valid JSON of the expected shape. */
  | 'REPORT_BAD_RUN_JSON'
  /** A capture file could not be read (its PcapError code is in `details.pcapCode`). */
  | 'REPORT_UNREADABLE_CAPTURE'
  /** The captures hold no frame at all. */
  | 'REPORT_EMPTY_CAPTURE'
  /** `--framing` or run.json's `lab.app.framing` names no framing the report knows. */
  | 'REPORT_BAD_FRAMING'
  /** The protocol description (`--protocol`, the lab file's app.protocol) cannot be read or is malformed. */
  | 'REPORT_BAD_PROTOCOL';

/** The one error class of `src/report`: a one-line message a student can act on, and a stable code. */
export class ReportError extends ChatlabError<ReportErrorCode, Readonly<Record<string, string | number>>> {
  override readonly name = 'ReportError';

  constructor(
    code: ReportErrorCode,
    message: string,
    details: Readonly<Record<string, string | number>> = {},
    options?: ErrorOptions,
  ) {
    super(code, message, details, options);
  }
}
