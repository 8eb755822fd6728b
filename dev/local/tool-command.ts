/**
 * The command line of a local tool for the runtime at a URL. Imports nothing, so the console page (a browser
 * bundle) says the same command as the banner of `npm start`.
 */

/**
 * A local tool's command line (`npm run send -- qikchat`) that reaches the runtime at `url`: as is on the default
 * port, with `PORT=` on another port of this machine, with `SEND_URL=` elsewhere.
 *
 * @example toolCommand('http://127.0.0.1:4000', 'npm run send -- qikchat') // 'PORT=4000 npm run send -- qikchat'
 */
export function toolCommand(url: string, command: string): string {
  const { hostname, port } = new URL(url);
  const local = hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '0.0.0.0' || hostname === '[::]' || hostname === '[::1]';
  if (local && (port === '3000' || port === '')) return command;
  return local ? `PORT=${port} ${command}` : `SEND_URL=${url} ${command}`;
}
