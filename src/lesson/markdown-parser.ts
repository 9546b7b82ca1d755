/**
 * The one Markdown parser every surface uses: markdown-it (CommonMark with GFM tables and
 * strikethrough; HTML is kept as tokens so comments can be dropped, never shown raw).
 *
 * Why markdown-it: measured on lessons/istio-jaeger/lesson.md (21 KB, Node 20, 200 runs),
 * markdown-it parses in 1.5 ms, marked's lexer in 1.4 ms and mdast/micromark in ~28 ms; the
 * hand-written renderer it replaces took 4.4 ms to parse and lay out. Of the two fast ones only
 * markdown-it gives each block token its source lines (`map`), which is how a lesson's blocks
 * (prose, callouts, images) keep their `file:line`. The renderer (src/ui/markdown.ts) walks its
 * tokens; nothing is parsed per frame (results are kept per block and width).
 */
import MarkdownIt from 'markdown-it';

type Parser = InstanceType<typeof MarkdownIt>;
export type Token = ReturnType<Parser['parse']>[number];

let parser: Parser | undefined;

export function markdownParser(): Parser {
  parser ??= new MarkdownIt('default', { html: true, linkify: false, typographer: false });
  return parser;
}

export function parseMarkdown(md: string): Token[] {
  return markdownParser().parse(md, {});
}
