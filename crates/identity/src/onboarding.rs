//! Activation: a school administrator issues codes for a class (letters as PDF or CSV); each person
//! uses theirs once to choose a password, accept the charter and leave a recovery contact.

use kernel::{ClassId, Profile, Timestamp};
use web::{AppError, CurrentUser, Msg};

use crate::activation::{self, PasswordRule};
use crate::audit;
use crate::service::{Identity, SignInError};
use crate::store;

/// One letter: who it is for and the code printed on it.
pub struct Letter {
    pub first_name: String,
    pub last_name: String,
    pub login: String,
    pub code: String,
    /// For a guardian: the student they receive it for.
    pub for_student: Option<String>,
}

pub struct LetterBatch {
    pub school: String,
    pub class: String,
    pub expires: Timestamp,
    pub url: String,
    pub letters: Vec<Letter>,
}

#[derive(Debug)]
pub enum ActivationError {
    /// Unknown login, no pending code, or a wrong code: one answer for all.
    Invalid,
    Expired,
    Throttled(i64),
    /// A field of the second step is refused: (field name, message).
    Field(&'static str, Msg),
    Busy,
    Db(db::Error),
}

impl From<db::Error> for ActivationError {
    fn from(e: db::Error) -> Self {
        ActivationError::Db(e)
    }
}

/// What a person fills in when activating.
pub struct ActivationForm<'a> {
    pub password: &'a str,
    pub confirm: &'a str,
    pub alias: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub charter: bool,
}

/// Who may issue codes and read the audit log of a school: its direction and administrative staff.
pub fn may_administer(user: &CurrentUser) -> bool {
    matches!(user.profile(), Some(Profile::Direction | Profile::AdminStaff))
}

pub(crate) fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
}

/// French numbers: 10 digits starting with 0, or +33 and 9 digits; spaces, dots and dashes allowed.
fn valid_phone(s: &str) -> bool {
    let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    match digits.strip_prefix("+33") {
        Some(rest) => rest.len() == 9 && rest.chars().all(|c| c.is_ascii_digit()),
        None => digits.len() == 10 && digits.starts_with('0') && digits.chars().all(|c| c.is_ascii_digit()),
    }
}

impl Identity {
    /// New codes for every person of a class (and, if asked, their guardians) who has no password yet.
    pub async fn issue_class_codes(
        &self,
        actor: &CurrentUser,
        class: ClassId,
        with_guardians: bool,
        ip: &str,
    ) -> Result<LetterBatch, AppError> {
        let school = actor
            .context
            .context
            .school()
            .filter(|_| may_administer(actor))
            .ok_or(AppError::Forbidden)?;
        let db = self.db();
        let class_row = directory::store::class(db, school, class)
            .await?
            .ok_or(AppError::NotFound)?;
        let students = directory::store::students_of_class(db, school, class).await?;
        let mut people: Vec<(directory::model::Person, Option<String>)> =
            students.iter().map(|s| (s.clone(), None)).collect();
        if with_guardians {
            for g in directory::store::guardians_of_class(db, school, class).await? {
                let child = students
                    .iter()
                    .find(|s| s.id == g.student_id)
                    .map(|s| format!("{} {}", s.first_name, s.last_name));
                if !people.iter().any(|(p, _)| p.id == g.id) {
                    let person = directory::model::Person {
                        id: g.id,
                        login: g.login,
                        first_name: g.first_name,
                        last_name: g.last_name,
                    };
                    people.push((person, child));
                }
            }
        }
        let ids: Vec<uuid::Uuid> = people.iter().map(|(p, _)| p.id).collect();
        let active = store::with_password(db, &ids).await?;
        people.retain(|(p, _)| !active.contains(&p.id));

        let now = self.now();
        let expires = now.plus_secs(self.config.activation_days * 86_400);
        let mut letters = Vec::with_capacity(people.len());
        let mut tx = db.begin().await?;
        for (person, for_student) in people {
            let code = activation::new_code();
            let hash = self
                .csrf()
                .keyed_hash("activation", &activation::normalize_code(&code));
            store::set_activation_code(&mut tx, person.user_id(), &hash, now, expires, actor.user_id).await?;
            letters.push(Letter {
                first_name: person.first_name,
                last_name: person.last_name,
                login: person.login,
                code,
                for_student,
            });
        }
        tx.commit().await?;
        let detail = format!("{} : {} code(s)", class_row.name, letters.len());
        let event = audit::Event {
            kind: audit::Kind::CodesIssued,
            school: Some(school),
            actor: Some(actor.user_id),
            subject: None,
            ip,
            detail,
        };
        audit::record(db, now, event).await?;
        let school_name = actor.context.place.clone();
        Ok(LetterBatch {
            school: school_name,
            class: class_row.name,
            expires,
            url: format!("{}/activation", self.config.public_url.trim_end_matches('/')),
            letters,
        })
    }

