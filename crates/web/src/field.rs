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
