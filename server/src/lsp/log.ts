/**
 * Logging through `window/logMessage` (the client shows it in its output
 * channel), and the guard every handler runs behind: a bug in one handler
 * costs one message a log line, never the server its life.
 */
import type { Connection } from 'vscode-languageserver/node';
import { redact } from '../common/redact';

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  /** Detail for debugging; clients show it at their most verbose level. */
  log(message: string): void;
}

/** Every line goes through `redact`: no credential, token or signature reaches the client's log. */
export function connectionLogger(connection: Connection): Logger {
  const console = connection.console;
  return {
    error: (m) => console.error(redact(m)),
    warn: (m) => console.warn(redact(m)),
    info: (m) => console.info(redact(m)),
    log: (m) => console.log(redact(m)),
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Wraps a notification handler: synchronous throws and rejected promises are
 * logged with the handler's name, and the server goes on.
 */
export function guard<A extends unknown[]>(log: Logger, what: string, handler: (...args: A) => void | Promise<void>): (...args: A) => void {
  return (...args: A): void => {
    try {
      const result = handler(...args);
      if (result instanceof Promise) result.catch((e: unknown) => log.error(`${what} failed: ${describeError(e)}`));
    } catch (e) {
      log.error(`${what} failed: ${describeError(e)}`);
    }
  };
}

/**
 * Wraps a request handler: a throw or a rejection is logged and answered
 * with `fallback` (an empty result), so the client never sees an internal
 * error for what is our bug.
 */
export function guardRequest<A extends unknown[], R>(log: Logger, what: string, fallback: R, handler: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    try {
      return await handler(...args);
    } catch (e) {
      log.error(`${what} failed: ${describeError(e)}`);
      return fallback;
    }
  };
}
