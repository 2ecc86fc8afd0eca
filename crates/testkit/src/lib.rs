//! Test support: `TestApp::spawn` starts the real server on port 0 with a fresh database (SQLite, or
//! PostgreSQL when ARDOISE_TEST_PG_URL is set) and a manual clock; `Browser` keeps cookies like a browser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test support: failing loudly is the point

mod mail;

use std::sync::Arc;

use kernel::{ManualClock, Timestamp};
use server::{App, Settings};
use tokio::sync::oneshot;

pub use mail::{Captured, MailSink};
pub use server::demo::DEMO_PASSWORD;

/// 2 September 2026, 07:55 (Paris): a Wednesday morning of a school year.
pub const START: Timestamp = Timestamp(1_788_328_500_000);

pub struct TestApp {
    pub base: String,
    pub app: App,
    /// The settings the app runs with (database URL, data directory), for tests that start the binary.
    pub settings: Settings,
    pub clock: ManualClock,
    /// Every mail the app sends, received over SMTP.
    pub mail: MailSink,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    postgres: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// An empty, migrated Ardoise (the second factor optional for every profile).
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|s| s.mfa_required.clear()).await
    }

    /// An empty, migrated Ardoise with settings adjusted by `adjust`.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mail = MailSink::start().await;
        let mut settings = Settings {
            data_dir: dir.path().to_path_buf(),
            smtp_url: Some(mail.url()),
            // Tests deliver notifications themselves (`app.notifications.deliver_pending()`), so the
            // outbox stays as the feature left it until they do.
            notifications_poll_ms: 0,
            ..Settings::default()
        };
        // Bound first, so the public URL (OIDC issuer, links in mails) is the real one.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        settings.public_url = Some(base.clone());
        adjust(&mut settings);
        let mut postgres = None;
        if let Some(server_url) = db::testing::postgres_url() {
            let url = db::testing::fresh_postgres(&server_url).await.unwrap();
            settings.database_url = Some(url.clone());
            postgres = Some((server_url, url));
        }
        settings.db_max_connections = 8;
        let clock = ManualClock::new(START);
        let app = App::build(&settings, Arc::new(clock.clone())).await.unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = app.clone();
        let server = tokio::spawn(async move {
            let _ = serving
                .serve(listener, async {
                    let _ = stopped.await;
                })
                .await;
        });
        TestApp {
            base,
            settings,
            app,
            clock,
            mail,
            stop: Some(stop),
            server: Some(server),
            postgres,
            _dir: dir,
        }
    }

    /// Ardoise with the demo region (three schools, the demo accounts).
    pub async fn spawn_demo() -> TestApp {
        TestApp::spawn_demo_with(|s| s.mfa_required.clear()).await
    }

    /// The demo region with settings adjusted by `adjust` (for instance, the second factor required).
    pub async fn spawn_demo_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let t = TestApp::spawn_with(adjust).await;
        server::demo::generate(&t.app, &server::demo::demo_params(), None)
            .await
            .unwrap();
        t
    }

    pub fn db(&self) -> &db::Db {
        &self.app.db
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// A browser already signed in as `login` (demo password).
    pub async fn signed_in(&self, login: &str) -> Browser {
        let b = self.browser();
        let res = b.sign_in(login, DEMO_PASSWORD).await;
        assert_eq!(res.status(), 303, "sign-in of {login} failed");
        b
    }

    /// A browser signed in as the person `id`, any account of the region (given the demo password first).
    pub async fn signed_in_as(&self, id: uuid::Uuid) -> Browser {
        let person = directory::store::person(&self.app.db, kernel::UserId(id))
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no person {id}"));
        self.app
            .identity
            .set_password(kernel::UserId(id), DEMO_PASSWORD)
            .await
            .unwrap();
        self.signed_in(&person.login).await
    }

    /// The id of the person signing in as `login` (panics when there is none: a test's mistake).
    pub async fn user_id(&self, login: &str) -> uuid::Uuid {
        directory::Directory::new(self.app.db.clone())
            .person_by_login(login)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no person with login {login}"))
            .id
    }

    /// A second node of the same deployment: the same settings (database, data directory, secret key)
    /// and clock, served on a port of its own. Meaningful on PostgreSQL (SQLite is one node).
    pub async fn another_node(&self) -> Node {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = App::build(&self.settings, Arc::new(self.clock.clone()))
            .await
            .unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let _ = app
                .serve(listener, async {
                    let _ = stopped.await;
                })
                .await;
        });
        Node {
            base,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// Stops the server and drops the PostgreSQL database.
    pub async fn stop(mut self) {
        self.shutdown().await;
    }

    async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        if let Some((server_url, url)) = self.postgres.take() {
            self.app.db.close().await;
            db::testing::drop_postgres(&server_url, &url).await;
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some((server_url, url)) = self.postgres.take() {
            // Drop cannot await: drop the database from a helper thread with its own runtime.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    rt.block_on(db::testing::drop_postgres(&server_url, &url));
                }
            })
            .join();
        }
    }
}

/// Another node serving the same deployment (see [`TestApp::another_node`]).
pub struct Node {
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl Node {
    /// A browser on this node sharing `browser`'s cookies (cookies do not depend on the port).
    pub fn browser_like(&self, browser: &Browser) -> Browser {
        Browser {
            client: browser.client.clone(),
            base: self.base.clone(),
        }
    }

    /// Stops the node (before the `TestApp`, whose database it uses).
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

/// An HTTP client that keeps cookies and does not follow redirects, so tests see each step.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser {
            client,
            base: base.to_string(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn get_html(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    /// The CSRF token of the form on the page at `path` (which must answer 200).
    pub async fn form_token(&self, path: &str) -> String {
        let (status, html) = self.get_html(path).await;
        assert_eq!(status, 200, "{path}: {html}");
        csrf_token(&html).unwrap_or_else(|| panic!("no form on {path}"))
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Posts a `multipart/form-data` form as a browser does: the text fields, then the files
    /// (field name, file name, bytes).
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> reqwest::Response {
        let boundary = "----ardoise-test-boundary-7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = vec![];
        for (name, value) in fields {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, file_name, bytes) in files {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend(*bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        self.client
            .post(format!("{}{path}", self.base))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Opens the sign-in page, then posts the form with its CSRF token.
    pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
        let (_, html) = self.get_html("/login").await;
        let token = csrf_token(&html).expect("the sign-in form has a CSRF token");
        self.post_form(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("csrf_token", &token),
            ],
        )
        .await
    }
}

/// The value of the hidden `csrf_token` field of a page.
pub fn csrf_token(html: &str) -> Option<String> {
    hidden_value(html, "csrf_token")
}

/// The value of the input named `name` (first occurrence).
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// The text of the `<textarea name="{name}">` of a page, unescaped as a browser would submit it.
pub fn textarea_value(html: &str, name: &str) -> Option<String> {
    let at = html
        .find(&format!("<textarea id=\"{name}\" name=\"{name}\""))
        .or_else(|| html.find(&format!("name=\"{name}\"")))?;
    let start = at + html[at..].find('>')? + 1;
    let end = start + html[start..].find("</textarea>")?;
    Some(
        html[start..end]
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// Where a redirect points.
pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}
