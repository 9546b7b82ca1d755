import { describe, expect, it } from 'vitest';
import { lineText, renderMarkdown, type Line } from '../../src/ui/markdown.js';

const texts = (md: string, width = 80) => renderMarkdown(md, width).map(lineText);
const styled = (line: Line) => line.filter((s) => Object.keys(s).length > 1);

describe('renderMarkdown blocks', () => {
  it('renders headings of every level as heading segments without the # marks', () => {
    const lines = renderMarkdown('# One\n\n###### Six ##\n\n## Step {#step-id}', 80);
    expect(lines.map(lineText)).toEqual(['One', '', 'Six', '', 'Step']);
    expect(lines[0]).toEqual([{ text: 'One', heading: true }]);
    expect(lines[2]).toEqual([{ text: 'Six', heading: true }]);
  });

  it('renders setext headings', () => {
    expect(renderMarkdown('Title\n=====\n\nSub\n---', 80)).toEqual([[{ text: 'Title', heading: true }], [], [{ text: 'Sub', heading: true }]]);
  });

  it('joins the lines of a paragraph and wraps it at word boundaries', () => {
    const md = 'The quick brown fox\njumps over the lazy dog and keeps running far away.';
    expect(texts(md, 20)).toEqual(['The quick brown fox', 'jumps over the lazy', 'dog and keeps', 'running far away.']);
    for (const line of texts(md, 20)) expect(line.length).toBeLessThanOrEqual(20);
  });

  it('breaks a word only when it is longer than the width', () => {
    expect(texts('a abcdefghijkl b', 5)).toEqual(['a', 'abcde', 'fghij', 'kl b']);
  });

  it('collapses several blank lines between blocks into one and trims the ends', () => {
    expect(texts('\n\nFirst.\n\n\n\nSecond.\n\n')).toEqual(['First.', '', 'Second.']);
  });

  it('honours hard line breaks', () => {
    expect(texts('one  \ntwo\\\nthree')).toEqual(['one', 'two', 'three']);
  });

  it('renders bullet lists with a hanging indent and nesting', () => {
    const md = '- first item that wraps around\n- second\n  - nested one\n  * nested two\n- third';
    expect(texts(md, 16)).toEqual(['• first item', '  that wraps', '  around', '• second', '  • nested one', '  • nested two', '• third']);
  });

  it('numbers ordered lists from their start and aligns the markers', () => {
    const md = Array.from({ length: 10 }, (_, i) => `${i + 1}. item ${i + 1}`).join('\n');
    const lines = texts(md);
    expect(lines[0]).toBe(' 1. item 1');
    expect(lines[9]).toBe('10. item 10');
    expect(texts('3) three\n4) four words here', 12)).toEqual(['3. three', '4. four', '   words', '   here']);
  });

  it('keeps the paragraphs of a loose list item apart and indented', () => {
    expect(texts('1. one\n2. two\n\n   more about two\n3. three')).toEqual(['1. one', '', '2. two', '', '   more about two', '', '3. three']);
  });

  it('continues a list item on a lazy continuation line', () => {
    expect(texts('- a long\nitem')).toEqual(['• a long item']);
  });

  it('renders fenced code in a list item inside the item', () => {
    expect(texts('1. Run:\n\n   ```bash\n   kubectl get pods\n   ```\n2. Done')).toEqual(['1. Run:', '', '     kubectl get pods', '', '2. Done']);
    expect(texts('- Run:\n  ```\n  a\n\n  b\n  ```\n- Done')).toEqual(['• Run:', '    a', '', '    b', '• Done']);
  });

  it('prefixes block quotes with a bar and wraps inside them', () => {
    const lines = renderMarkdown('> quoted text that wraps\n>\n> again', 12);
    expect(lines.map(lineText)).toEqual(['│ quoted', '│ text that', '│ wraps', '│', '│ again']);
    expect(lines[0][0]).toEqual({ text: '│ ', dim: true });
  });

  it('renders fenced code indented by 2 as code segments, wrapping (marked ›) only a line wider than the width', () => {
    const md = 'Run:\n\n```bash\nkubectl -n istio-system port-forward svc/tracing 15032:80\n\n\techo tab\n```\n\n~~~\nplain\n~~~';
    const lines = renderMarkdown(md, 60);
    expect(lines.map(lineText)).toEqual([
      'Run:',
      '',
      '  kubectl -n istio-system port-forward svc/tracing 15032:80',
      '',
      '      echo tab',
      '',
      '  plain',
    ]);
    expect(lines[2]).toEqual([{ text: '  ' }, { text: 'kubectl -n istio-system port-forward svc/tracing 15032:80', code: true }]);
    const narrow = renderMarkdown(md, 24).map(lineText);
    expect(narrow.slice(2, 6)).toEqual(['  kubectl -n', '  › istio-system', '  › port-forward', '  › svc/tracing 15032:80']);
    for (const l of narrow) expect(l.length).toBeLessThanOrEqual(24);
  });

  it('keeps ``` lines inside a longer fence as code', () => {
    expect(texts('````md\n```bash\nx\n```\n````')).toEqual(['  ```bash', '  x', '  ```']);
  });

  it('renders indented code blocks', () => {
    expect(texts('Para.\n\n    code line\n      more')).toEqual(['Para.', '', '  code line', '    more']);
  });

  it('draws thematic breaks across the width and drops HTML comments', () => {
    expect(renderMarkdown('a\n\n<!-- hidden\nstill hidden -->\n\n---\n\nb', 5)).toEqual([
      [{ text: 'a' }],
      [],
      [{ text: '─────', dim: true }],
      [],
      [{ text: 'b' }],
    ]);
  });

  it('lays out pipe tables in columns, wrapping cells that do not fit', () => {
    const md = '| kind | passes when |\n|---|---|\n| `port-open` | something listens on the port |';
    const lines = renderMarkdown(md, 30);
    expect(lines.map(lineText)).toEqual(['kind       passes when', '─────────  ───────────────────', 'port-open  something listens', '           on the port']);
    expect(styled(lines[0])).toEqual([{ text: 'kind', bold: true }, { text: 'passes when', bold: true }]);
    expect(styled(lines[2])).toEqual([{ text: 'port-open', code: true }]);
  });
});

