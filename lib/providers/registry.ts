/**
 * The providers this gateway serves. The receivers, the local runtime and the CDK stack all read this
 * list: adding a provider is one folder under `lib/providers/` and one line here.
 */
import { chatzuri } from './chatzuri/index.js';
import { qikchat } from './qikchat/index.js';
import { qiscusOmnichannel } from './qiscus/omnichannel/index.js';
import { qiscusSdk } from './qiscus/sdk/index.js';
import type { ProviderDefinition } from './types.js';

export const providers: readonly ProviderDefinition[] = [qiscusOmnichannel, qiscusSdk, qikchat, chatzuri];

/** The provider with this slug, or undefined. */
export function findProvider(slug: string): ProviderDefinition | undefined {
  return providers.find((provider) => provider.slug === slug);
}
