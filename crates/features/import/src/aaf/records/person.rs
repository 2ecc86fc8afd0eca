//! The parts every AAF person shares: identity, contacts and postal address.

use super::super::error::RecordError;
use super::super::fields::{self, Date};
use super::super::operation::{Attribute, Operation};

/// Who a person is: `sn`, `givenName` and the optional civil-status attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `sn`: usual last name.
    pub last_name: String,
    /// `givenName`.
    pub first_name: String,
    /// `ENTPersonNomPatro`: birth name, when different.
    pub birth_name: Option<String>,
    /// `ENTPersonAutresPrenoms`.
    pub other_first_names: Vec<String>,
    /// `personalTitle`: `M.`, `Mme`.
    pub title: Option<String>,
    /// `ENTPersonDateNaissance`.
    pub birth_date: Option<Date>,
}

impl Identity {
    /// The two names no person record can do without.
    pub(crate) fn start(op: &Operation) -> Result<Identity, RecordError> {
        Ok(Identity {
            last_name: fields::text(fields::required(&op.attributes, "sn")?)?,
            first_name: fields::text(fields::required(&op.attributes, "givenName")?)?,
            birth_name: None,
            other_first_names: Vec::new(),
            title: None,
            birth_date: None,
        })
    }

    /// Reads the attribute if it is an identity one; `Ok(false)` when it is not.
    pub(crate) fn set(&mut self, attr: &Attribute) -> Result<bool, RecordError> {
        match attr.name.as_str() {
            "sn" => self.last_name = fields::text(attr)?,
            "givenName" => self.first_name = fields::text(attr)?,
            "ENTPersonNomPatro" => self.birth_name = fields::single(attr)?,
            "ENTPersonAutresPrenoms" => self.other_first_names = fields::list(attr),
            "personalTitle" => self.title = fields::single(attr)?,
            "ENTPersonDateNaissance" => self.birth_date = fields::date(attr)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// Telephone numbers and e-mail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contacts {
    /// `homePhone`.
    pub home_phone: Option<String>,
    /// `telephoneNumber`: work phone.
    pub work_phone: Option<String>,
    /// `mobile`.
    pub mobile: Option<String>,
    /// `mail`: for staff, the academic address the SSO matches on.
    pub mail: Option<String>,
}

impl Contacts {
    pub(crate) fn set(&mut self, attr: &Attribute) -> Result<bool, RecordError> {
        match attr.name.as_str() {
            "homePhone" => self.home_phone = fields::single(attr)?,
            "telephoneNumber" => self.work_phone = fields::single(attr)?,
            "mobile" => self.mobile = fields::single(attr)?,
            "mail" => self.mail = fields::single(attr)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// A postal address; AAF joins up to four street lines with `$`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    pub lines: Vec<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

impl Address {
    /// Reads a person's address (`ENTPersonAdresse`…) or, with `structure`, a school's (`street`…).
    pub(crate) fn set(&mut self, attr: &Attribute, structure: bool) -> Result<bool, RecordError> {
        let (street, postal, city, country) = if structure {
            ("street", "postalCode", "l", "c")
        } else {
            (
                "ENTPersonAdresse",
                "ENTPersonCodePostal",
                "ENTPersonVille",
                "ENTPersonPays",
            )
        };
        let name = attr.name.as_str();
        if name == street {
            self.lines = fields::single(attr)?
                .map(|v| {
                    v.split('$')
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
        } else if name == postal {
            self.postal_code = fields::single(attr)?;
        } else if name == city {
            self.city = fields::single(attr)?;
        } else if name == country {
            self.country = fields::single(attr)?;
        } else {
            return Ok(false);
        }
        Ok(true)
    }
}
