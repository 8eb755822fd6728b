import { describe, expect, it } from 'vitest';
import { MEDIA_DEFAULTS, MEDIA_MAX_TIME_LIMIT_SECONDS, MediaSettingsError, mediaSettingsFromEnv } from '../../lib/media/settings.js';
import { queueTopology } from '../../lib/queue/topology.js';
import { WORKER_BUDGET } from '../../lib/worker/budget.js';

describe('the media settings', () => {
  it('default to storing, 100 MiB, 15 s and any public host', () => {
    // Act
    const settings = mediaSettingsFromEnv({});
    // Assess
    expect(settings).toEqual({ enabled: true, maxBytes: MEDIA_DEFAULTS.maxBytes, timeLimitMs: 15_000, allowHosts: {}, credentialSecrets: {} });
  });

  it('read MEDIA_* variables, host names in lower case', () => {
    // Act
    const settings = mediaSettingsFromEnv({
      MEDIA_STORE: 'false',
      MEDIA_MAX_BYTES: '1000',
      MEDIA_TIME_LIMIT_SECONDS: '5',
      MEDIA_ALLOW_HOSTS: '{"qikchat":["Media.Qikchat.in"]}',
      MEDIA_CREDENTIAL_SECRETS: '{"qikchat":"arn:secret"}',
    });
    // Assess
    expect(settings).toEqual({ enabled: false, maxBytes: 1000, timeLimitMs: 5_000, allowHosts: { qikchat: ['media.qikchat.in'] }, credentialSecrets: { qikchat: 'arn:secret' } });
  });

  it.each([
    ['MEDIA_MAX_BYTES', '-1'],
    ['MEDIA_TIME_LIMIT_SECONDS', 'soon'],
    ['MEDIA_ALLOW_HOSTS', '["media.qikchat.in"]'],
    ['MEDIA_CREDENTIAL_SECRETS', '{"qikchat": 1}'],
  ])('refuse %s=%s with a line naming it', (variable, value) => {
    // Act / Assess
    expect(() => mediaSettingsFromEnv({ [variable]: value })).toThrow(MediaSettingsError);
    expect(() => mediaSettingsFromEnv({ [variable]: value })).toThrow(variable);
  });

  it("allow at most the time the worker's budget leaves media", () => {
    // Prepare: the function's timeout, less the reserve, the archive write, what surrounds a handler and its least after media
    const { reserveMs, archiveMs, aroundHandlerMs, handlerAfterMediaMs } = WORKER_BUDGET;
    const left = queueTopology.workerTimeoutSeconds - (reserveMs + archiveMs + aroundHandlerMs + handlerAfterMediaMs) / 1000;
    // Assess
    expect(MEDIA_MAX_TIME_LIMIT_SECONDS).toBe(left);
    expect(MEDIA_DEFAULTS.timeLimitSeconds).toBeLessThanOrEqual(left);
  });
});
