/**
 * What only development needs of each provider, kept out of the Lambda bundles: the environment variable the
 * local runtime reads its secret from, the public development default used when that variable is unset, what a
 * usable value looks like, and a signer that produces the headers the provider would send (for `npm run send`,
 * the load generator, the benchmarks and the tests). Keyed by the provider's slug.
 */
import type { ProviderDefinition } from '../lib/providers/types.js';
import { QISCUS_OMNICHANNEL_SIGNATURE } from '../lib/providers/qiscus/omnichannel/verify.js';
import type { QiscusSignatureScheme } from '../lib/providers/qiscus/shared/signature.js';
import { QISCUS_SDK_SIGNATURE } from '../lib/providers/qiscus/sdk/verify.js';
import { hmacSign } from '../lib/providers/kit/hmac.js';

/** The headers a provider would send with this body, signed with `secret`. */
type DeliverySigner = (body: Uint8Array, secret: string) => Record<string, string>;

export interface DevProvider {
  /** Environment variable with the current secret for the local runtime; `<name>_PREVIOUS` holds the previous. */
  readonly secretEnv: string;
  /** DEVELOPMENT DEFAULT secret, used only by the local runtime when neither variable is set. Public: never in AWS. */
  readonly developmentSecret: string;
  /** What a usable value is, said so that it completes "must be ..." in an error line. */
  readonly secretNeeds: string;
  /** Whether a non-blank value has the form the provider needs (Qikchat: `user:password`). */
  readonly secretHasForm: (value: string) => boolean;
  readonly sign: DeliverySigner;
}

/** Every Qiscus product signs the same way: the HMAC-SHA256 of the raw body in its header and encoding. */
function qiscusSigner(scheme: QiscusSignatureScheme): DeliverySigner {
  return (body, secret) => ({ [scheme.header]: hmacSign('sha256', scheme.encoding, secret, body) });
}

const anyText = (): boolean => true;

const devProviders: ReadonlyMap<string, DevProvider> = new Map<string, DevProvider>([
  [
    'qiscus-omnichannel',
    {
      secretEnv: 'QISCUS_OMNICHANNEL_SECRET_KEY',
      developmentSecret: 'dev-only-qiscus-omnichannel-secret',
      secretNeeds: 'the Qiscus Secret Key',
      secretHasForm: anyText,
      sign: qiscusSigner(QISCUS_OMNICHANNEL_SIGNATURE),
    },
  ],
  [
    'qiscus-sdk',
    {
      secretEnv: 'QISCUS_SDK_SIGNATURE_TOKEN',
      developmentSecret: 'dev-only-qiscus-sdk-signature-token',
      secretNeeds: 'the Qiscus webhook signature token',
      secretHasForm: anyText,
      sign: qiscusSigner(QISCUS_SDK_SIGNATURE),
    },
  ],
  [
    'qikchat',
    {
      secretEnv: 'QIKCHAT_BASIC_AUTH',
      developmentSecret: 'dev-user:dev-only-password',
      secretNeeds: 'user:password (a user, a colon, a password)',
      // Basic credentials: the user part cannot hold a colon, the password may.
      secretHasForm: (value) => /^[^:]+:.+$/s.test(value),
      // Basic credentials do not depend on the body.
      sign: (_body, secret) => ({ Authorization: `Basic ${Buffer.from(secret, 'utf8').toString('base64')}` }),
    },
  ],
  [
    'chatzuri',
    {
      secretEnv: 'CHATZURI_SECRET_KEY',
      developmentSecret: 'dev-only-chatzuri-secret-key',
      secretNeeds: 'the Chatzuri webhook secret key',
      secretHasForm: anyText,
      // The Webhooks API page's documented form: hex HMAC-SHA1 of the raw body.
      sign: (body, secret) => ({ 'x-chatzuri-signature': hmacSign('sha1', 'hex', secret, body) }),
    },
  ],
]);

/**
 * The development data of a provider.
 *
 * @throws Error when the provider has none: a new provider needs its line here too
 * @example devProvider(qikchat).sign(body, 'user:password') // { Authorization: 'Basic dXNlcjpwYXNzd29yZA==' }
 */
export function devProvider(provider: Pick<ProviderDefinition, 'slug'> | string): DevProvider {
  const slug = typeof provider === 'string' ? provider : provider.slug;
  const found = devProviders.get(slug);
  if (found === undefined) throw new Error(`No development data for provider "${slug}": add it to dev/providers.ts`);
  return found;
}

/** The headers `provider` would send with `body`, signed with `secret`. */
export function signDelivery(provider: Pick<ProviderDefinition, 'slug'>, body: Uint8Array, secret: string): Record<string, string> {
  return devProvider(provider).sign(body, secret);
}

/** Every development secret: what no Lambda bundle may contain. */
export function developmentSecrets(): string[] {
  return [...devProviders.values()].map((data) => data.developmentSecret);
}
