/** The worker's destination variables: read as the stack writes them, refused with one line naming the variable. */
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { createDestinations } from '../../lib/destinations/destinations.js';
import { DestinationEnvironment, DestinationSettingsError, destinationsFromEnv } from '../../lib/destinations/environment.js';
import { DestinationsSchema } from '../../lib/destinations/settings.js';
import { PUBLIC_HTTPS_ONLY } from '../../lib/net/outbound.js';
import { cloudEvent } from '../support/events.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:destinations-AbCdEf';

describe('destinationsFromEnv', () => {
  it('reads the settings, the secret ARN and its cache age', () => {
    // Prepare
    const env = {
      [DestinationEnvironment.destinations]: JSON.stringify([{ type: 'https', name: 'crm', url: 'https://crm.example.com/hooks' }]),
      [DestinationEnvironment.secretArn]: SECRET_ARN,
      [DestinationEnvironment.secretsMaxAgeSeconds]: '60',
    };

    // Act
    const read = destinationsFromEnv(env);

    // Assess
    expect(read).toMatchObject({ secretArn: SECRET_ARN, secretsMaxAgeSeconds: 60, destinations: [{ name: 'crm', timeoutMs: 10_000 }] });
  });

  it('reads none when the variable is unset', () => {
    // Act
    const read = destinationsFromEnv({});

    // Assess
    expect(read.destinations).toEqual([]);
  });

  it.each([
    ['settings that are no JSON', { [DestinationEnvironment.destinations]: '[{' }, 'DESTINATIONS is not JSON'],
    ['a setting out of bounds', { [DestinationEnvironment.destinations]: '[{"type":"https","name":"a","url":"https://a.example","timeoutMs":1}]', [DestinationEnvironment.secretArn]: SECRET_ARN }, 'DESTINATIONS: 0.timeoutMs'],
    ['an https destination without its secret', { [DestinationEnvironment.destinations]: '[{"type":"https","name":"a","url":"https://a.example"}]' }, 'DESTINATION_SECRET_ARN is not set'],
    ['a cache age that is no number', { [DestinationEnvironment.secretsMaxAgeSeconds]: 'soon' }, 'DESTINATION_SECRETS_MAX_AGE_SECONDS must be a whole number'],
  ])('refuses %s, naming the variable', (_name, env, message) => {
    // Act
    const read = () => destinationsFromEnv(env);

    // Assess
    expect(read).toThrow(DestinationSettingsError);
    expect(read).toThrow(message);
  });
});

describe('createDestinations', () => {
  const options = { secrets: { getSecrets: () => Promise.resolve({ secrets: [] }) }, policy: PUBLIC_HTTPS_ONLY, logger: new Logger({ logLevel: 'SILENT' }) };

  it('refuses an eventbridge destination without a client, naming it', () => {
    // Act
    const create = () => createDestinations(DestinationsSchema.parse([{ type: 'eventbridge', name: 'bus', busName: 'b' }]), options);

    // Assess
    expect(create).toThrow('Destination bus is of type eventbridge, but no EventBridge client was given');
  });

  it('gives the worker the destinations whose filter takes an event, in settings order', () => {
    // Prepare
    const destinations = createDestinations(
      DestinationsSchema.parse([
        { type: 'https', name: 'all', url: 'https://a.example' },
        { type: 'https', name: 'qikchat-only', url: 'https://b.example', filter: { providers: ['qikchat'] } },
        { type: 'https', name: 'messages', url: 'https://c.example', filter: { types: ['message.*'] } },
      ]),
      options,
    );

    // Act
    const names = destinations.matching(cloudEvent('e-1', 'conv')).map((target) => target.name);

    // Assess: a chatzuri message.received event.
    expect(names).toEqual(['all', 'messages']);
  });
});
