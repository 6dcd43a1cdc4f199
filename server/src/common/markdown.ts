/**
 * The engine writes messages and fix titles in Markdown (`code` in
 * backticks). Outputs that show plain text (most editors' diagnostics, the
 * CLI's text output) render code spans as plain quotes, the same way
 * everywhere, so a message reads alike in the Problems view and a CI log.
 */

/** Markdown as plain text: `code` spans become 'code'. */
export function inlineCodeAsQuotes(markdown: string): string {
  return markdown.replace(/`([^`\n]+)`/g, "'$1'");
}
