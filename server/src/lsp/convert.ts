/**
 * Every conversion between the engine's values and the protocol's, in one
 * place (as terraform-ls keeps them in `internal/lsp`): the feature files
 * ask the engine and hand its answer through here.
 */
import { NotificationType, NotificationType0, RequestType0 } from 'vscode-languageserver/node';
import type { NotificationDeclaration, RequestDeclaration } from '../../../shared/protocol';

/** A request of `shared/protocol.ts` without parameters, as vscode-languageserver types it. */
export function requestType0<R>(request: RequestDeclaration<void, R>): RequestType0<R, void> {
  return new RequestType0<R, void>(request.method);
}

/** A notification of `shared/protocol.ts` without parameters. */
export function notificationType0(notification: NotificationDeclaration<void>): NotificationType0 {
  return new NotificationType0(notification.method);
}

/** A notification of `shared/protocol.ts` with parameters. */
export function notificationType<P>(notification: NotificationDeclaration<P>): NotificationType<P> {
  return new NotificationType<P>(notification.method);
}
