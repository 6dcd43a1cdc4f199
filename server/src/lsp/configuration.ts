/**
 * `workspace/didChangeConfiguration`: the editor's `irsa` settings changed.
 * They are pulled with `workspace/configuration` where the client answers it
 * (else taken from what the notification pushes), and each change does what
 * it must: a new size limit re-scans, new rule severities re-analyse, new
 * live settings fetch again.
 */
import { DidChangeConfigurationNotification, type DidChangeConfigurationParams } from 'vscode-languageserver/node';
import { SETTINGS_SECTION } from '../../../shared/settings';
import type { Feature, ServerContext } from './feature';
import { describeError, guard } from './log';
import type { EditorSettingsChange } from './settings';

export const CONFIGURATION: Feature = {
  methods: ['workspace/didChangeConfiguration', 'workspace/configuration'],
  register: (connection, context) => {
    connection.onDidChangeConfiguration(guard(context.log, 'didChangeConfiguration', (params) => configurationChanged(params, context)));
  },
  // VS Code sends the notification only to servers that register for it.
  initialized: (connection, { clientCapabilities, log }) => {
    if (!clientCapabilities().workspace?.didChangeConfiguration?.dynamicRegistration) return;
    connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch((e: unknown) => log.warn(`Could not register for settings changes: ${describeError(e)}`));
  },
};

/** Reads the editor settings again; on failure keeps the previous ones and says so. */
export async function refreshSettings({ settings, clientCapabilities, log }: ServerContext, pushed?: unknown): Promise<EditorSettingsChange> {
  try {
    return await settings.refreshEditorSettings(clientCapabilities(), pushed);
  } catch (e) {
    log.warn(`Could not read the irsa settings; keeping the previous ones: ${describeError(e)}`);
    return { rulesChanged: false, maxFileSizeChanged: false };
  }
}

async function configurationChanged(params: DidChangeConfigurationParams, context: ServerContext): Promise<void> {
  const change = await refreshSettings(context, params.settings);
  // Files now under the limit are read, files now over it dropped.
  if (change.maxFileSizeChanged) context.scan(context.folders.list(), 'irsa.maxFileSizeKB changed');
  if (change.rulesChanged) context.analyzer.schedule();
  if (change.liveChanged && !context.isScanning()) void context.live.refresh();
}
