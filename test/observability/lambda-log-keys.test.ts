import { describe, expect, it } from 'vitest';
import { lambdaLogKeys } from '../../lib/observability/lambda-log-keys.js';

const context = { coldStart: false, functionArn: 'arn:aws:lambda:us-east-1:1:function:f', memoryLimitInMB: '512', functionName: 'f', awsRequestId: 'req-1' };

describe('lambdaLogKeys', () => {
  it('names the function on a cold start, and only the request id after', () => {
    // Act
    const cold = lambdaLogKeys('INFO', { ...context, coldStart: true }, 'trace-1');
    const warm = lambdaLogKeys('INFO', context, 'trace-1');

    // Assess
    expect(cold).toEqual({ cold_start: true, function_arn: context.functionArn, function_memory_size: '512', function_name: 'f', function_request_id: 'req-1', xray_trace_id: 'trace-1' });
    expect(warm).toEqual({ function_request_id: 'req-1' });
  });

  it('keeps the trace id on WARN and above, where a trace is looked up', () => {
    // Act
    const levels = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'].map((level) => 'xray_trace_id' in lambdaLogKeys(level, context, 'trace-1'));
    const outside = lambdaLogKeys('ERROR', undefined, 'trace-1');

    // Assess
    expect(levels).toEqual([false, false, true, true, true]);
    expect(outside).toEqual({ xray_trace_id: 'trace-1' });
  });
});
