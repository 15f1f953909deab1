import type { ReactNode } from 'react';
import { parseMarkdown, type TBlock, type TInline } from '../lib/markdown-preview';

function renderInline(nodes: TInline[]): ReactNode[] {
  return nodes.map((node, index) => {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'strong':
        return <strong key={index}>{renderInline(node.children)}</strong>;
      case 'em':
        return <em key={index}>{renderInline(node.children)}</em>;
      case 'code':
        return <code key={index}>{node.text}</code>;
      case 'link':
        return (
          <a key={index} href={node.href} rel="noopener noreferrer nofollow" target="_blank">
            {renderInline(node.children)}
          </a>
        );
      case 'break':
        return <br key={index} />;
    }
  });
}

function renderBlock(block: TBlock, index: number): ReactNode {
  switch (block.kind) {
    case 'heading': {
      // Inside the page the preview sits under an h2, so its headings start at h3.
      const Tag = (['h3', 'h4', 'h5', 'h6', 'h6', 'h6'] as const)[block.level - 1] ?? 'h6';
      return <Tag key={index}>{renderInline(block.children)}</Tag>;
    }
    case 'paragraph':
      return <p key={index}>{renderInline(block.children)}</p>;
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{renderInline(item)}</li>);
      return block.ordered ? <ol key={index}>{items}</ol> : <ul key={index}>{items}</ul>;
    }
    case 'quote':
      return <blockquote key={index}>{renderInline(block.children)}</blockquote>;
    case 'code':
      return (
        <pre key={index}>
          <code>{block.text}</code>
        </pre>
      );
    case 'rule':
      return <hr key={index} />;
  }
}

/**
 * A live preview of Markdown built from React elements only: whatever is typed, no HTML from it
 * reaches the page. The published page shows the server's sanitized rendering instead.
 */
export function MarkdownPreview({ source }: { source: string }) {
  const blocks = parseMarkdown(source);
  if (blocks.length === 0) return <p className="muted">Nothing to preview yet.</p>;
  return <>{blocks.map(renderBlock)}</>;
}
