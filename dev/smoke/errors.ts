/**
 * What `npm run smoke` cannot do, said in one line that names the fix: the CLI prints the message (and exits 1),
 * never a stack trace. The original error stays as `cause`.
 */
export class SmokeError extends Error {
  override readonly name: string = 'SmokeError';
}

/** The errors of `error`'s cause chain, itself first. */
function chain(error: unknown): unknown[] {
  const errors: unknown[] = [];
  for (let current = error; current !== undefined && errors.length < 10; current = current instanceof Error ? current.cause : undefined) {
    errors.push(current);
  }
  return errors;
}

/** The deepest cause of an error, as `Name: message` on one line. */
export function rootCause(error: unknown): string {
  const cause = chain(error).at(-1);
  const text = cause instanceof Error ? (cause.name && cause.name !== 'Error' ? `${cause.name}: ${cause.message}` : cause.message) : String(cause);
  return text.replace(/\s+/g, ' ').trim();
}

// IAM's wording in every service's AccessDenied: "User: arn:… is not authorized to perform: s3:ListBucket on resource: …".
const DENIED_ACTION = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/;

/**
 * When `error` (or one of its causes) is an AWS AccessDenied: the action it names (`kms:Decrypt`), or '' when it
 * names none. Undefined for any other error.
 */
function deniedAction(error: unknown): string | undefined {
  for (const candidate of chain(error)) {
    if (!(candidate instanceof Error)) continue;
    const status = (candidate as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
    // S3 and CloudFormation say AccessDenied, JSON services (Secrets Manager, KMS) AccessDeniedException.
    const denied = candidate.name === 'AccessDenied' || candidate.name === 'AccessDeniedException' || (status === 403 && DENIED_ACTION.test(candidate.message));
    if (denied) return DENIED_ACTION.exec(candidate.message)?.[1] ?? '';
  }
  return undefined;
}

/**
 * One line naming the permission the credentials lack, when `error` is an AWS AccessDenied; else undefined.
 *
 * @param doing - what was refused, completing "Access denied …" (`reading the archive s3://bucket`)
 * @param needs - every permission that step needs, for when AWS does not name the missing one
 * @example accessDeniedLine(error, 'reading the secret arn:…', 'secretsmanager:GetSecretValue on it')
 * // 'Access denied reading the secret arn:…: your AWS credentials lack secretsmanager:GetSecretValue (it needs secretsmanager:GetSecretValue on it)'
 */
export function accessDeniedLine(error: unknown, doing: string, needs: string): string | undefined {
  const action = deniedAction(error);
  if (action === undefined) return undefined;
  return `Access denied ${doing}: your AWS credentials lack ${action === '' ? needs : `${action} (it needs ${needs})`}`;
}
