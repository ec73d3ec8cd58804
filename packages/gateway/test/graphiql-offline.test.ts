// GraphiQL served by the gateway works offline: its scripts, styles and editor workers come from the
// gateway itself (no CDN), the standard introspection query passes the depth limit, and the explorer shows
// the schema's types, in Debian's headless Chromium with every request outside the gateway refused.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_KEY, startTestGateway, type TestGateway } from './start-test-gateway.js';

function chromiumPath(): string {
  if (process.env['DHARMA_CHROMIUM']) return process.env['DHARMA_CHROMIUM'];
  const envFile = join(process.env['DHARMA_SERVICES_DIR'] ?? join(process.cwd(), '.services'), 'chromium.env');
  const match = existsSync(envFile) ? /^DHARMA_CHROMIUM=(.+)$/m.exec(readFileSync(envFile, 'utf8')) : null;
  return match?.[1]?.trim() ?? '/usr/bin/chromium';
}

describe('GraphiQL (headless Chromium, offline)', () => {
  let gateway: TestGateway;
  let browser: Browser;
  beforeAll(async () => {
    gateway = await startTestGateway();
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('loads with no request outside the gateway and the explorer lists the schema types', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-api-key': OPERATOR_KEY } });
    const page = await context.newPage();
    const origin = new URL(gateway.url).origin;
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(gateway.url, { waitUntil: 'load' });
    expect(await page.title()).toBe('IaC Dharma gateway');
    // The documentation explorer: root types, then the Query type's fields, from the introspection result.
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    await page.getByText('Query', { exact: true }).first().click();
    await expect.poll(() => page.locator('body').innerText(), { timeout: 30_000 }).toContain('listInfrastructures');
    const text = await page.locator('body').innerText();
    expect(text).toContain('computeResources');
    expect(text).not.toMatch(/too deep|QUERY_TOO_DEEP|Unauthenticated/i);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
