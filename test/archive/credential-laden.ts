/**
 * Issue 22, point 3: the 13 signed credential-like values that were archived in clear, each in a real sample of its
 * provider, and the `qismo_key` the default handler logged at DEBUG. Values long and unique, so that finding one
 * anywhere is a leak.
 */
import { readSample } from '../../dev/local/samples.js';

/** The bodies to sign (one per provider with a credential of its own), and every credential value in them. */
export async function credentialLadenBodies(): Promise<{ readonly bodies: readonly { readonly slug: string; readonly body: string }[]; readonly credentials: string[] }> {
  const credentials: string[] = [];
  const value = (name: string): string => {
    const credential = `leak-${name}-${credentials.length}-9f3c7a1e`;
    credentials.push(credential);
    return credential;
  };
  // Qiscus agent allocation: six spellings in `candidate_agent`, two inside the JSON-string field `extras`
  const allocation = JSON.parse((await readSample('qiscus-omnichannel', 'agent-allocation')).toString('utf8')) as Record<string, unknown> & { candidate_agent: Record<string, unknown> };
  Object.assign(allocation.candidate_agent, {
    Authentication_Token: value('Authentication_Token'),
    authenticationToken: value('authenticationToken'),
    password: value('password'),
    access_token: value('access_token'),
    api_key: value('api_key'),
    secret: value('secret'),
    qismo_key: value('qismo_key'),
  });
  allocation.extras = JSON.stringify({ timezone_offset: 7, sdk_key: value('sdk_key'), authentication_token: value('authentication_token') });
  // Qikchat and Chatzuri, whose lists were empty
  const qikchat = JSON.parse((await readSample('qikchat', 'message-text')).toString('utf8')) as { payload: Record<string, unknown> };
  qikchat.payload.id = 'credential-laden-qikchat'; // an id of its own: not a copy of the sample with other content
  qikchat.payload.context = { access_token: value('qikchat-access_token'), apiKey: value('qikchat-apiKey') };
  const chatzuri = JSON.parse((await readSample('chatzuri', 'guide-message-received')).toString('utf8')) as { data: Record<string, unknown> };
  Object.assign(chatzuri.data, {
    messageId: 'credential-laden-chatzuri',
    webhook_secret: value('chatzuri-webhook_secret'),
    metadata: { 'X-Auth': value('chatzuri-X-Auth') },
    callback: `https://shop.example.com/cb?token=${value('chatzuri-token')}&lang=id`,
  });
  return {
    bodies: [
      { slug: 'qiscus-omnichannel', body: JSON.stringify(allocation) },
      { slug: 'qikchat', body: JSON.stringify(qikchat) },
      { slug: 'chatzuri', body: JSON.stringify(chatzuri) },
    ],
    credentials,
  };
}
