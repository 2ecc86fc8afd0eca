//! The import report: what changed, what was refused and why, in French for people and JSON for tools.

use std::fmt;

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// A record the import refused, with where it is and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rejection {
    pub file: String,
    pub line: u64,
    pub record: Option<String>,
    pub reason: String,
}

/// Stored as JSON with each run; read back leniently (fields added later default to zero).
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Report {
    pub files: Vec<String>,
    pub structures: Counts,
    pub subjects: Counts,
    pub mefs: Counts,
    pub students: Counts,
    pub relatives: Counts,
    pub staff: Counts,
    /// Students whose classes or groups changed.
    pub moved: u64,
    /// People a complete import no longer lists, waiting for the grace period to end.
    pub missing: u64,
    pub deactivated: u64,
    /// People deactivated earlier who came back.
    pub reactivated: u64,
    pub rejected: Vec<Rejection>,
    /// False when a file could not be read: then nothing was applied.
    pub applied: bool,
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

fn line(f: &mut fmt::Formatter<'_>, what: &str, c: &Counts) -> fmt::Result {
    writeln!(
        f,
        "  {what:<20} créés {:>8}   modifiés {:>8}   inchangés {:>8}",
        c.created, c.updated, c.unchanged
    )
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.applied {
            writeln!(f, "Import AAF appliqué ({} fichier(s)) :", self.files.len())?;
        } else {
            writeln!(
                f,
                "Import AAF NON appliqué : un fichier est illisible, l'annuaire n'a pas changé."
            )?;
        }
        line(f, "établissements", &self.structures)?;
        line(f, "matières", &self.subjects)?;
        line(f, "niveaux (MEF)", &self.mefs)?;
        line(f, "élèves", &self.students)?;
        line(f, "responsables", &self.relatives)?;
        line(f, "personnels", &self.staff)?;
        writeln!(f, "  élèves changés de classe ou de groupe : {}", self.moved)?;
        writeln!(f, "  absents de l'import complet (en attente) : {}", self.missing)?;
        writeln!(
            f,
            "  désactivés : {}   réactivés : {}",
            self.deactivated, self.reactivated
        )?;
        write!(f, "  rejetés : {}", self.rejected.len())?;
        for r in &self.rejected {
            let record = r
                .record
                .as_deref()
                .map(|id| format!(", enregistrement {id}"))
                .unwrap_or_default();
            write!(f, "\n    {}, ligne {}{record} : {}", r.file, r.line, r.reason)?;
        }
        Ok(())
    }
}
