/**
 * What `npm run resume` refuses or cannot reach, said in one line that names the fix: the CLI prints the message
 * (and exits 1), never a stack trace. The original error stays as `cause`.
 */
export class ResumeCommandError extends Error {
  override readonly name: string = 'ResumeCommandError';
}