describe('renderMarkdown inline styles', () => {
  it('marks bold, emphasis and code', () => {
    expect(renderMarkdown('a **bold** *em* _em2_ `x = 1` b', 80)).toEqual([
      [
        { text: 'a ' },
        { text: 'bold', bold: true },
        { text: ' ' },
        { text: 'em', italic: true },
        { text: ' ' },
        { text: 'em2', italic: true },
        { text: ' ' },
        { text: 'x = 1', code: true },
        { text: ' b' },
      ],
    ]);
  });

  it('nests emphasis inside bold and handles ***both***', () => {
    expect(renderMarkdown('**a *b* c** ***d***', 80)).toEqual([
      [
        { text: 'a ', bold: true },
        { text: 'b', bold: true, italic: true },
        { text: ' c', bold: true },
        { text: ' ' },
        { text: 'd', bold: true, italic: true },
      ],
    ]);
  });

  it('turns links into their text with the url attached, across wrapped lines', () => {
    const lines = renderMarkdown('See [the Istio docs](https://istio.io/latest/docs "Istio") now', 12);
    expect(lines.map(lineText)).toEqual(['See the', 'Istio docs', 'now']);
    expect(lines[0]).toEqual([{ text: 'See ' }, { text: 'the', link: 'https://istio.io/latest/docs' }]);
    expect(lines[1]).toEqual([{ text: 'Istio docs', link: 'https://istio.io/latest/docs' }]);
  });

  it('renders autolinks as links and images as their caption', () => {
    expect(renderMarkdown('<https://a.example/x> ![diagram](img.png)', 80)).toEqual([
      [{ text: 'https://a.example/x', link: 'https://a.example/x' }, { text: ' ' }, { text: 'Figure: diagram', italic: true }],
    ]);
  });

  it('leaves underscores inside words, unmatched markers and escapes as text', () => {
    expect(texts('snake_case_name a * b 2*3 \\*not em\\* [no link] `open')).toEqual(['snake_case_name a * b 2*3 *not em* [no link] `open']);
  });

  it('does not look for emphasis inside code spans', () => {
    expect(renderMarkdown('`**x**` and ``a ` b``', 80)).toEqual([
      [{ text: '**x**', code: true }, { text: ' and ' }, { text: 'a ` b', code: true }],
    ]);
  });

  it('styles headings and their inline parts together', () => {
    expect(renderMarkdown('## Use `kubectl`', 80)).toEqual([[{ text: 'Use ', heading: true }, { text: 'kubectl', heading: true, code: true }]]);
  });
});

describe('lineText', () => {
  it('joins the text of the segments', () => {
    expect(lineText([{ text: '│ ', dim: true }, { text: 'a', bold: true }, { text: 'b' }])).toBe('│ ab');
    expect(lineText([])).toBe('');
  });
});

describe('line breaks inside a paragraph', () => {
  it('join two CJK characters without a space, and are a space elsewhere', () => {
    const text = (md: string) => renderMarkdown(md, 80).map(lineText).join('\n').trim();
    expect(text('本课使用本地\n端口 15032。')).toBe('本课使用本地端口 15032。');
    expect(text('the lesson uses\nport 15032')).toBe('the lesson uses port 15032');
    expect(text('转发到 pod\n的端口')).toBe('转发到 pod 的端口');
    // Full-width punctuation takes no space on either side, whatever follows it.
    expect(text('停掉（`jaeger-forward-pod`、\n`jaeger-forward` 或 x）')).toBe('停掉（jaeger-forward-pod、jaeger-forward 或 x）');
    expect(text('只结束那一个作业：\n`kill %1`（编号）')).toBe('只结束那一个作业：kill %1（编号）');
    expect(text('a pod\n（Jaeger）')).toBe('a pod（Jaeger）');
  });
});
