import { render } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { MarkdownPreview } from './markdown-preview';

describe('MarkdownPreview', () => {
  test('renders Markdown as elements and never as raw HTML', () => {
    const { container } = render(
      <MarkdownPreview
        source={'## Hi <img src=x onerror=alert(1)>\n\n**bold** [evil](javascript:alert(1))'}
      />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('h4')?.textContent).toBe('Hi <img src=x onerror=alert(1)>');
    expect(container.querySelector('strong')?.textContent).toBe('bold');
    expect(container.querySelector('a')).toBeNull();
  });

  test('says when there is nothing to show', () => {
    const { container } = render(<MarkdownPreview source={'   \n'} />);
    expect(container.textContent).toBe('Nothing to preview yet.');
  });
});
