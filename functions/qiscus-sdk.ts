// Placeholder entry point: the real handler lands with the pipeline issue.
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 503 });
