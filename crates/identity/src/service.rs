//! Sign-in, session resolution, sign-out and context switching: the identity rules in one place.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use db::Db;
use directory::Directory;
use kernel::{Clock, Context, Timestamp, UserId};
use sha2::{Digest, Sha256};
use web::csrf::ServerKey;
use web::{ContextChoice, CurrentUser};

use crate::audit;
use crate::password::{PasswordError, PasswordPool};
use crate::session_cache::{self, Entry, Person, SessionCache};
use crate::store;
use crate::throttle::FailureLimiter;

/// Sessions one node keeps in memory at most (about 1 KB each); past that, requests read the database.
const SESSION_CACHE_CAPACITY: usize = 200_000;

/// How long sessions live.
#[derive(Debug, Clone)]
pub struct SessionPolicy {
    /// Signed out after this long without a request.
    pub idle_secs: i64,
    /// Signed out this long after signing in, whatever the activity.
    pub absolute_secs: i64,
    /// A shorter (or longer) idle time for the sessions acting in some profiles (direction, vie scolaire).
    pub idle_by_profile: Vec<(kernel::Profile, i64)>,
    /// How long a node serves a session from memory before reading it again (0: never cached).
    pub cache_secs: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_secs: 2 * 3600,
            absolute_secs: 12 * 3600,
            idle_by_profile: vec![],
            cache_secs: 60,
        }
    }
}

impl SessionPolicy {
    /// The idle time of a session acting in `context`.
    pub fn idle_secs_for(&self, context: Option<Context>) -> i64 {
        let profile = context.and_then(|c| c.profile());
        self.idle_by_profile
            .iter()
            .find(|(p, _)| Some(*p) == profile)
            .map_or(self.idle_secs, |(_, secs)| *secs)
    }
}

#[derive(Debug, Clone)]
pub struct IdentityConfig {
    pub sessions: SessionPolicy,
    /// Consecutive failures that lock an account, and the first lock's length (doubling after).
    pub lock_after: i32,
    pub first_lock_secs: i64,
    /// Failed sign-ins one address may make per window (a whole school can share one address).
    pub ip_max_failures: u32,
    pub ip_window_secs: i64,
    /// Mark cookies Secure (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from the last X-Forwarded-For hop (behind a trusted reverse proxy).
    pub trust_proxy: bool,
    /// Show the demo accounts on the sign-in page (`ardoise demo` only).
    pub demo_hint: bool,
    /// The address people type to reach Ardoise, printed on activation letters.
    pub public_url: String,
    /// How long an activation code stays valid.
    pub activation_days: i64,
    /// Profiles that must use a second factor (a person holding one of them anywhere must enrol).
    pub mfa_required: Vec<kernel::Profile>,
}

