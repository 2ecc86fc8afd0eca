//! What a browser does, over one shared connection pool: sign in with the login form, view a page
//! with its session cookie, reach a connected service through a CAS round trip.
//!
//! Cookies are handled by hand rather than by a cookie jar per virtual user, so thousands of sessions
//! share a few keep-alive connections, as they would behind a load balancer, and a request costs one
//! header clone.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderValue, LOCATION, RETRY_AFTER, SET_COOKIE};
use reqwest::{Response, StatusCode, Url};

use crate::Fallible;
use crate::region::{Account, CAS_SERVICE, PASSWORD};
use crate::stats::{Outcome, Req};

const SESSION_COOKIE: &str = "ardoise_session";
const PRE_SESSION_COOKIE: &str = "ardoise_pre";
const DEVICE_COOKIE: &str = "ardoise_device";

/// A signed-in browser: its `Cookie` header.
pub struct Session {
    pub cookie: HeaderValue,
    pub profile: String,
}

/// The target server and the pre-parsed addresses of every request kind.
pub struct Http {
    pub client: reqwest::Client,
    base: Url,
    login: Url,
    home: Url,
    timetable: Url,
    homework: Url,
    messages: Url,
    cas_login: Url,
    service: String,
    health: Url,
    wicket: Url,
    /// The identity provider the harness plays, and the share of sign-ins it makes.
    educonnect: Option<(crate::federation::Educonnect, f64)>,
}

pub fn client(timeout: Duration) -> Fallible<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Mozilla/5.0 (X11; Linux x86_64) ardoise-load")
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(30))
        .timeout(timeout)
        .build()?)
}

/// How a response's status reads when the flow expected `expected`.
fn classify(res: &Response, expected: StatusCode) -> Outcome {
    let status = res.status();
    if status == expected {
        Outcome::Ok
    } else if status == StatusCode::SERVICE_UNAVAILABLE {
        let retry_after = res
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        Outcome::Shed { retry_after }
    } else if status.is_server_error() {
        Outcome::ServerError
    } else {
        Outcome::Unexpected
    }
}

fn transport(e: &reqwest::Error) -> Outcome {
    if e.is_timeout() {
        Outcome::Timeout
    } else {
        Outcome::Transport
    }
}

/// `name=value` of the Set-Cookie header named `name`.
fn set_cookie(res: &Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(""))
        .find(|pair| pair.strip_prefix(name).is_some_and(|rest| rest.starts_with('=')))
        .map(str::to_string)
}

pub fn csrf_token(html: &str) -> Option<&str> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(&html[start..start + end])
}

