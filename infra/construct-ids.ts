/**
 * `qiscus-omnichannel` → `QiscusOmnichannel`: construct ids, output names and thereby the generated resource
 * names (`ChatWebhookGateway-MonitoringQikchatReceiverErrors...`) of everything made per provider.
 *
 * @param slug - a provider slug
 * @example
 * pascalCase('qiscus-sdk'); // 'QiscusSdk'
 */
export function pascalCase(slug: string): string {
  return slug
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
