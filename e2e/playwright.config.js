// Browser tests against a real `ardoise demo` on a fresh data directory, in Debian's chromium.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { defineConfig } = require('@playwright/test');

const port = Number(process.env.ARDOISE_E2E_PORT || 18080);
const bin = process.env.ARDOISE_BIN || path.resolve(__dirname, '../target/debug/ardoise');
// Created once by the main process; workers reuse the value it put in the environment.
if (!process.env.ARDOISE_E2E_DATA) {
  process.env.ARDOISE_E2E_DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'ardoise-e2e-'));
}

module.exports = defineConfig({
  testDir: './tests',
  workers: 2,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'fr-FR',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `${bin} demo --listen 127.0.0.1:${port} --data ${process.env.ARDOISE_E2E_DATA}`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
