//! A form field that is wrong: what every feature's validation returns, shown as « Label : problem ».

use crate::{Lang, Msg, i18n};

/// A bad form field: the Fluent key of the field's label and of the problem, shown together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: &'static str,
    /// Arguments of the problem's message (a file's name and size…).
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    pub fn new(field: &'static str, problem: &'static str) -> FieldError {
        FieldError {
            field,
            problem,
            args: vec![],
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> FieldError {
        self.args.push((name, value.to_string()));
        self
    }

    /// The problem alone, as a message (the label is the page's to show).
    pub fn problem_msg(&self) -> Msg {
        let mut msg = Msg::new(self.problem);
        for (k, v) in &self.args {
            msg = msg.arg(k, v);
        }
        msg
    }

    /// « Titre : ce champ est obligatoire. » in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        format!(
            "{} : {}",
            i18n::text(lang, self.field, &[]),
            self.problem_msg().render(lang)
        )
    }
}

/// What a feature's service answers when it fails or refuses, the same for every feature (homework,
/// news, agenda, discipline): the pages turn it into an [`crate::AppError`] (404, 403, the form's
/// error, 500).
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Db(#[from] db::Error),
    /// Another part of the node failed (the blob store…): logged, never shown.
    #[error("{0}")]
    Internal(String),
    #[error("introuvable")]
    NotFound,
    #[error("interdit")]
    Forbidden,
    #[error("saisie invalide : {0:?}")]
    Invalid(FieldError),
}

impl ServiceError {
    pub fn internal(e: impl std::fmt::Display) -> ServiceError {
        ServiceError::Internal(e.to_string())
    }
}

impl From<FieldError> for ServiceError {
    fn from(e: FieldError) -> Self {
        ServiceError::Invalid(e)
    }
}

impl From<ServiceError> for crate::AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Db(e) => e.into(),
            ServiceError::Internal(e) => crate::AppError::Internal(e),
            ServiceError::NotFound => crate::AppError::NotFound,
            ServiceError::Forbidden => crate::AppError::Forbidden,
            ServiceError::Invalid(f) => crate::AppError::BadRequest(f.problem_msg()),
        }
    }
}
