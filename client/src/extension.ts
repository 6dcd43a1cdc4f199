/**
 * The VS Code side: starts the bundled language server and contributes the
 * commands. No analysis happens here; diagnostics come from the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type Location as LspLocation, type Position as LspPosition, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../server/src/common/settings';

/** The client id: vscode-languageclient reads `<id>.trace.server` for protocol tracing. */
const CLIENT_ID = SETTINGS_SECTION;
const CLIENT_NAME = 'IRSA';

export const COMMANDS = {
  restartServer: 'irsa.restartServer',
  showOutput: 'irsa.showOutput',
  /** Run by the role code lenses (the server's SHOW_REFERENCES_COMMAND): protocol locations → VS Code's peek view. */
  showReferences: 'irsa.showReferences',
} as const;

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(outputChannel);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Terraform files also by pattern: without a Terraform extension they have no language id.
    documentSelector: [
      { scheme: 'file', language: 'terraform' },
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', pattern: '**/*.{tf,tfvars}' },
    ],
    // The server pulls `irsa` with workspace/configuration; this makes VS Code tell it when to.
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel,
  };
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      if (!client) return;
      outputChannel.info('Restarting the IRSA language server.');
      await client.restart();
    }),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => outputChannel.show(true)),
    vscode.commands.registerCommand(COMMANDS.showReferences, async (uri: string, position: LspPosition, locations: readonly LspLocation[]) => {
      // `editor.action.showReferences` wants VS Code types, which the server cannot send.
      const converter = client?.protocol2CodeConverter;
      if (!converter) return;
      await vscode.commands.executeCommand(
        'editor.action.showReferences',
        converter.asUri(uri),
        converter.asPosition(position),
        locations.map((l) => converter.asLocation(l)),
      );
    }),
  );

  await client.start();
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
