//! `ardoise`: serve the ENT, run the demo, generate a synthetic region, migrate the database.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use server::{App, Error, Settings};

/// mimalloc rather than glibc's malloc: page views allocate and free many small strings from two
/// threads, where glibc's arenas spent a tenth of the server's CPU (BENCHMARKS.md, P4).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "ardoise",
    version,
    about = "Ardoise, l'espace numérique de travail des collèges et lycées"
)]
struct Cli {
    /// Configuration file (default: ./ardoise.toml when present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Ardoise.
    Serve {
        #[arg(long)]
        listen: Option<String>,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Generate a small demo region on first run (SQLite in the data dir by default), then serve it.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        #[arg(long, default_value = "./data")]
        data: PathBuf,
    },
    /// Generate a synthetic region into an empty database (deterministic for a given seed).
    Gen {
        #[arg(long, default_value_t = 3)]
        schools: u32,
        #[arg(long, default_value_t = 1500)]
        students: u32,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Also create the fixed demo accounts (demo.eleve, demo.parent…).
        #[arg(long)]
        demo_accounts: bool,
        /// Give every generated account this password, hashed once (load tests only).
        #[arg(long)]
        password: Option<String>,
        /// `db` writes into the database; `aaf` writes the region as AAF files into --out instead.
        #[arg(long, default_value = "db")]
        format: String,
        /// Folder for --format aaf.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Import directory files: `ardoise import aaf <files or folders>`.
    Import {
        #[command(subcommand)]
        format: ImportFormat,
    },
    /// Year rollover: archive the ending year's classes (read-only), before the new year's import.
    Rollover {
        /// The year that ends, e.g. 2025-2026.
        #[arg(long)]
        year: String,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Apply the database migrations and exit.
    Migrate {
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ImportFormat {
    /// AAF (ficAlimMENESR) files of the académie, complete or delta; the report is printed and saved.
    Aaf {
        /// Files or folders holding ENT_…_Complet_AAAAMMJJ_<Type>_NNNN.xml files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Days a person may be missing from complete imports before being deactivated.
        #[arg(long, default_value_t = 30)]
        grace_days: i64,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// A CSV file of one school outside the AAF: --type eleves, responsables or personnels.
    Csv {
        /// UAI of the school the file belongs to.
        #[arg(long)]
        uai: String,
        /// eleves, responsables or personnels (column sets in the README).
        #[arg(long = "type")]
        kind: String,
        file: PathBuf,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ARDOISE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ardoise : {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Error> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    init_logs(&settings.log_format);
    let clock: Arc<dyn kernel::Clock> = settings.clock()?;
    match cli.command {
        Command::Serve { listen, data } => {
            if let Some(l) = listen {
                settings.listen = l;
            }
            if let Some(d) = data {
                settings.data_dir = d;
            }
            std::fs::create_dir_all(&settings.data_dir)?;
            let app = App::build(&settings, clock).await?;
            let listener = tokio::net::TcpListener::bind(&settings.listen).await?;
            tracing::info!(address = %settings.listen, "Ardoise is serving");
            app.serve(listener, server::shutdown_signal()).await
        }
        Command::Demo { listen, data } => {
            settings.listen = listen;
            settings.data_dir = data;
            settings.demo_hint = true;
            // Demo visitors have no authenticator app at hand: the second factor stays optional.
            settings.mfa_required.clear();
            std::fs::create_dir_all(&settings.data_dir)?;
            let app = App::build(&settings, clock).await?;
            if server::demo::ensure_demo(&app).await? {
                println!(
                    "Région de démonstration générée dans {}",
                    settings.data_dir.display()
                );
            }
            let listener = tokio::net::TcpListener::bind(&settings.listen).await?;
            let url = format!("http://{}/", listener.local_addr()?);
            println!(
                "\nArdoise (démo) : {url}\nComptes, mot de passe « {} » :",
                server::demo::DEMO_PASSWORD
            );
            for (login, what) in server::demo::DEMO_ACCOUNTS {
                println!("  {login:<16} {what}");
            }
            println!("Arrêt : Ctrl-C\n");
            app.serve(listener, server::shutdown_signal()).await
        }
        Command::Gen {
            schools,
            students,
            seed,
            demo_accounts,
            password,
            data,
            format,
            out,
        } => {
            let params = directory::generator::Params {
                seed,
                schools,
                students,
                demo_accounts,
            };
            match format.as_str() {
                "aaf" => {
                    let out =
                        out.ok_or_else(|| Error::Config("--format aaf demande --out DOSSIER".into()))?;
                    server::demo::generate_aaf(&params, &out).await
                }
                "db" => {
                    if let Some(d) = data {
                        settings.data_dir = d;
                    }
                    std::fs::create_dir_all(&settings.data_dir)?;
                    let app = App::build(&settings, clock).await?;
                    let report = server::demo::generate(&app, &params, password.as_deref()).await?;
                    println!("{report}");
                    Ok(())
                }
                other => Err(Error::Config(format!("--format « {other} » : db ou aaf"))),
            }
        }
        Command::Import {
            format:
                ImportFormat::Aaf {
                    paths,
                    json,
                    grace_days,
                    data,
                },
        } => {
            if let Some(d) = data {
                settings.data_dir = d;
            }
            std::fs::create_dir_all(&settings.data_dir)?;
            let app = App::build(&settings, clock.clone()).await?;
            let options = import::apply::Options {
                now: clock.now(),
                grace_days,
            };
            let report = app.import_aaf(&paths, &options).await?;
            if json {
                println!("{}", report.to_json());
            } else {
                println!("{report}");
            }
            if report.applied {
                Ok(())
            } else {
                Err(Error::Config("import refusé : voir le rapport".into()))
            }
        }
        Command::Import {
            format:
                ImportFormat::Csv {
                    uai,
                    kind,
                    file,
                    json,
                    data,
                },
        } => {
            if let Some(d) = data {
                settings.data_dir = d;
            }
            let kind = import::csv::CsvKind::parse(&kind).ok_or_else(|| {
                Error::Config(format!("--type « {kind} » : eleves, responsables ou personnels"))
            })?;
            std::fs::create_dir_all(&settings.data_dir)?;
            let app = App::build(&settings, clock.clone()).await?;
            let options = import::apply::Options {
                now: clock.now(),
                grace_days: 0,
            };
            let report = app.import_csv(&uai, kind, &file, &options).await?;
            if json {
                println!("{}", report.to_json());
            } else {
                println!("{report}");
            }
            if report.applied {
                Ok(())
            } else {
                Err(Error::Config("import refusé : voir le rapport".into()))
            }
        }
        Command::Rollover { year, data } => {
            if let Some(d) = data {
                settings.data_dir = d;
            }
            std::fs::create_dir_all(&settings.data_dir)?;
            let app = App::build(&settings, clock).await?;
            let done = app.roll_over(&year).await?;
            println!("{done}");
            Ok(())
        }
        Command::Migrate { data } => {
            if let Some(d) = data {
                settings.data_dir = d;
            }
            std::fs::create_dir_all(&settings.data_dir)?;
            App::build(&settings, clock).await?;
            println!("Base de données à jour.");
            Ok(())
        }
    }
}
