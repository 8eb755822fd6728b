/**
 * Where a provider's webhooks arrive, `/webhooks/<slug>[/<kind>]`: the API's routes, the receiver's and the
 * local server's path parsing, and the events' CloudEvents `source` all read this one pattern.
 */

/** `/webhooks/<slug>[/<kind>][/]`, segments still percent-encoded. */
const WEBHOOK_PATH = /^\/webhooks\/([^/]+)(?:\/([^/]+))?\/?$/;

/** A provider's webhook path, `/webhooks/<slug>`: its route, the URL registered with it, and its events' `source`. */
export function webhookPath(slug: string): string {
  return `/webhooks/${slug}`;
}

/** The route carrying the advisory kind hint, as API Gateway writes a path parameter: `/webhooks/<slug>/{kind}`. */
export function webhookKindRoute(slug: string): string {
  return `${webhookPath(slug)}/{kind}`;
}

/** The segments of a webhook path as sent (not yet decoded); undefined when the path is no webhook path. */
export interface WebhookPathSegments {
  readonly slug: string;
  readonly kind: string | undefined;
}

/** @example webhookPathSegments('/webhooks/qiscus-omnichannel/new-session') // { slug: 'qiscus-omnichannel', kind: 'new-session' } */
export function webhookPathSegments(path: string): WebhookPathSegments | undefined {
  const match = WEBHOOK_PATH.exec(path);
  const slug = match?.[1];
  return slug === undefined ? undefined : { slug, kind: match?.[2] };
}
