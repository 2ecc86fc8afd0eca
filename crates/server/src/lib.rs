//! The Ardoise server: settings, the composition of every crate's routes behind the shared layers, and
//! the start-up sequence shared by `ardoise serve`, `ardoise demo` and the tests.

pub mod config;
pub mod demo;
mod devices;
mod inbox;
mod lessons;
mod marks;
mod router;
mod wickets;

use std::net::SocketAddr;
use std::sync::Arc;

use db::Db;
use identity::{Identity, IdentityConfig, PasswordPool, SessionPolicy};
use kernel::Clock;
use tokio::net::TcpListener;

pub use config::Settings;
pub use router::router;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("configuration : {0}")]
    Config(String),
    #[error(transparent)]
    Db(#[from] db::Error),
    #[error("réseau : {0}")]
    Io(#[from] std::io::Error),
    #[error("génération : {0}")]
    Generator(#[from] directory::generator::GenError),
    #[error("comptes : {0}")]
    Identity(#[from] identity::SignInError),
    #[error("bascule d'année : {0}")]
    Rollover(#[from] directory::rollover::RolloverError),
    #[error("import : {0}")]
    Import(#[from] import::apply::ImportError),
    #[error("cahier de textes : {0}")]
    Homework(#[from] homework::Error),
}

/// Everything a running Ardoise holds.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub identity: Identity,
    pub sso: sso::Sso,
    /// The notification delivery (tests run its passes themselves).
    pub notifications: notifications::Notifications,
    /// The timetable, whose copy of each class's lessons follows the other nodes' imports.
    pub timetable: timetable::Timetable,
    /// The directory's family relations and class lists as this node keeps them; the import and
    /// the rollover tell every node when they change it.
    pub families: directory::Families,
    pub router: axum::Router,
}

impl App {
    /// Connects, migrates and wires the application from settings.
    pub async fn build(settings: &Settings, clock: Arc<dyn Clock>) -> Result<App, Error> {
        let db = Db::connect(&settings.database_url(), settings.db_max_connections).await?;
        db.migrate().await?;
        let identity = Identity::new(
            db.clone(),
            PasswordPool::per_core(),
            clock.clone(),
            web::csrf::ServerKey::new(settings.secret_key()?),
            settings.mailer()?,
            IdentityConfig {
                sessions: SessionPolicy {
                    idle_secs: settings.session_idle_secs,
                    absolute_secs: settings.session_absolute_secs,
                    idle_by_profile: settings.session_idle_by_profile()?,
                    cache_secs: settings.session_cache_secs,
                },
                secure_cookies: settings.secure_cookies,
                trust_proxy: settings.trust_proxy,
                demo_hint: settings.demo_hint,
                public_url: settings.public_url(),
                activation_days: settings.activation_days,
                mfa_required: settings.mfa_required()?,
                ..IdentityConfig::default()
            },
        );
        let identity = wickets::attach(identity, settings)?;
        let sso = sso::Sso::new(
            db.clone(),
            identity.clone(),
            settings.services()?,
            sso::SsoConfig {
                public_url: settings.public_url().trim_end_matches('/').to_string(),
            },
        );
        let sso = wickets::identity_provider(sso, settings)?;
        sso.reload().await?;
        let families = directory::Families::new(db.clone(), clock.clone());
        let timetable = timetable::Timetable::new(db.clone(), clock.clone(), families.clone())
            .with_public_url(&settings.public_url())
            .with_marks(Arc::new(marks::HomeworkMarks(db.clone())));
        let blobs = blob::Blobs::new(settings.data_dir.join("blobs"), settings.max_upload_bytes);
        let homework = homework::Homework::new(db.clone(), clock.clone(), blobs.clone(), families.clone());
        let grades = grades::Grades::new(db.clone(), clock.clone(), blobs.clone());
        let news = news::News::new(db.clone(), clock.clone(), blobs.clone());
        let agenda = agenda::Agenda::new(db.clone(), clock.clone()).with_public_url(&settings.public_url());
        let messaging = messaging::Messaging::new(
            db.clone(),
            clock.clone(),
            blobs.clone(),
            Arc::new(devices::IdentityDevices(identity.clone())),
        )
        .with_rate_override(settings.messaging_rate_per_hour);
        let attendance = attendance::Attendance::new(db.clone(), clock.clone(), blobs)
            .with_lessons(lessons::for_attendance(&timetable));
        let notifications = notifications::Notifications::new(
            db.clone(),
            clock.clone(),
            notifications::Config {
                public_url: settings.public_url(),
                digest_hour: settings.notifications_digest_hour,
                poll_ms: settings.notifications_poll_ms,
            },
        )
        .with_mailer(settings.mailer()?)
        .with_inbox(inbox::for_notifications(&messaging));
        let messaging = messaging.with_counters(inbox::for_messaging(&notifications));
        let router = router(
            db.clone(),
            identity.clone(),
            sso.clone(),
            router::Features {
                timetable: timetable.clone(),
                homework,
                grades,
                attendance,
                notifications: notifications.clone(),
                news,
                agenda,
                messaging,
            },
            settings.admission(),
        );
        Ok(App {
            db,
            identity,
            sso,
            notifications,
            timetable,
            families,
            router,
        })
    }

    /// Imports AAF files (`ardoise import aaf`), then tells every node that the directory changed.
    pub async fn import_aaf(
        &self,
        paths: &[std::path::PathBuf],
        options: &import::apply::Options,
    ) -> Result<import::apply::Report, import::apply::ImportError> {
        let report = import::apply::import_aaf(&self.db, paths, options).await;
        self.families.changed_everywhere().await;
        report
    }

    /// Imports a school's CSV file (`ardoise import csv`), then tells every node that the directory
    /// changed.
    pub async fn import_csv(
        &self,
        uai: &str,
        kind: import::csv::CsvKind,
        file: &std::path::Path,
        options: &import::apply::Options,
    ) -> Result<import::apply::Report, import::apply::ImportError> {
        let report = import::csv::import_csv(&self.db, uai, kind, file, options).await;
        self.families.changed_everywhere().await;
        report
    }

    /// Closes the school year `year` (`ardoise rollover`), then tells every node that the directory
    /// changed.
    pub async fn roll_over(
        &self,
        year: &str,
    ) -> Result<directory::rollover::Rollover, directory::rollover::RolloverError> {
        let done = directory::rollover::roll_over(&self.db, year).await;
        self.families.changed_everywhere().await;
        done
    }

    /// Serves until `shutdown` resolves, then finishes the requests under way.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), Error> {
        let purge = tokio::spawn(purge_sessions(self.identity.clone(), self.sso.clone()));
        let registry = tokio::spawn(reload_services(self.sso.clone()));
        let sessions = {
            let identity = self.identity.clone();
            tokio::spawn(async move { identity.follow_sessions().await })
        };
        let lessons = {
            let tt = self.timetable.clone();
            tokio::spawn(async move { tt.follow_lesson_changes().await })
        };
        let families = {
            let f = self.families.clone();
            tokio::spawn(async move { f.follow().await })
        };
        let notify_live = {
            let n = self.notifications.clone();
            tokio::spawn(async move { n.run_live().await })
        };
        let notify_worker = {
            let n = self.notifications.clone();
            tokio::spawn(async move { n.run_worker().await })
        };
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let streams = self.notifications.clone();
        let shutdown = async move {
            shutdown.await;
            // Open notification streams end, or the graceful shutdown would wait for them.
            streams.close_streams();
        };
        let outcome = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        notify_live.abort();
        notify_worker.abort();
        purge.abort();
        registry.abort();
        sessions.abort();
        lessons.abort();
        families.abort();
        self.db.close().await;
        Ok(outcome?)
    }
}

/// Deletes expired sessions every ten minutes.
async fn purge_sessions(identity: Identity, sso: sso::Sso) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        match identity.purge_sessions().await {
            Ok(n) if n > 0 => tracing::info!(purged = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "session purge failed"),
        }
        if let Err(e) = sso.purge().await {
            tracing::warn!(error = %e, "ticket purge failed");
        }
    }
}

/// Reads the connected services registered on the admin page every minute, so every node of a
/// deployment sees a change within a minute (the node that made it, at once).
async fn reload_services(sso: sso::Sso) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    tick.tick().await;
    loop {
        tick.tick().await;
        if let Err(e) = sso.reload().await {
            tracing::warn!(error = %e, "connected services not reloaded");
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests under way");
}
