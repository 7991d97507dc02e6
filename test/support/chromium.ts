// Debian's Chromium for browser tests, driven by playwright-core (never a downloaded
// browser). Present: the tests run. Missing: they fail under CI=true (.ci/run installs it)
// and are skipped elsewhere with a loud line naming the install command.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_INSTALL = 'apt-get update && apt-get install -y chromium';
const hasChromium = existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';

// The flags this workplace's closed network needs (docs/internals/code-style.md, "Browser tests").
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe` when Chromium is there (or under CI, where its absence must fail), else a loud skip. */
export function describeWithChromium(name: string, body: () => void): void {
  if (hasChromium || inCI) {
    describe(name, body);
    return;
  }
  console.warn(`\n*** BROWSER TEST SKIPPED (${name}): ${CHROMIUM} is missing. Install it with: ${CHROMIUM_INSTALL} ***\n`);
  describe.skip(name, body);
}

/** A running browser with a fresh profile folder; `close()` removes both. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium headless with a fresh profile (throws with the install command when missing). */
export async function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(`${CHROMIUM} is missing (CI must install it): ${CHROMIUM_INSTALL}`);
  const profile = mkdtempSync(join(tmpdir(), 'wiregate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
