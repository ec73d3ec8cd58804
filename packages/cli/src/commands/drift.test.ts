import { describe, expect, it, vi } from 'vitest';
import { run } from '../main.js';

describe('dharma drift (arguments)', () => {
  it('exits 2, naming the field, without a kubeconfig, and 2 when the kubeconfig cannot be read', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (errors.push(String(chunk)), true));
    try {
      expect(await run(['drift', '--manifests', '/tmp'])).toBe(2);
      expect(errors.join('')).toContain('kubeconfig: required');
      expect(await run(['drift', '--kubeconfig', '/nonexistent/kubeconfig', '--manifests', '/tmp'])).toBe(2);
      expect(errors.join('')).toContain('/nonexistent/kubeconfig');
    } finally {
      spy.mockRestore();
    }
  });
});
