import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { defaultSample, GOLDEN_EVENT_SUFFIX, listSamples, samplesFolder } from '../../../dev/local/samples.js';
import { runToken, smokeDelivery } from '../../../dev/smoke/samples.js';
import { providers } from '../../../lib/providers/registry.js';
import { provider as providerOf, testSecrets } from '../../support/local-runtime.js';

/** The event id the provider's default sample has as stored (its golden event). */
async function storedId(slug: string): Promise<string> {
  const sample = defaultSample(await listSamples(slug)) ?? '';
  const golden = JSON.parse(await readFile(new URL(`${sample}${GOLDEN_EVENT_SUFFIX}`, samplesFolder(slug)), 'utf8')) as { id: string };
  return golden.id;
}

describe('runToken', () => {
  it('is smoke-, the UTC time to the second and 6 random hex digits, and differs between two runs of one second', () => {
    // Prepare
    const now = new Date('2026-11-29T10:15:02.345Z');

    // Act
    const [first, second] = [runToken(now), runToken(now)];

    // Assess
    expect(first).toMatch(/^smoke-20261129T101502Z-[0-9a-f]{6}$/);
    expect(second).not.toBe(first);
  });
});

describe('smokeDelivery', () => {
  it.each(providers.map((provider) => provider.slug))('makes %s\'s default sample new for the run: the token is in its event id', async (slug) => {
    // Prepare
    const token = 'smoke-20261129T101502Z-4f2a9c';

    // Act
    const delivery = await smokeDelivery(providerOf(slug), token, testSecrets[slug] ?? '');

    // Assess: the provider's own id field carries it, so the id is readable and not the stored sample's
    expect(delivery.sample).toBe(defaultSample(await listSamples(slug)));
    expect(delivery.expected.id).toMatch(new RegExp(`^${slug}:[a-z.]+:${token}$`));
    expect(delivery.expected.id).not.toBe(await storedId(slug));
    expect(JSON.stringify(delivery.expected.data)).toContain(`Smoke test ${token} (npm run smoke)`);
  });

  it.each(providers.map((provider) => provider.slug))('signs %s\'s delivery so that its receiver\'s check accepts it, and only with that secret', async (slug) => {
    // Prepare
    const provider = providerOf(slug);
    const secret = testSecrets[slug] ?? '';

    // Act
    const { body, headers } = await smokeDelivery(provider, runToken(), secret);
    const delivery = { rawBody: body, headers, receivedAt: new Date() };

    // Assess
    expect(() => provider.verify(delivery, [secret])).not.toThrow();
    expect(() => provider.verify(delivery, [`${secret}-other`])).toThrow();
  });

  it('gives two runs different event ids for every provider', async () => {
    // Act
    const ids = async (token: string) => Promise.all(providers.map(async (provider) => (await smokeDelivery(provider, token, testSecrets[provider.slug] ?? '')).expected.id));
    const [first, second] = [await ids(runToken()), await ids(runToken())];

    // Assess
    expect(new Set([...first, ...second]).size).toBe(providers.length * 2);
  });

  it('says which file to update when a provider has no smoke fields', async () => {
    // Prepare
    const unknown = { ...providerOf('qikchat'), slug: 'telegram' };

    // Act & Assess
    await expect(smokeDelivery(unknown, runToken(), 'x')).rejects.toThrow('No smoke sample for provider "telegram": add its fields to dev/smoke/samples.ts');
  });
});