    /// Checks a login and an activation code; the person it opens, if any.
    pub async fn check_activation(
        &self,
        login: &str,
        code: &str,
        ip: &str,
    ) -> Result<directory::model::Person, ActivationError> {
        let now = self.now();
        if let Some(wait) = self.ip_failures().blocked_for(ip, now) {
            return Err(ActivationError::Throttled(wait));
        }
        let person = self.directory().person_by_login(login).await?;
        let pending = match &person {
            Some(p) => store::activation_code(self.db(), p.user_id()).await?,
            None => None,
        };
        let hash = self
            .csrf()
            .keyed_hash("activation", &activation::normalize_code(code));
        match (person, pending) {
            (Some(p), Some((stored, expires))) if constant_eq(&stored, &hash) => {
                if expires <= now.millis() {
                    return Err(ActivationError::Expired);
                }
                Ok(p)
            }
            (person, _) => {
                self.ip_failures().record_failure(ip, now);
                let subject = person.as_ref().map(|p| p.user_id());
                let school = match subject {
                    Some(u) => self.first_school(u).await,
                    None => None,
                };
                self.audit(audit::Kind::ActivationFailed, school, subject, ip, String::new())
                    .await;
                Err(ActivationError::Invalid)
            }
        }
    }

    /// Completes an activation and opens a session; returns the session cookie token.
    pub async fn activate(
        &self,
        login: &str,
        code: &str,
        form: ActivationForm<'_>,
        ip: &str,
        user_agent: &str,
    ) -> Result<String, ActivationError> {
        let person = self.check_activation(login, code, ip).await?;
        let user = person.user_id();
        let names = [
            person.login.as_str(),
            person.first_name.as_str(),
            person.last_name.as_str(),
        ];
        activation::check_password(form.password, form.confirm, &names).map_err(|rule: PasswordRule| {
            ActivationError::Field(
                "password",
                Msg::new(rule.message_key()).arg("min", activation::MIN_PASSWORD_CHARS),
            )
        })?;
        let alias = form.alias.trim().to_lowercase();
        let alias = if alias.is_empty() { None } else { Some(alias) };
        if let Some(a) = &alias {
            if !activation::valid_alias(a) {
                return Err(ActivationError::Field(
                    "alias",
                    Msg::new("activation-alias-invalid"),
                ));
            }
            if directory::store::alias_taken(self.db(), a, user).await? {
                return Err(ActivationError::Field(
                    "alias",
                    Msg::new("activation-alias-taken"),
                ));
            }
        }
        let email = Some(form.email.trim()).filter(|e| !e.is_empty());
        let phone = Some(form.phone.trim()).filter(|p| !p.is_empty());
        if email.is_some_and(|e| !valid_email(e)) {
            return Err(ActivationError::Field(
                "email",
                Msg::new("activation-email-invalid"),
            ));
        }
        if phone.is_some_and(|p| !valid_phone(p)) {
            return Err(ActivationError::Field(
                "phone",
                Msg::new("activation-phone-invalid"),
            ));
        }
        // Adults need a way back into their account; young students may not have one.
        let contexts = self.directory().contexts_of(user).await?;
        let only_student = contexts
            .iter()
            .all(|(c, _)| c.profile() == Some(Profile::Student));
        if email.is_none() && phone.is_none() && !only_student {
            return Err(ActivationError::Field(
                "email",
                Msg::new("activation-recovery-needed"),
            ));
        }
        if !form.charter {
            return Err(ActivationError::Field(
                "charter",
                Msg::new("activation-charter-needed"),
            ));
        }
        let hash = self
            .passwords()
            .hash(form.password)
            .await
            .map_err(|_| ActivationError::Busy)?;
        let activation = store::Activation {
            user,
            password_hash: &hash,
            alias: alias.as_deref(),
            email,
            phone,
            now: self.now(),
        };
        store::activate(self.db(), activation).await?;
        let pending = self.mfa_need(user, &contexts).await? != crate::mfa::MfaNeed::None;
        let Some(person) = self.directory().person(user).await? else {
            return Err(ActivationError::Invalid);
        };
        let (token, school) = self
            .open_session(&person, contexts, ip, user_agent, pending)
            .await
            .map_err(|e| match e {
                SignInError::Db(e) => ActivationError::Db(e),
                _ => ActivationError::Invalid,
            })?;
        self.audit(audit::Kind::Activated, school, Some(user), ip, String::new())
            .await;
        Ok(token)
    }
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl LetterBatch {
    /// One A4 page per person.
    pub fn pdf(&self) -> Vec<u8> {
        use web::pdf::Line;
        let pages: Vec<Vec<Line>> = self
            .letters
            .iter()
            .map(|l| {
                let mut lines = vec![
                    Line::title("Ardoise : activez votre compte"),
                    Line::new(self.school.clone()).gap(6),
                    Line::new(if self.class.is_empty() {
                        String::new()
                    } else {
                        format!("Classe : {}", self.class)
                    }),
                    Line::new(format!("Pour : {} {}", l.first_name, l.last_name))
                        .bold()
                        .gap(18),
                ];
                if let Some(child) = &l.for_student {
                    lines.push(Line::new(format!("Responsable de : {child}")));
                }
                lines.extend([
                    Line::new(format!("Identifiant : {}", l.login))
                        .size(13)
                        .bold()
                        .gap(18),
                    Line::new(format!("Code d'activation : {}", l.code))
                        .size(13)
                        .bold(),
                    Line::new(format!(
                        "Ce code est valable jusqu'au {} et ne sert qu'une fois.",
                        self.expires.date_fr()
                    )),
                    Line::new("Pour activer votre compte :").bold().gap(18),
                    Line::new(format!("1. Rendez-vous sur {}", self.url)),
                    Line::new("2. Saisissez votre identifiant et ce code."),
                    Line::new(
                        "3. Choisissez votre mot de passe (10 caractères au moins) et acceptez la charte.",
                    ),
                    Line::new("Ce courrier est personnel : ne le communiquez à personne.").gap(18),
                    Line::new("En cas de perte, demandez un nouveau code au secrétariat de l'établissement."),
                ]);
                lines
            })
            .collect();
        web::pdf::document(&pages)
    }

    /// Semicolon-separated, UTF-8 with a BOM, so spreadsheets in French locales open it as is.
    pub fn csv(&self) -> String {
        let field = |s: &str| {
            if s.contains([';', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let mut out = String::from(
            "\u{feff}nom;prénom;classe;responsable de;identifiant;code;valable jusqu'au;adresse\n",
        );
        for l in &self.letters {
            let row = [
                field(&l.last_name),
                field(&l.first_name),
                field(&self.class),
                field(l.for_student.as_deref().unwrap_or("")),
                field(&l.login),
                field(&l.code),
                self.expires.date_fr(),
                field(&self.url),
            ];
            out.push_str(&row.join(";"));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_formats() {
        assert!(valid_email("parent@example.fr"));
        assert!(!valid_email("parent@example"));
        assert!(!valid_email("par ent@example.fr"));
        assert!(valid_phone("06 12 34 56 78"));
        assert!(valid_phone("+33 6 12 34 56 78"));
        assert!(!valid_phone("12345"));
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let batch = LetterBatch {
            school: "Collège".into(),
            class: "3B".into(),
            expires: Timestamp(1_788_220_800_000),
            url: "https://ent.example/activation".into(),
            letters: vec![Letter {
                first_name: "Zoé".into(),
                last_name: "Le \"Goff\"; Martin".into(),
                login: "zoe.le-goff".into(),
                code: "ABCD-EFGH-JKMN".into(),
                for_student: None,
            }],
        };
        let csv = batch.csv();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("\"Le \"\"Goff\"\"; Martin\";Zoé;3B;;zoe.le-goff;ABCD-EFGH-JKMN;01/09/2026;"));
    }
}
