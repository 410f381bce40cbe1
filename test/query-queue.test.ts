// The worker's question queue: questions posted together are answered most urgent first, and a
// question arriving while others wait overtakes the less urgent ones.
import { describe, expect, it } from 'vitest';
import { QueryQueue } from '../src/workers/query-queue';

describe('query queue', () => {
  it('answers questions posted together by priority, equal priorities in arrival order', async () => {
    const q = new QueryQueue();
    const ran: string[] = [];
    const ask = (name: string, priority: number) => q.ask(priority, () => { ran.push(name); return name; });
    const answers = await Promise.all([ask('hosts', 4), ask('ports', 1), ask('summary', 2), ask('flows', 0), ask('ports again', 1)]);
    expect(answers).toEqual(['hosts', 'ports', 'summary', 'flows', 'ports again']);
    expect(ran).toEqual(['flows', 'ports', 'ports again', 'summary', 'hosts']);
  });

  it('a newer urgent question overtakes older slow ones; errors reach their caller only', async () => {
    const q = new QueryQueue();
    const ran: string[] = [];
    const slow = [q.ask(4, () => ran.push('hosts old')), q.ask(3, () => ran.push('exposure old'))];
    const failing = q.ask(0, () => { ran.push('flows old'); throw new Error('bad filter'); });
    await expect(failing).rejects.toThrow('bad filter');
    const fresh = q.ask(0, () => ran.push('flows new'));
    await Promise.all([...slow, fresh]);
    expect(ran).toEqual(['flows old', 'flows new', 'exposure old', 'hosts old']);
  });
});
