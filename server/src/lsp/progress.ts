/**
 * Server-initiated work-done progress (`window/workDoneProgress/create`,
 * then `$/progress` begin/report/end), or nothing for clients without it.
 */
import {
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type Connection,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver/node';
import type { Logger } from './log';

export interface ProgressReporter {
  report(message: string): void;
  end(message: string): void;
}

const SILENT: ProgressReporter = { report: () => undefined, end: () => undefined };

let nextToken = 0;

export async function beginProgress(connection: Connection, capabilities: ClientCapabilities, log: Logger, title: string, message: string): Promise<ProgressReporter> {
  if (capabilities.window?.workDoneProgress !== true) return SILENT;
  const token = `irsa-progress-${++nextToken}`;
  try {
    await connection.sendRequest(WorkDoneProgressCreateRequest.type, { token });
  } catch (e) {
    log.log(`The client declined a progress token (${String(e)}); working without progress.`);
    return SILENT;
  }
  // Progress is a courtesy: a failed send must not fail the work.
  const send = (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd): void => {
    connection.sendProgress(WorkDoneProgress.type, token, value).catch(() => undefined);
  };
  send({ kind: 'begin', title, message, cancellable: false });
  let ended = false;
  return {
    report: (m) => {
      if (!ended) send({ kind: 'report', message: m });
    },
    end: (m) => {
      if (ended) return;
      ended = true;
      send({ kind: 'end', message: m });
    },
  };
}
