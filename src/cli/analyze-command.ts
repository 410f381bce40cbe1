export async function runAnalyze(_args: string[]): Promise<number> {
  throw new Error('not yet');
}
