/** Markdown-escapes rule and finding text: no HTML, no links or commands smuggled in through it. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>&]/g, (c) => `\\${c}`);
}
