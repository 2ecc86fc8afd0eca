//! Outgoing e-mail.
//!
//! A deployment names its relay with `smtp_url` (`smtp://relay:25`, `smtp://relay:587?tls=required`,
//! `smtps://user:password@relay:465`); without one, messages are written as `.eml` files into a folder
//! (the demo's `data/mails/`), so a single-machine install still shows what would have been sent.
//!
//! Messages that follow a person's request (a password reset link, a new-device warning) are sent
//! with [`Mailer::send_later`]: the page answers at once and in the same time whether or not a message
//! goes out, so response times do not tell which addresses have an account, and a slow relay does not
//! hold a request. Failed sends are retried a few times, then logged.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("adresse invalide « {0} »")]
    Address(String),
    #[error("relais SMTP : {0}")]
    Smtp(String),
    #[error("message : {0}")]
    Build(String),
    #[error("écriture du message : {0}")]
    Io(#[from] std::io::Error),
}

/// One plain-text message to one person.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Sends mail; cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &*self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Files(_) => "files",
        };
        f.debug_struct("Mailer")
            .field("transport", &kind)
            .finish_non_exhaustive()
    }
}

fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address
        .trim()
        .parse()
        .map_err(|_| MailError::Address(address.to_string()))
}

impl Mailer {
    /// Sends through the relay at `url` (see the module documentation for the forms accepted).
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Smtp(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Mailer {
            transport: Arc::new(Transport::Smtp(transport)),
            from: mailbox(from)?,
        })
    }

    /// Writes each message as an `.eml` file into `dir` (created if needed).
    pub fn files(dir: PathBuf, from: &str) -> Result<Mailer, MailError> {
        Ok(Mailer {
            transport: Arc::new(Transport::Files(dir)),
            from: mailbox(from)?,
        })
    }

    fn message(&self, mail: &Mail) -> Result<Message, MailError> {
        let part = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .header(ContentTransferEncoding::QuotedPrintable)
            .body(mail.text.clone());
        Message::builder()
            .from(self.from.clone())
            .to(mailbox(&mail.to)?)
            .subject(mail.subject.clone())
            .singlepart(part)
            .map_err(|e| MailError::Build(e.to_string()))
    }

    /// Sends now and reports the outcome.
    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = self.message(mail)?;
        match &*self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message)
                    .await
                    .map_err(|e| MailError::Smtp(e.to_string()))?;
            }
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                let name = format!("{:016x}.eml", rand::random::<u64>());
                tokio::fs::write(dir.join(name), message.formatted()).await?;
            }
        }
        Ok(())
    }

    /// Sends in the background, retrying after 2, 10 and 60 seconds; failures end in the log.
    pub fn send_later(&self, mail: Mail) {
        let mailer = self.clone();
        tokio::spawn(async move {
            let mut waits = [2u64, 10, 60].into_iter();
            loop {
                match mailer.send(&mail).await {
                    Ok(()) => {
                        tracing::info!(subject = %mail.subject, "mail sent");
                        return;
                    }
                    Err(MailError::Smtp(e)) => match waits.next() {
                        Some(secs) => {
                            tracing::warn!(error = %e, retry_in = secs, "mail not sent yet");
                            tokio::time::sleep(Duration::from_secs(secs)).await;
                        }
                        None => {
                            tracing::error!(error = %e, subject = %mail.subject, "mail given up");
                            return;
                        }
                    },
                    Err(e) => {
                        tracing::error!(error = %e, subject = %mail.subject, "mail not sent");
                        return;
                    }
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_transport_writes_a_readable_message() -> Result<(), Box<dyn std::error::Error>> {
        let dir = std::env::temp_dir().join(format!("ardoise-mail-{:x}", rand::random::<u64>()));
        let mailer = Mailer::files(dir.clone(), "Ardoise <ne-pas-repondre@ardoise.test>")?;
        mailer
            .send(&Mail {
                to: "parent@example.fr".into(),
                subject: "Réinitialisation".into(),
                text: "Bonjour, voici le lien : https://ent.example/x?t=abc".into(),
            })
            .await?;
        let mut entries = std::fs::read_dir(&dir)?;
        let file = entries.next().ok_or("no file written")??;
        let text = std::fs::read_to_string(file.path())?;
        assert!(text.contains("To: parent@example.fr"), "{text}");
        assert!(text.contains("quoted-printable"), "{text}");
        std::fs::remove_dir_all(dir)?;
        Ok(())
    }

    #[test]
    fn a_bad_sender_address_is_refused() {
        assert!(matches!(
            Mailer::files(PathBuf::from("/tmp"), "pas une adresse"),
            Err(MailError::Address(_))
        ));
    }
}
