import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Path of Debian's Chromium: `DHARMA_CHROMIUM`, then `$DHARMA_SERVICES_DIR/chromium.env`, then /usr/bin/chromium. */
export function chromiumPath(): string {
  if (process.env['DHARMA_CHROMIUM']) return process.env['DHARMA_CHROMIUM'];
  const servicesDir = process.env['DHARMA_SERVICES_DIR'] ?? join(process.cwd(), '.services');
  const envFile = join(servicesDir, 'chromium.env');
  if (existsSync(envFile)) {
    const match = /^DHARMA_CHROMIUM=(.+)$/m.exec(readFileSync(envFile, 'utf8'));
    if (match?.[1]) return match[1].trim();
  }
  return '/usr/bin/chromium';
}

/** Launches the installed Chromium headless (never downloads a browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
