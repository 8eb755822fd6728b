/**
 * `npm run golden`: checks that every provider sample still becomes the event in its golden file
 * (`dev/samples/<slug>/<name>.event.json`); `npm run golden -- --update` rewrites the files after an intended
 * change (review the diff before committing it). A new sample gets its golden file the same way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { providers } from '../../lib/providers/registry.js';
import { goldenEventText, goldenSamples, orphanGoldenFiles } from '../golden.js';

const args = process.argv.slice(2);
const update = args.includes('--update');
if (args.some((arg) => arg !== '--update')) {
  process.stderr.write('Usage: npm run golden [-- --update]\n');
  process.exit(2);
}

function readOrUndefined(file: URL): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const stale: string[] = [];
for (const provider of providers) {
  for (const sample of goldenSamples(provider.slug)) {
    const expected = goldenEventText(provider, sample.body);
    if (readOrUndefined(sample.eventFile) === expected) continue;
    const path = fileURLToPath(sample.eventFile);
    if (update) writeFileSync(path, expected);
    stale.push(path);
  }
  for (const orphan of orphanGoldenFiles(provider.slug)) stale.push(`${provider.slug}/${orphan} (its sample is gone: delete it)`);
}

if (stale.length === 0) console.log('Every golden event file is up to date.');
else if (update) console.log(`Wrote ${stale.length} golden event file(s):\n${stale.join('\n')}`);
else {
  process.stderr.write(`${stale.length} golden event file(s) differ from what the samples become:\n${stale.join('\n')}\n`);
  process.stderr.write('Run `npm run golden -- --update` if the change is intended, and review the diff.\n');
  process.exit(1);
}
