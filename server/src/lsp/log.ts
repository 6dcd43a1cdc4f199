/**
 * Logging through `window/logMessage` (the client shows it in its output
 * channel), and the guard every handler runs behind: a bug in one handler
 * costs one message a log line, never the server its life.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
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
 * Where the server is in the protocol's lifecycle. After `shutdown` the
 * protocol wants every request refused with InvalidRequest; only `exit` is
 * still expected.
 */
export class Lifecycle {
  private down = false;

  shutDown(): void {
    this.down = true;
  }

  get isShutDown(): boolean {
    return this.down;
  }
}

/** A request handler wrapped by `requestGuard`. */
export type RequestGuard = <A extends unknown[], R>(what: string, fallback: R, handler: (...args: A) => R | Promise<R>) => (...args: A) => Promise<R>;

/**
 * The guard for every request handler: refused with InvalidRequest after
 * `shutdown`; otherwise a throw or a rejection is logged and answered with
 * `fallback` (an empty result), so the client never sees an internal error
 * for what is our bug.
 */
export function requestGuard(log: Logger, lifecycle: Lifecycle): RequestGuard {
  return <A extends unknown[], R>(what: string, fallback: R, handler: (...args: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (lifecycle.isShutDown) throw new ResponseError(ErrorCodes.InvalidRequest, `${what} after shutdown: the server only accepts exit now`);
      try {
        return await handler(...args);
      } catch (e) {
        log.error(`${what} failed: ${describeError(e)}`);
        return fallback;
      }
    };
}
