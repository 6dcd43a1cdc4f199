/**
 * `textDocument/publishDiagnostics`: findings as diagnostics (converted in
 * `convert.ts`), pushed by the analyzer after each analysis. A cross-file
 * rule reports on whichever file the problem is in, so diagnostics are keyed
 * by the finding's file, open or not. The publisher remembers what each file
 * last showed and sends only the files whose diagnostics changed, including
 * an empty list for a file whose findings went away.
 */
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../rules/types';
import { toDiagnostic, type TextRendering } from './convert';
import type { Feature } from './feature';

/**
 * Pushed diagnostics need no capability and no handler: the table lists
 * them for the record. (Pull diagnostics, `textDocument/diagnostic`, would
 * announce `diagnosticProvider` here.)
 */
export const DIAGNOSTICS: Feature = {
  methods: ['textDocument/publishDiagnostics'],
};

/** Groups findings by the file they are in, keeping the analysis' order within a file. */
export function diagnosticsByUri(findings: Iterable<Finding>, rendering?: TextRendering): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>();
  for (const finding of findings) {
    let list = byUri.get(finding.span.uri);
    if (!list) byUri.set(finding.span.uri, (list = []));
    list.push(toDiagnostic(finding, rendering));
  }
  return byUri;
}

export class DiagnosticsPublisher {
  /** URI → the serialized diagnostics it shows now; files showing none are absent. */
  private readonly shown = new Map<string, string>();

  constructor(private readonly connection: Connection) {}

  /**
   * Makes the client show `next` for every file `inScope` accepts (all by
   * default); files outside the scope keep what they show. Returns how many
   * files were sent.
   */
  publish(next: ReadonlyMap<string, readonly Diagnostic[]>, inScope: (uri: string) => boolean = () => true): number {
    let sent = 0;
    for (const [uri, diagnostics] of next) {
      if (!inScope(uri) || diagnostics.length === 0) continue;
      const serialized = JSON.stringify(diagnostics);
      if (this.shown.get(uri) === serialized) continue;
      this.shown.set(uri, serialized);
      this.send(uri, diagnostics);
      sent++;
    }
    for (const uri of [...this.shown.keys()]) {
      if ((next.get(uri)?.length ?? 0) > 0 || !inScope(uri)) continue;
      this.shown.delete(uri);
      this.send(uri, []);
      sent++;
    }
    return sent;
  }

  private send(uri: string, diagnostics: readonly Diagnostic[]): void {
    // Rejects only when the connection is gone, and then there is no one to tell.
    this.connection.sendDiagnostics({ uri, diagnostics: [...diagnostics] }).catch(() => undefined);
  }
}
