//! The read-only grants of the cahier de textes, which the direction gives and takes back.

use directory::model::Person;
use kernel::Profile;
use uuid::Uuid;

use crate::model::FieldError;
use crate::service::{Error, Homework, Result, Viewer};
use crate::store;

impl Homework {
    /// The read-only grants of the school (direction only).
    pub async fn readers(&self, v: &Viewer) -> Result<Vec<Person>> {
        direction_only(v)?;
        Ok(store::readers(&self.db, v.school).await?)
    }

    pub async fn grant_reader(&self, v: &Viewer, login: &str) -> Result<()> {
        direction_only(v)?;
        if login.trim().is_empty() {
            return Err(FieldError::new("hw-field-login", "hw-problem-required").into());
        }
        let person = directory::store::member_by_login(&self.db, v.school, login)
            .await?
            .ok_or(FieldError::new("hw-field-login", "hw-problem-unknown-login"))?;
        store::grant_reader(&self.db, v.school, person.id, v.user, self.now()).await?;
        Ok(())
    }

    pub async fn revoke_reader(&self, v: &Viewer, user: Uuid) -> Result<()> {
        direction_only(v)?;
        store::revoke_reader(&self.db, v.school, user).await?;
        Ok(())
    }
}

fn direction_only(v: &Viewer) -> Result<()> {
    if v.profile == Profile::Direction {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}
