// Browser tests against a real `ardoise demo` on a fresh data directory, in Debian's chromium.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { defineConfig } = require('@playwright/test');

const port = Number(process.env.ARDOISE_E2E_PORT || 18080);
const bin = process.env.ARDOISE_BIN || path.resolve(__dirname, '../target/debug/ardoise');
if (!fs.existsSync(bin)) {
  throw new Error(`No ardoise binary at ${bin}: run \`cargo build -p server --bin ardoise\` or set ARDOISE_BIN`);
}
// Created once by the main process; workers reuse the value it put in the environment.
// Removed when the run ends (the server is stopped by then) unless ARDOISE_E2E_KEEP_DATA is set.
if (!process.env.ARDOISE_E2E_DATA) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ardoise-e2e-'));
  process.env.ARDOISE_E2E_DATA = dir;
  if (!process.env.ARDOISE_E2E_KEEP_DATA) {
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
}

// The wickets of the reference region (EduConnect, an académie), with test-only metadata and keys.
const fixtures = path.resolve(__dirname, 'fixtures');
const configFile = path.join(process.env.ARDOISE_E2E_DATA, 'ardoise.toml');
fs.writeFileSync(configFile, `
[saml]
key_file = "${fixtures}/sp.key"
cert_file = "${fixtures}/sp.crt"

[[saml.wickets]]
id = "educonnect"
name = "EduConnect"
audience = "eleves-parents"
link = "jointure"
metadata_file = "${fixtures}/idp-educonnect.xml"

[[saml.wickets]]
id = "reims"
name = "Académie de Reims"
audience = "personnels"
link = "mail"
metadata_file = "${fixtures}/idp-reims.xml"

# A publisher's service that asks people's consent (OpenID Connect).
[[services]]
name = "Éditeur"
protocol = "oidc"
urls = ["https://editeur.test/callback"]
client_id = "editeur"
client_secret = "secret-de-test-des-navigateurs"
`);

module.exports = defineConfig({
  testDir: './tests',
  workers: 2,
  timeout: 60_000,
  forbidOnly: !!process.env.CI,
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
    command: `'${bin}' --config '${configFile}' demo --listen 127.0.0.1:${port} --data '${process.env.ARDOISE_E2E_DATA}'`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
