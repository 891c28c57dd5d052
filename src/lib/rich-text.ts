import type MarkdownIt from 'markdown-it';

/**
 * The safe formatting of announcements (C2): paragraphs, lists, emphasis and links written in
 * Markdown, never raw HTML. markdown-it runs with `html: false` (a tag is shown as text), its
 * default link check (no javascript:, vbscript:, file: or data: links but images), and every
 * link opens with rel="noopener noreferrer". Headings, images, tables and code blocks are not
 * part of an announcement: their rules are off, so their marks stay as typed.
 */
let parser: MarkdownIt | undefined;

/** The parser, made on first use (docs/decisions.md "Heavy libraries load on first use"). */
async function markdown(): Promise<MarkdownIt> {
  if (parser) return parser;
  const { default: MarkdownItClass } = await import('markdown-it');
  const made = new MarkdownItClass('zero', { html: false, linkify: true, breaks: true, typographer: false });
  made.enable(['paragraph', 'newline', 'list', 'emphasis', 'link', 'linkify', 'autolink', 'escape', 'entity', 'text', 'balance_pairs', 'fragments_join', 'inline', 'block', 'normalize', 'text_join']);
  const defaultOpen = made.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  made.renderer.rules.link_open = (tokens, index, options, env, self) => {
    tokens[index]!.attrSet('rel', 'noopener noreferrer');
    return defaultOpen(tokens, index, options, env, self);
  };
  parser = made;
  return made;
}

/** An announcement's text as HTML that is safe to put into a page (`<%- %>` of this value only). */
export async function renderRichText(source: string): Promise<string> {
  return (await markdown()).render(source);
}
