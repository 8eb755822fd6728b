/**
 * Every relative link of the README and docs/ reaches a file that exists and, with a fragment, a heading of it (as
 * GitHub makes anchors), so a moved section or a renamed heading cannot leave a newcomer at a dead end.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const documents = ['README.md', 'BENCHMARKS.md', ...readdirSync(new URL('docs/', root)).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
function anchor(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings, outside code blocks. */
function anchors(text: string): Set<string> {
  const found = new Set<string>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (!fenced && /^#+ /.test(line)) found.add(anchor(line.replace(/^#+ /, '')));
  }
  return found;
}

describe.each(documents)('%s', (document) => {
  it('links only to files and headings that exist', () => {
    // Prepare
    const url = new URL(document, root);
    const text = readFileSync(url, 'utf8');

    // Act
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '').filter((link) => !/^[a-z]+:/.test(link));
    const broken = links.filter((link) => {
      const [file = '', fragment] = link.split('#');
      const target = file === '' ? url : new URL(file, url);
      if (!existsSync(target)) return true;
      return fragment !== undefined && fragment !== '' && !anchors(readFileSync(target, 'utf8')).has(fragment);
    });

    // Assess
    expect(broken).toEqual([]);
  });
});
