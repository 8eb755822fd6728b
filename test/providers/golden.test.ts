/**
 * Golden files: every provider sample `dev/samples/<slug>/<name>.json`, signed as its provider signs, verifies
 * and becomes exactly the event in `<name>.event.json`. Adding a sample is two files: the sample, and its event
 * written by `npm run golden -- --update` (then reviewed). An intended change of an event is the same command.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WebhookEventSchema } from '../../lib/events/schema.js';
import { normaliseDelivery } from '../../lib/normalise/normalise.js';
import { providers } from '../../lib/providers/registry.js';
import { GOLDEN_SECRET, goldenDelivery, goldenSamples, goldenText, orphanGoldenFiles } from '../../dev/golden.js';

const UPDATE_HINT = 'the event differs from the golden file: run `npm run golden -- --update` if the change is intended';

describe.each(providers.map((provider) => [provider.slug, provider] as const))('golden samples (%s)', (slug, provider) => {
  const samples = goldenSamples(slug);

  it('has samples, and no golden file without its sample', () => {
    // Act
    const orphans = orphanGoldenFiles(slug);
    // Assess
    expect(samples.length).toBeGreaterThan(0);
    expect(orphans).toEqual([]);
  });

  it.each(samples.map((sample) => [sample.name, sample] as const))('%s: verifies and becomes its golden event', (_name, sample) => {
    // Prepare
    expect(existsSync(sample.eventFile), 'no golden file: run `npm run golden -- --update`').toBe(true);
    const golden = readFileSync(sample.eventFile, 'utf8');
    const delivery = goldenDelivery(provider, sample.body);
    // Act
    const verify = (): void => provider.verify(delivery, [GOLDEN_SECRET]);
    const event = normaliseDelivery(provider, delivery);
    // Assess
    expect(verify).not.toThrow();
    expect(WebhookEventSchema.safeParse(event).error).toBeUndefined();
    expect(event.type).not.toBe('event.unrecognized');
    expect(goldenText(event), UPDATE_HINT).toBe(golden);
    // The file holds the event itself, whatever order its keys are written in.
    expect(JSON.parse(golden)).toEqual(JSON.parse(JSON.stringify(event)));
  });
});
