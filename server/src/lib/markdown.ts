import MarkdownIt from 'markdown-it';

/**
 * Organizer-written Markdown to HTML that is safe to insert into a page: raw HTML in the source
 * is escaped (html: false), and markdown-it refuses javascript:, vbscript: and data: links.
 * Links open in a new tab without handing the page to the target.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true, breaks: false });

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  token?.attrSet('rel', 'nofollow noopener noreferrer');
  token?.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};
// Images in descriptions would let anyone track visitors; show them as links instead.
markdown.disable('image');

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
