// Socket ids come from a pooled random buffer: each is 20 URL-safe characters and never repeats,
// across many refills of the pool.
import { createSocketId } from '../../src/server/socket-id';

describe('createSocketId', () => {
  it('gives 20 URL-safe characters', () => {
    expect(createSocketId()).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });

  it('never repeats over many pool refills', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10000; i++) ids.add(createSocketId());
    expect(ids.size).toBe(10000);
  });
});
