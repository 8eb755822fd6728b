/**
 * docs/provider-setup.md covers every provider of the registry, and every webhook path it tells an operator to
 * register is one the gateway routes: a registered slug, and a kind only where that provider knows the kind.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { webhookPathSegments } from '../../lib/events/webhook-path.js';
import { findProvider, providers } from '../../lib/providers/registry.js';

const docUrl = new URL('../../docs/provider-setup.md', import.meta.url);
const doc = readFileSync(docUrl, 'utf8');

/** The `## ` headings of a Markdown text. */
function sectionHeadings(text: string): string[] {
  return [...text.matchAll(/^## (.+)$/gm)].map((match) => match[1] ?? '');
}

/** Every `/webhooks/...` path written in the doc, up to the first character no path of ours holds. */
function webhookPaths(text: string): string[] {
  return [...text.matchAll(/\/webhooks\/[^\s`'"<>()|,;]*/g)].map((match) => match[0]);
}

/** Why a path is not one the gateway routes for a provider that knows it, or undefined when it is. */
function unroutable(path: string): string | undefined {
  const segments = webhookPathSegments(path);
  if (segments === undefined) return 'not /webhooks/<slug>[/<kind>]';
  const provider = findProvider(segments.slug);
  if (provider === undefined) return `no provider "${segments.slug}"`;
  if (segments.kind !== undefined && !provider.kinds.includes(segments.kind)) return `${provider.slug} knows no kind "${segments.kind}"`;
  return undefined;
}

describe('docs/provider-setup.md', () => {
  it('has a section for every registered provider, by display name or slug', () => {
    // Act
    const headings = sectionHeadings(doc);
    const missing = providers.filter((provider) => !headings.some((heading) => heading.includes(provider.displayName) || heading.includes(`\`${provider.slug}\``)));

    // Assess
    expect(missing.map((provider) => provider.slug)).toEqual([]);
  });

  it('writes only webhook paths the gateway routes', () => {
    // Act
    const paths = webhookPaths(doc);
    const wrong = paths.flatMap((path) => {
      const why = unroutable(path);
      return why === undefined ? [] : [`${path}: ${why}`];
    });

    // Assess
    expect(paths.length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });

  it('gives every provider its path, and every kind a provider knows its own URL', () => {
    // Prepare
    const paths = new Set(webhookPaths(doc));

    // Act
    const expected = providers.flatMap((provider) => (provider.kinds.length === 0 ? [`/webhooks/${provider.slug}`] : provider.kinds.map((kind) => `/webhooks/${provider.slug}/${kind}`)));

    // Assess
    expect(expected.filter((path) => !paths.has(path))).toEqual([]);
  });
});