impl Default for IdentityConfig {
    fn default() -> Self {
        IdentityConfig {
            sessions: SessionPolicy::default(),
            lock_after: 5,
            first_lock_secs: 60,
            ip_max_failures: 100,
            ip_window_secs: 600,
            secure_cookies: false,
            trust_proxy: false,
            demo_hint: false,
            public_url: "http://127.0.0.1:8080".into(),
            activation_days: 60,
            mfa_required: vec![
                kernel::Profile::Direction,
                kernel::Profile::SchoolLife,
                kernel::Profile::AdminStaff,
            ],
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Unknown login or wrong password: one answer for both, so logins cannot be probed.
    #[error("bad credentials")]
    BadCredentials,
    #[error("account locked for {0} s")]
    AccountLocked(i64),
    #[error("address throttled for {0} s")]
    AddressThrottled(i64),
    /// The account exists but has no profile in any school.
    #[error("no context")]
    NoContext,
    #[error("password pool busy")]
    Busy,
    #[error(transparent)]
    Db(#[from] db::Error),
}

/// What a successful password check leads to.
pub struct SignedIn {
    pub user: UserId,
    pub token: String,
    pub second_factor: crate::mfa::MfaNeed,
}

/// What resolving a session cookie gives (`second_factor_pending` tells half-open sessions).
pub enum Resolved {
    Valid(Box<CurrentUser>),
    Expired,
    Unknown,
}

/// Sign-in, sessions and accounts. Cheap to clone: every request's extractors and middleware take
/// a copy (a profile of P1 showed copying the fields one by one at a quarter of the server's CPU).
#[derive(Clone)]
pub struct Identity {
    inner: Arc<Inner>,
}

impl std::ops::Deref for Identity {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.inner
    }
}

/// What an [`Identity`] holds, shared by its copies.
#[derive(Clone)]
pub struct Inner {
    db: Db,
    directory: Directory,
    passwords: PasswordPool,
    clock: Arc<dyn Clock>,
    csrf: ServerKey,
    ip_failures: Arc<FailureLimiter>,
    mfa_failures: Arc<FailureLimiter>,
    recovery_requests: Arc<FailureLimiter>,
    mailer: mail::Mailer,
    #[cfg(feature = "saml")]
    pub(crate) wickets: Option<Arc<crate::wickets::Wickets>>,
    pub(crate) config: IdentityConfig,
    sign_out_listeners: Arc<std::sync::RwLock<Vec<Arc<dyn SignOutListener>>>>,
    sessions: Arc<SessionCache>,
}

/// Told when a person signs out of a browser session, so the connected services signed in through it
/// are signed out too (single sign-out).
pub trait SignOutListener: Send + Sync {
    /// `session_key` is the ended session's [`CurrentUser::session_key`]. Must not block: long work goes
    /// to a spawned task.
    fn signed_out(&self, session_key: &str, user: UserId);

    /// Where the browser must go before `then`, when services must be signed out through it (front
    /// channel: SAML single logout); `None` when the back channel is enough.
    fn front_channel(&self, _session_key: &str, _then: &str) -> Option<String> {
        None
    }
}

impl web::admission::WhoAsks for Identity {
    fn profile(&self, headers: &axum::http::HeaderMap) -> Option<kernel::Profile> {
        let token = web::cookie::get(headers, crate::SESSION_COOKIE)?;
        self.sessions.peek_profile(&token_hash(token))
    }
}

/// The cookie value is random; the database stores only its SHA-256.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the session cache keeps of a person: their names and the contexts they may switch to.
fn cached_person(person: &directory::model::Person, contexts: Vec<(Context, String)>) -> Person {
    Person {
        login: person.login.clone(),
        first_name: person.first_name.clone(),
        last_name: person.last_name.clone(),
        choices: contexts
            .into_iter()
            .map(|(context, place)| ContextChoice { context, place })
            .collect(),
    }
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Identity {
    pub fn new(
        db: Db,
        passwords: PasswordPool,
        clock: Arc<dyn Clock>,
        csrf: ServerKey,
        mailer: mail::Mailer,
        config: IdentityConfig,
    ) -> Identity {
        let single_node = db.engine() == db::Engine::Sqlite;
        let inner = Inner {
            directory: Directory::new(db.clone()),
            db,
            passwords,
            clock,
            csrf,
            ip_failures: Arc::new(FailureLimiter::new(config.ip_max_failures, config.ip_window_secs)),
            mfa_failures: Arc::new(crate::mfa::failure_limiter()),
            recovery_requests: Arc::new(crate::recovery::request_limiter()),
            mailer,
            #[cfg(feature = "saml")]
            wickets: None,
            // One node on SQLite: cache at once. Several on PostgreSQL: only while `follow_sessions`
            // hears the others' session ends.
            sessions: Arc::new(SessionCache::new(
                config.sessions.cache_secs,
                SESSION_CACHE_CAPACITY,
                single_node,
            )),
            config,
            sign_out_listeners: Arc::default(),
        };
        Identity {
            inner: Arc::new(inner),
        }
    }

    /// Calls `listener` after every sign-out.
    pub fn on_sign_out(&self, listener: Arc<dyn SignOutListener>) {
        if let Ok(mut list) = self.sign_out_listeners.write() {
            list.push(listener);
        }
    }

    /// Offers these identity providers on the sign-in page.
    #[cfg(feature = "saml")]
    pub fn with_wickets(mut self, wickets: crate::wickets::Wickets) -> Identity {
        Arc::make_mut(&mut self.inner).wickets = Some(Arc::new(wickets));
        self
    }

    pub fn csrf(&self) -> &ServerKey {
        &self.csrf
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Sets (or replaces) a person's password.
    pub async fn set_password(&self, user: UserId, password: &str) -> Result<(), SignInError> {
        let hash = self
            .passwords
            .hash(password)
            .await
            .map_err(|_| SignInError::Busy)?;
        store::set_password(&self.db, user, &hash, self.now()).await?;
        Ok(())
    }

    /// Gives every account that has none the same password, hashed once (load-test regions only).
    pub async fn set_password_for_all(&self, password: &str) -> Result<u64, SignInError> {
        let hash = self
            .passwords
            .hash(password)
            .await
            .map_err(|_| SignInError::Busy)?;
        Ok(store::set_password_for_all(&self.db, &hash, self.now()).await?)
    }

    /// Checks a login and password; on success opens a session and returns its cookie token.
    pub async fn sign_in(
        &self,
        login: &str,
        password: &str,
        ip: &str,
        user_agent: &str,
    ) -> Result<SignedIn, SignInError> {
        let now = self.now();
        if let Some(wait) = self.ip_failures.blocked_for(ip, now) {
            return Err(SignInError::AddressThrottled(wait));
        }
        let person = self.directory.person_by_login(login).await?;
        let credential = match &person {
            Some(p) => store::credential(&self.db, p.user_id()).await?,
            None => None,
        };
        if let Some(locked) = credential
            .as_ref()
            .and_then(|c| c.locked_until)
            .filter(|l| *l > now.millis())
        {
            return Err(SignInError::AccountLocked(now.secs_until(Timestamp(locked))));
        }
        let hash = credential.as_ref().and_then(|c| c.password_hash.clone());
        let ok = self.passwords.verify(hash, password).await.map_err(|e| match e {
            PasswordError::Busy => SignInError::Busy,
            PasswordError::Hash(_) => SignInError::BadCredentials,
        })?;
        let (Some(person), Some(credential), true) = (person, credential, ok) else {
            self.ip_failures.record_failure(ip, now);
            let outcome = self.count_failure(login, now).await;
            self.audit_failure(login, ip, &outcome).await;
            return Err(outcome);
        };
        if credential.failed_attempts > 0 {
            store::reset_failures(&self.db, person.user_id()).await?;
        }
        let contexts = self.directory.contexts_of(person.user_id()).await?;
        let second_factor = self.mfa_need(person.user_id(), &contexts).await?;
        let pending = second_factor != crate::mfa::MfaNeed::None;
        let (token, school) = self
            .open_session(&person, contexts, ip, user_agent, pending)
            .await?;
        self.audit(
            audit::Kind::SignIn,
            school,
            Some(person.user_id()),
            ip,
            String::new(),
        )
        .await;
        tracing::info!(user = %person.id, "signed in");
        Ok(SignedIn {
            user: person.user_id(),
            token,
            second_factor,
        })
    }

    /// Opens a session in the first of the person's `contexts` (as [`Directory::contexts_of`] reads
    /// them); returns the cookie token and that context's school. The node keeps the new session in
    /// memory, so the person's first page reads nothing back from the database.
    pub(crate) async fn open_session(
        &self,
        person: &directory::model::Person,
        contexts: Vec<(Context, String)>,
        ip: &str,
        user_agent: &str,
        mfa_pending: bool,
    ) -> Result<(String, Option<kernel::SchoolId>), SignInError> {
        let now = self.now();
        let Some((context, _)) = contexts.first() else {
            return Err(SignInError::NoContext);
        };
        let school = context.school();
        let token = random_token();
        let hash = token_hash(&token);
        let row = store::insert_session(
            &self.db,
            store::NewSession {
                token_hash: &hash,
                user: person.user_id(),
                context: *context,
                now,
                expires_at: now.plus_secs(self.config.sessions.absolute_secs),
                ip,
                user_agent,
                mfa_pending,
            },
        )
        .await?;
        let entry = Entry::new(
            row,
            cached_person(person, contexts),
            self.csrf.token(&hash),
            now.millis(),
        );
        self.sessions.put(hash, entry);
        Ok((token, school))
    }

    /// Records an audit event; a failure to record is logged, never shown to the person.
    pub(crate) async fn audit(
        &self,
        kind: audit::Kind,
        school: Option<kernel::SchoolId>,
        subject: Option<UserId>,
        ip: &str,
        detail: String,
    ) {
        let event = audit::Event {
            kind,
            school,
            actor: subject,
            subject,
            ip,
            detail,
        };
        if let Err(e) = audit::record(&self.db, self.now(), event).await {
            tracing::error!(error = %e, kind = kind.code(), "audit event not recorded");
        }
    }

    pub(crate) async fn first_school(&self, user: UserId) -> Option<kernel::SchoolId> {
        self.directory
            .contexts_of(user)
            .await
            .ok()?
            .first()
            .and_then(|(c, _)| c.school())
    }

    pub(crate) fn recovery_requests(&self) -> &FailureLimiter {
        &self.recovery_requests
    }

    pub(crate) fn mailer(&self) -> &mail::Mailer {
        &self.mailer
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    pub(crate) fn directory(&self) -> &Directory {
        &self.directory
    }

    pub(crate) fn passwords(&self) -> &PasswordPool {
        &self.passwords
    }

    pub(crate) fn ip_failures(&self) -> &FailureLimiter {
        &self.ip_failures
    }

    pub(crate) fn mfa_failures(&self) -> &FailureLimiter {
        &self.mfa_failures
    }

    async fn audit_failure(&self, login: &str, ip: &str, outcome: &SignInError) {
        let person = self.directory.person_by_login(login).await.ok().flatten();
        let (school, subject) = match &person {
            Some(p) => (self.first_school(p.user_id()).await, Some(p.user_id())),
            None => (None, None),
        };
        let kind = if matches!(outcome, SignInError::AccountLocked(_)) {
            audit::Kind::Lockout
        } else {
            audit::Kind::SignInFailed
        };
        let detail = if person.is_none() {
            format!(
                "identifiant inconnu : {}",
                login.chars().take(60).collect::<String>()
            )
        } else {
            String::new()
        };
        self.audit(kind, school, subject, ip, detail).await;
    }

    /// Records a failed attempt on an existing account, locking it past the threshold.
    async fn count_failure(&self, login: &str, now: Timestamp) -> SignInError {
        let Ok(Some(person)) = self.directory.person_by_login(login).await else {
            return SignInError::BadCredentials;
        };
        let Ok(Some(cred)) = store::credential(&self.db, person.user_id()).await else {
            return SignInError::BadCredentials;
        };
        let failures = cred.failed_attempts + 1;
        let lock = lock_duration(failures, self.config.lock_after, self.config.first_lock_secs);
        let until = lock.map(|secs| now.plus_secs(secs));
        if let Err(e) = store::record_failure(&self.db, person.user_id(), failures, until).await {
            return SignInError::Db(e);
        }
        match lock {
            Some(secs) => {
                tracing::warn!(user = %person.id, failures, "account locked after failed sign-ins");
                SignInError::AccountLocked(secs)
            }
            None => SignInError::BadCredentials,
        }
    }

    /// Finds the person behind a session cookie, enforcing idle and absolute expiry. Served from memory
    /// when this node saw the session lately (see `session_cache`): no database round trip then.
    pub async fn resolve(&self, token: &str) -> Result<Resolved, db::Error> {
        let hash = token_hash(token);
        let now = self.now();
        let entry = match self.sessions.get(&hash, now.millis()) {
            Some(entry) => entry,
            None => match self.load_session(&hash, now).await? {
                Some(entry) => entry,
                None => return Ok(Resolved::Unknown),
            },
        };
        let row = &entry.row;
        let idle = self.config.sessions.idle_secs_for(row.context());
        let idle_deadline = Timestamp(row.last_seen_at).plus_secs(idle);
        if now >= Timestamp(row.expires_at) || now >= idle_deadline {
            self.sessions.forget(&hash);
            store::delete_session(&self.db, &hash).await?;
            return Ok(Resolved::Expired);
        }
        // The idle clock reaches the database only every few minutes, so page views rarely write.
        let store = now.millis() - entry.stored_seen_at >= session_cache::touch_interval_ms(idle);
        if store {
            store::touch_session(&self.db, &hash, now).await?;
        }
        self.sessions.seen(&hash, now.millis(), store);
        let person = &entry.person;
        // A context the person lost since signing in (moved school) falls back to the first one left.
        let current = row
            .context()
            .and_then(|c| person.choices.iter().find(|choice| choice.context == c))
            .or(person.choices.first())
            .cloned();
        let Some(context) = current else {
            return Ok(Resolved::Unknown);
        };
        Ok(Resolved::Valid(Box::new(CurrentUser {
            user_id: UserId(row.user_id),
            login: person.login.clone(),
            first_name: person.first_name.clone(),
            last_name: person.last_name.clone(),
            csrf_token: entry.csrf_token.to_string(),
            session_key: hash,
            context,
            choices: person.choices.clone(),
            second_factor_pending: row.mfa_pending,
            second_factor_at: row.second_factor_at,
            signed_in_at: row.created_at,
        })))
    }

    /// Reads a session, its person and their contexts from the database, and keeps them in memory.
    async fn load_session(&self, hash: &str, now: Timestamp) -> Result<Option<Entry>, db::Error> {
        let Some(row) = store::session(&self.db, hash).await? else {
            return Ok(None);
        };
        let user = UserId(row.user_id);
        let Some(person) = self.directory.person(user).await? else {
            return Ok(None);
        };
        let contexts = self.directory.contexts_of(user).await?;
        let entry = Entry::new(
            row,
            cached_person(&person, contexts),
            self.csrf.token(hash),
            now.millis(),
        );
        self.sessions.put(hash.to_string(), entry.clone());
        Ok(Some(entry))
    }

    /// Forgets a session on every node (after it ended or changed in the database).
    pub(crate) async fn forget_session(&self, hash: &str) {
        self.sessions.forget(hash);
        self.tell_nodes(session_cache::message_for_session(hash)).await;
    }

    /// Forgets every session of a person on every node (their sessions were ended).
    pub(crate) async fn forget_sessions_of(&self, user: UserId) {
        self.sessions.forget_user(user);
        self.tell_nodes(session_cache::message_for_user(user)).await;
    }

    async fn tell_nodes(&self, message: String) {
        if let Err(e) = self.db.notify(session_cache::CHANNEL, &message).await {
            // The other nodes then honour the ended session until their copy expires (`cache_secs`).
            tracing::warn!(error = %e, "could not tell the other nodes that a session ended");
        }
    }

    /// Keeps this node's session cache in step with the others: listens to the sessions channel
    /// (PostgreSQL), forgetting what other nodes ended; drops stale entries. Runs for the server's life.
    pub async fn follow_sessions(&self) {
        let mut sweep = tokio::time::interval(std::time::Duration::from_secs(60));
        let mut listener = None;
        loop {
            if listener.is_none() {
                match self.db.listen(session_cache::CHANNEL).await {
                    Ok(Some(l)) => {
                        self.sessions.set_enabled(true);
                        listener = Some(l);
                    }
                    Ok(None) => {
                        // One node (SQLite): nothing to hear, only stale entries to drop.
                        loop {
                            sweep.tick().await;
                            self.sessions.sweep(self.now().millis());
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen to session ends; caching paused");
                        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                        continue;
                    }
                }
            }
            let Some(l) = listener.as_mut() else { continue };
            tokio::select! {
                heard = l.next() => match heard {
                    Ok(db::Heard::Message(m)) => self.sessions.apply(&m),
                    Ok(db::Heard::Reconnected) => self.sessions.clear(),
                    Err(e) => {
                        // Until it listens again, every request reads its session from the database.
                        tracing::warn!(error = %e, "session channel lost; caching paused");
                        self.sessions.set_enabled(false);
                        listener = None;
                    }
                },
                _ = sweep.tick() => self.sessions.sweep(self.now().millis()),
            }
        }
    }

    /// The sign-out listeners, as registered now.
    fn listeners(&self) -> Vec<Arc<dyn SignOutListener>> {
        self.sign_out_listeners
            .read()
            .map(|l| l.clone())
            .unwrap_or_default()
    }

    /// Where the browser goes after signing out of `session_key`, on its way to `then`: through the
    /// listeners' front channel first, if one asks for it.
    pub(crate) fn after_sign_out(&self, session_key: &str, then: &str) -> String {
        self.listeners()
            .iter()
            .find_map(|l| l.front_channel(session_key, then))
            .unwrap_or_else(|| then.to_string())
    }

    pub async fn sign_out(&self, user: &CurrentUser, ip: &str) -> Result<(), db::Error> {
        store::delete_session(&self.db, &user.session_key).await?;
        self.forget_session(&user.session_key).await;
        for listener in self.listeners() {
            listener.signed_out(&user.session_key, user.user_id);
        }
        self.audit(
            audit::Kind::SignOut,
            user.context.context.school(),
            Some(user.user_id),
            ip,
            String::new(),
        )
        .await;
        Ok(())
    }

    /// Switches the session to another of the person's contexts; false if it is not one of theirs.
    pub async fn switch_context(&self, user: &CurrentUser, wanted: Context) -> Result<bool, db::Error> {
        if !user.choices.iter().any(|c| c.context == wanted) {
            return Ok(false);
        }
        store::set_session_context(&self.db, &user.session_key, wanted).await?;
        self.forget_session(&user.session_key).await;
        Ok(true)
    }

    /// Deletes expired sessions; run periodically by the server.
    pub async fn purge_sessions(&self) -> Result<u64, db::Error> {
        // Purge only what no profile's idle time could still keep alive.
        let longest = self
            .config
            .sessions
            .idle_by_profile
            .iter()
            .map(|(_, s)| *s)
            .fold(self.config.sessions.idle_secs, i64::max);
        crate::recovery::store::purge_links(&self.db, self.now()).await?;
        #[cfg(feature = "saml")]
        crate::wickets::store::purge(&self.db, self.now()).await?;
        store::purge_sessions(&self.db, self.now(), longest).await
    }
}

/// Lock length after `failures` consecutive failures: none below the threshold, then doubling, capped at 1 h.
pub fn lock_duration(failures: i32, lock_after: i32, first_lock_secs: i64) -> Option<i64> {
    if failures < lock_after {
        return None;
    }
    let doublings = (failures - lock_after).min(16) as u32;
    Some(first_lock_secs.saturating_mul(1i64 << doublings).min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_start_at_the_threshold_and_double_up_to_an_hour() {
        assert_eq!(lock_duration(4, 5, 60), None);
        assert_eq!(lock_duration(5, 5, 60), Some(60));
        assert_eq!(lock_duration(6, 5, 60), Some(120));
        assert_eq!(lock_duration(8, 5, 60), Some(480));
        assert_eq!(lock_duration(40, 5, 60), Some(3600));
    }

    #[test]
    fn token_hashes_are_stable_hex() {
        assert_eq!(token_hash("abc").len(), 64);
        assert_eq!(token_hash("abc"), token_hash("abc"));
        assert_ne!(random_token(), random_token());
    }
}