/// A `multipart/form-data` body of text fields, as a browser builds it: its Content-Type (with the
/// boundary) and its bytes.
fn multipart(fields: &[(String, String)]) -> (String, Vec<u8>) {
    let boundary = "----ardoise-load-7f3a9c1e5b";
    let mut body = Vec::with_capacity(fields.iter().map(|(k, v)| k.len() + v.len() + 96).sum());
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Reads (and discards) the body so the connection goes back to the pool.
async fn drain(res: Response) -> Result<(), Outcome> {
    res.bytes().await.map(|_| ()).map_err(|e| transport(&e))
}

fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Http {
    pub fn new(base: &str, timeout: Duration) -> Fallible<Http> {
        let base = Url::parse(base)?;
        let service = url_encode(CAS_SERVICE);
        Ok(Http {
            client: client(timeout)?,
            base: base.clone(),
            login: base.join("/login")?,
            home: base.join("/")?,
            timetable: base.join("/edt")?,
            homework: base.join("/devoirs")?,
            messages: base.join("/messagerie")?,
            cas_login: base.join(&format!("/cas/login?service={service}"))?,
            health: base.join("/healthz")?,
            wicket: base.join(&format!("/login/sso/{}?next=/", crate::federation::WICKET))?,
            service,
            educonnect: None,
        })
    }

    /// Makes `share` of the sign-ins through the EduConnect wicket, `idp` answering.
    pub fn with_educonnect(mut self, idp: crate::federation::Educonnect, share: f64) -> Http {
        self.educonnect = Some((idp, share));
        self
    }

    /// The share of sign-ins made through EduConnect.
    pub fn delegated_share(&self) -> f64 {
        self.educonnect.as_ref().map_or(0.0, |(_, share)| *share)
    }

    /// Whether `account` signs in through EduConnect (the same answer every time for an account).
    pub fn delegated(&self, account: &Account) -> bool {
        let Some((_, share)) = &self.educonnect else {
            return false;
        };
        let h = account.login.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        account.jointure.is_some() && (h % 1000) < (share * 1000.0) as u64
    }

    /// The address of GET /healthz (or the bare server's hello).
    pub fn health_url(&self) -> &Url {
        &self.health
    }

    /// A page view of `req` by a signed-in browser; the grades are a complete CAS round trip.
    pub async fn page(&self, req: Req, session: &Session) -> Outcome {
        let url = match req {
            Req::Home => &self.home,
            Req::Timetable => &self.timetable,
            Req::Homework => &self.homework,
            Req::Messages => &self.messages,
            Req::Grades => return self.cas_round_trip(session).await,
            Req::Health
            | Req::Hello
            | Req::SignIn
            | Req::SignInSso
            | Req::RollList
            | Req::RollSheet
            | Req::RollSave
            | Req::MsgCompose
            | Req::MsgSend
            | Req::Inbox
            | Req::MsgOpen => return Outcome::Unexpected,
        };
        let sent = self
            .client
            .get(url.clone())
            .header(COOKIE, session.cookie.clone())
            .send()
            .await;
        match sent {
            Ok(res) => {
                let outcome = classify(&res, StatusCode::OK);
                drain(res).await.err().unwrap_or(outcome)
            }
            Err(e) => transport(&e),
        }
    }

    /// A GET of `path` by a signed-in browser: the page's HTML when it answers 200.
    pub async fn get_html(&self, path: &str, session: &Session) -> (Outcome, Option<String>) {
        let Ok(url) = self.base.join(path) else {
            return (Outcome::Unexpected, None);
        };
        match self
            .client
            .get(url)
            .header(COOKIE, session.cookie.clone())
            .send()
            .await
        {
            Ok(res) => {
                let outcome = classify(&res, StatusCode::OK);
                match res.text().await {
                    Ok(html) if outcome == Outcome::Ok => (outcome, Some(html)),
                    Ok(_) => (outcome, None),
                    Err(e) => (transport(&e), None),
                }
            }
            Err(e) => (transport(&e), None),
        }
    }

    /// A form posted by a signed-in browser, which must answer 303 (saved, redirected).
    pub async fn post_form(&self, path: &str, session: &Session, form: &[(String, String)]) -> Outcome {
        let Ok(url) = self.base.join(path) else {
            return Outcome::Unexpected;
        };
        match self
            .client
            .post(url)
            .header(COOKIE, session.cookie.clone())
            .form(form)
            .send()
            .await
        {
            Ok(res) => {
                let outcome = classify(&res, StatusCode::SEE_OTHER);
                drain(res).await.err().unwrap_or(outcome)
            }
            Err(e) => transport(&e),
        }
    }

    /// A `multipart/form-data` form (as a browser posts a form with a file input) by a signed-in
    /// browser, which must answer 303 to `location`; a 303 elsewhere (a message held for moderation)
    /// or a 200 (the form shown again with an error) is unexpected.
    pub async fn post_multipart(
        &self,
        path: &str,
        session: &Session,
        fields: &[(String, String)],
        location: &str,
    ) -> Outcome {
        let Ok(url) = self.base.join(path) else {
            return Outcome::Unexpected;
        };
        let (content_type, body) = multipart(fields);
        match self
            .client
            .post(url)
            .header(COOKIE, session.cookie.clone())
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
        {
            Ok(res) => {
                let mut outcome = classify(&res, StatusCode::SEE_OTHER);
                if outcome == Outcome::Ok && res.headers().get(LOCATION).is_none_or(|l| l != location) {
                    outcome = Outcome::Unexpected;
                }
                drain(res).await.err().unwrap_or(outcome)
            }
            Err(e) => transport(&e),
        }
    }

    /// `/cas/login?service=…` with the session (303 to the service with a ticket), then the service's
    /// `/cas/p3/serviceValidate` (no cookie: a back-channel call), which must succeed.
    pub async fn cas_round_trip(&self, session: &Session) -> Outcome {
        let res = match self
            .client
            .get(self.cas_login.clone())
            .header(COOKIE, session.cookie.clone())
            .send()
            .await
        {
            Ok(res) => res,
            Err(e) => return transport(&e),
        };
        let outcome = classify(&res, StatusCode::SEE_OTHER);
        let ticket = res
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| l.split_once("ticket="))
            .map(|(_, t)| t.split('&').next().unwrap_or("").to_string());
        if let Err(e) = drain(res).await {
            return e;
        }
        let Some(ticket) = ticket.filter(|_| outcome == Outcome::Ok) else {
            return if outcome == Outcome::Ok {
                Outcome::Unexpected
            } else {
                outcome
            };
        };
        let mut validate = self.cas_login.clone();
        validate.set_path("/cas/p3/serviceValidate");
        validate.set_query(Some(&format!("service={}&ticket={ticket}", self.service)));
        match self.client.get(validate).send().await {
            Ok(res) => {
                let outcome = classify(&res, StatusCode::OK);
                match res.text().await {
                    Ok(xml) if outcome == Outcome::Ok && !xml.contains("authenticationSuccess") => {
                        Outcome::Unexpected
                    }
                    Ok(_) => outcome,
                    Err(e) => transport(&e),
                }
            }
            Err(e) => transport(&e),
        }
    }

    /// Signs `account` in: through EduConnect when [`Http::delegated`], else with the password form.
    pub async fn sign_in(&self, account: &Account) -> (Outcome, Option<Session>) {
        match (&self.educonnect, &account.jointure) {
            (Some((idp, _)), Some(jointure)) if self.delegated(account) => {
                self.sign_in_delegated(account, idp, jointure).await
            }
            _ => self.sign_in_with_password(account).await,
        }
    }

    /// The wicket's redirect to the IdP, the IdP's signed answer (made here), and the browser's POST
    /// of it to the assertion consumer: 303 to `/` with the session cookie.
    async fn sign_in_delegated(
        &self,
        account: &Account,
        idp: &crate::federation::Educonnect,
        jointure: &str,
    ) -> (Outcome, Option<Session>) {
        let res = match self.client.get(self.wicket.clone()).send().await {
            Ok(res) => res,
            Err(e) => return (transport(&e), None),
        };
        let outcome = classify(&res, StatusCode::SEE_OTHER);
        let query = res
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| l.split_once('?'))
            .map(|(_, q)| q.to_string());
        if let Err(e) = drain(res).await {
            return (e, None);
        }
        let Some(query) = query.filter(|_| outcome == Outcome::Ok) else {
            return (
                if outcome == Outcome::Ok {
                    Outcome::Unexpected
                } else {
                    outcome
                },
                None,
            );
        };
        #[allow(clippy::disallowed_methods)] // the IdP dates its assertion by the wall clock
        let now_millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        let Ok(answer) = idp.answer(&query, jointure, now_millis) else {
            return (Outcome::Unexpected, None);
        };
        let sent = self
            .client
            .post(answer.acs_url.as_str())
            .form(&[
                ("SAMLResponse", answer.saml_response.as_str()),
                ("RelayState", answer.relay_state.as_str()),
            ])
            .send()
            .await;
        self.session_from(sent, account).await
    }

    /// The sign-in form then its POST; a success answers 303 to `/` with the session cookie.
    async fn sign_in_with_password(&self, account: &Account) -> (Outcome, Option<Session>) {
        let device = account.device.lock().ok().and_then(|d| d.clone());
        let mut form = self.client.get(self.login.clone());
        if let Some(device) = &device {
            form = form.header(COOKIE, device.as_str());
        }
        let res = match form.send().await {
            Ok(res) => res,
            Err(e) => return (transport(&e), None),
        };
        let outcome = classify(&res, StatusCode::OK);
        let pre = set_cookie(&res, PRE_SESSION_COOKIE);
        let html = match res.text().await {
            Ok(html) => html,
            Err(e) => return (transport(&e), None),
        };
        if outcome != Outcome::Ok {
            return (outcome, None);
        }
        let (Some(pre), Some(token)) = (pre, csrf_token(&html)) else {
            return (Outcome::Unexpected, None);
        };
        let cookies = match &device {
            Some(device) => format!("{pre}; {device}"),
            None => pre,
        };
        let sent = self
            .client
            .post(self.login.clone())
            .header(COOKIE, cookies)
            .form(&[
                ("username", account.login.as_str()),
                ("password", PASSWORD),
                ("csrf_token", token),
            ])
            .send()
            .await;
        self.session_from(sent, account).await
    }

    /// The answer to a sign-in's last POST: a success is 303 to `/` with the session cookie (and the
    /// device cookie, kept for the account's next sign-in).
    async fn session_from(
        &self,
        sent: reqwest::Result<Response>,
        account: &Account,
    ) -> (Outcome, Option<Session>) {
        let res = match sent {
            Ok(res) => res,
            Err(e) => return (transport(&e), None),
        };
        let outcome = classify(&res, StatusCode::SEE_OTHER);
        let to_home = res.headers().get(LOCATION).is_some_and(|l| l == "/");
        let session = set_cookie(&res, SESSION_COOKIE);
        if let Some(new_device) = set_cookie(&res, DEVICE_COOKIE)
            && let Ok(mut d) = account.device.lock()
        {
            *d = Some(new_device);
        }
        if let Err(e) = drain(res).await {
            return (e, None);
        }
        match (outcome, session.and_then(|s| HeaderValue::from_str(&s).ok())) {
            (Outcome::Ok, Some(cookie)) if to_home => (
                Outcome::Ok,
                Some(Session {
                    cookie,
                    profile: account.profile.clone(),
                }),
            ),
            (Outcome::Ok, _) => (Outcome::Unexpected, None),
            (other, _) => (other, None),
        }
    }
}
