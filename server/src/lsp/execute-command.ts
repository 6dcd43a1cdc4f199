/**
 * `workspace/executeCommand`: the commands the server runs for any client
 * (`SERVER_COMMANDS`). "Show documentation for <rule>", the code action on
 * every finding, asks the client to open the rule's page with
 * `window/showDocument` (LSP 3.16); a client that cannot gets the address
 * in a message instead.
 */
import { MessageType, ShowMessageNotification, type ExecuteCommandParams } from 'vscode-languageserver/node';
import { SERVER_COMMANDS } from '../../../shared/protocol';
import { ruleById } from '../rules/registry';
import { docsUrl } from '../rules/types';
import type { Feature } from './feature';

export const EXECUTE_COMMAND: Feature = {
  methods: ['workspace/executeCommand', 'window/showDocument'],
  capabilities: { executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) } },
  register: (connection, { guard, clientCapabilities, log }) => {
    connection.onExecuteCommand(
      guard('executeCommand', null, async (params: ExecuteCommandParams) => {
        if (params.command !== SERVER_COMMANDS.showDocumentation) return null;
        const ruleId = params.arguments?.[0];
        if (typeof ruleId !== 'string' || !ruleById(ruleId)) {
          log.warn(`${SERVER_COMMANDS.showDocumentation}: expected a rule id as the argument.`);
          return null;
        }
        const uri = docsUrl(ruleId);
        if (clientCapabilities().window?.showDocument?.support === true) {
          const shown = await connection.window.showDocument({ uri, external: true });
          if (shown.success) return null;
        }
        await connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `Documentation of ${ruleId}: ${uri}` });
        return null;
      }),
    );
  },
};
