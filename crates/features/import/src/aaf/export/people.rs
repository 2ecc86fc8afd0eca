//! The people files of the export, written in one pass over the accounts: Eleve, PersRelEleve and
//! PersEducNat. A person may land in two of them (a teacher who is also a parent), under one join key.

use std::collections::{BTreeSet, HashMap};

use db::Tx;
use uuid::Uuid;

use super::rows::{self, ClassLinkRow, LinkRow, MembershipRow, UserRow};
use super::{ExportError, ExportReport, Writers, code, compound};
use crate::aaf::fields::Date;
use crate::aaf::files::FileType;
use crate::aaf::writer::{AafWriter, RecordBuilder};

/// What hangs off one page of accounts, by user id.
struct Page {
    memberships: HashMap<Uuid, Vec<MembershipRow>>,
    student_classes: HashMap<Uuid, Vec<ClassLinkRow>>,
    teachings: HashMap<Uuid, Vec<ClassLinkRow>>,
    head_of: HashMap<Uuid, Vec<ClassLinkRow>>,
    guardians: HashMap<Uuid, Vec<LinkRow>>,
    students: HashMap<Uuid, Vec<LinkRow>>,
}

fn by_user<T>(rows: Vec<T>, user: impl Fn(&T) -> Uuid) -> HashMap<Uuid, Vec<T>> {
    let mut map: HashMap<Uuid, Vec<T>> = HashMap::new();
    for row in rows {
        map.entry(user(&row)).or_default().push(row);
    }
    map
}

fn rows_of<T>(map: &HashMap<Uuid, Vec<T>>, user: Uuid) -> &[T] {
    map.get(&user).map(Vec::as_slice).unwrap_or_default()
}

impl Page {
    async fn load(tx: &mut Tx, range: (Uuid, Uuid)) -> db::Result<Page> {
        let memberships = rows::memberships(tx, range).await?;
        let schools: Vec<Uuid> = memberships
            .iter()
            .map(|m| m.school_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let (classes, teachings, head_of) = if schools.is_empty() {
            (Vec::new(), Vec::new(), Vec::new())
        } else {
            (
                rows::student_classes(tx, &schools, range).await?,
                rows::staff_classes(tx, &schools, range, false).await?,
                rows::staff_classes(tx, &schools, range, true).await?,
            )
        };
        Ok(Page {
            memberships: by_user(memberships, |r| r.user_id),
            student_classes: by_user(classes, |r| r.user_id),
            teachings: by_user(teachings, |r| r.user_id),
            head_of: by_user(head_of, |r| r.user_id),
            guardians: by_user(rows::guardianships(tx, range, true).await?, |r| r.user_id),
            students: by_user(rows::guardianships(tx, range, false).await?, |r| r.user_id),
        })
    }
}

/// The person's record in everything that cites them.
fn jointure_of(id: Uuid, jointure: Option<&str>) -> String {
    jointure.map_or_else(|| id.to_string(), str::to_string)
}

/// The AAF function code and default label of a staff profile; `None` for the others.
fn function_of(profile: &str) -> Option<(&'static str, &'static str)> {
    Some(match profile {
        "DIR" => ("DIR", "DIRECTION"),
        "EVS" => ("EDU", "EDUCATION"),
        "DOC" => ("DOC", "DOCUMENTATION"),
        "ETA" => ("ADM", "ADMINISTRATION"),
        "ENS" => ("ENS", "ENSEIGNEMENT"),
        "COL" => ("COLTER", "COLLECTIVITE TERRITORIALE"),
        _ => return None,
    })
}

/// The relationship code of a stored relation (see the module documentation of `export`).
fn relationship_code(relation: &str) -> String {
    let relation = relation.trim();
    let upper = relation.to_uppercase();
    match upper.as_str() {
        "PERE" | "PÈRE" => "10".to_string(),
        "MERE" | "MÈRE" => "20".to_string(),
        _ if !relation.is_empty() && relation.bytes().all(|b| b.is_ascii_digit()) => relation.to_string(),
        _ => "50".to_string(),
    }
}

/// `relative$relationship$financial$legal$contact$payment`.
fn relative_link(link: &LinkRow) -> String {
    let jointure = jointure_of(link.other_id, link.other_jointure.as_deref());
    let relationship = relationship_code(&link.relation);
    let (financial, legal) = if link.legal { ("1", "1") } else { ("0", "2") };
    compound(&[&jointure, &relationship, financial, legal, "1", "0"])
}

/// `ENTPersonDateNaissance` from the stored `aaaa-mm-jj`.
fn birth_date(iso: &str) -> Option<Date> {
    let mut parts = iso.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    Date::new(year, month, day)
}

/// Pages through the active accounts by id and writes each person's records.
pub(super) async fn people(
    tx: &mut Tx,
    writers: &mut Writers,
    schools: &HashMap<Uuid, String>,
    page_size: u64,
    report: &mut ExportReport,
) -> Result<(), ExportError> {
    let mut after = None;
    loop {
        let users = rows::users_page(tx, after, page_size).await?;
        let (Some(first), Some(last)) = (users.first(), users.last()) else {
            break;
        };
        after = Some(last.id);
        let page = Page::load(tx, (first.id, last.id)).await?;
        for user in &users {
            write_person(writers, &page, schools, user, report)?;
        }
        if (users.len() as u64) < page_size {
            break;
        }
    }
    Ok(())
}

fn write_person(
    writers: &mut Writers,
    page: &Page,
    schools: &HashMap<Uuid, String>,
    user: &UserRow,
    report: &mut ExportReport,
) -> Result<(), ExportError> {
    let jointure = jointure_of(user.id, user.jointure.as_deref());
    let memberships = rows_of(&page.memberships, user.id);
    let students = rows_of(&page.students, user.id);
    let person = Person {
        user,
        jointure: &jointure,
        birth: user.birth_date.as_deref().and_then(|d| {
            let date = birth_date(d);
            if date.is_none() {
                report.note(format!(
                    "compte {jointure} : date de naissance « {d} » illisible, omise"
                ));
            }
            date
        }),
        schools,
    };
    let mut written = false;
    if let Some(school) = memberships.iter().find(|m| m.profile == "ELV") {
        match schools.get(&school.school_id) {
            Some(structure) => {
                person.student(writers.get(FileType::Eleve), structure, page)?;
                report.students += 1;
            }
            None => report.note(format!("élève {jointure} : établissement inconnu, élève omis")),
        }
        written = true;
    }
    if memberships.iter().any(|m| m.profile == "TUT") || !students.is_empty() {
        person.relative(writers.get(FileType::PersRelEleve), students)?;
        report.relatives += 1;
        written = true;
    }
    let staff: Vec<&MembershipRow> = memberships
        .iter()
        .filter(|m| function_of(&m.profile).is_some())
        .collect();
    if !staff.is_empty() {
        person.staff(writers.get(FileType::PersEducNat), &staff, page)?;
        report.staff += 1;
        written = true;
    }
    if !written {
        report.not_exported += 1;
    }
    Ok(())
}

/// One account being written, with what every one of its records shares.
struct Person<'a> {
    user: &'a UserRow,
    jointure: &'a str,
    birth: Option<Date>,
    schools: &'a HashMap<Uuid, String>,
}

impl Person<'_> {
    /// The identity attributes every person record starts with.
    fn start<'w>(&self, writer: &'w mut AafWriter) -> RecordBuilder<'w> {
        let mut record = writer.add(self.jointure);
        record
            .value("ENTPersonJointure", self.jointure)
            .value("sn", &self.user.last_name)
            .value("givenName", &self.user.first_name)
            .optional(
                "ENTPersonDateNaissance",
                self.birth.map(|d| d.to_string()).as_deref(),
            )
            .optional("mail", self.user.email.as_deref());
        record
    }

    /// `structure$code(…)` values of the links of one kind (`classe` or `groupe`), with the extra
    /// field (the subject) when asked; links to an unknown school are dropped.
    fn classes(&self, links: &[ClassLinkRow], kind: &str, with_extra: bool) -> Vec<String> {
        links
            .iter()
            .filter(|l| l.kind == kind)
            .filter_map(|l| {
                let school = self.schools.get(&l.school_id)?;
                let class = code(&l.code);
                Some(match (&l.extra, with_extra) {
                    (Some(subject), true) => compound(&[school, &class, &code(subject)]),
                    _ => compound(&[school, &class]),
                })
            })
            .collect()
    }

    fn student(&self, writer: &mut AafWriter, structure: &str, page: &Page) -> Result<(), ExportError> {
        let classes = rows_of(&page.student_classes, self.user.id);
        let links: Vec<String> = rows_of(&page.guardians, self.user.id)
            .iter()
            .map(relative_link)
            .collect();
        // The MEF is the class's: Ardoise keeps it on the class, AAF on the student.
        let mef = classes.iter().find(|c| c.kind == "classe" && c.extra.is_some());
        let mut record = self.start(writer);
        record
            .value("ENTPersonStructRattach", structure)
            .attr("ENTEleveClasses", self.classes(classes, "classe", false))
            .attr("ENTEleveGroupes", self.classes(classes, "groupe", false))
            .optional(
                "ENTEleveMEF",
                mef.and_then(|c| c.extra.as_deref()).map(code).as_deref(),
            )
            .optional("ENTEleveLibelleMEF", mef.and_then(|c| c.extra_label.as_deref()))
            .attr("ENTElevePersRelEleve", links);
        record.write()?;
        Ok(())
    }

    fn relative(&self, writer: &mut AafWriter, students: &[LinkRow]) -> Result<(), ExportError> {
        let students: Vec<String> = students
            .iter()
            .map(|l| jointure_of(l.other_id, l.other_jointure.as_deref()))
            .collect();
        let mut record = self.start(writer);
        if !students.is_empty() {
            record.attr("ENTAuxPersRelEleveEleve", students);
        }
        record.write()?;
        Ok(())
    }

    fn staff(
        &self,
        writer: &mut AafWriter,
        staff: &[&MembershipRow],
        page: &Page,
    ) -> Result<(), ExportError> {
        let teachings = rows_of(&page.teachings, self.user.id);
        let head_of = rows_of(&page.head_of, self.user.id);
        let mut structures: Vec<&str> = Vec::new();
        let mut functions = Vec::new();
        for membership in staff {
            let (Some(school), Some((code_, default_label))) = (
                self.schools.get(&membership.school_id),
                function_of(&membership.profile),
            ) else {
                continue;
            };
            if !structures.contains(&school.as_str()) {
                structures.push(school);
            }
            // `ENSEIGNEMENT - PHYSIQUE-CHIMIE`: the function, then the discipline.
            let text = membership.function.as_deref().unwrap_or(default_label);
            let (label, discipline_label) = text.split_once(" - ").unwrap_or((text, ""));
            let discipline = match code_ {
                "ENS" => teachings
                    .iter()
                    .find(|t| t.school_id == membership.school_id)
                    .and_then(|t| t.extra.as_deref())
                    .map(code)
                    .unwrap_or_default(),
                _ => String::new(),
            };
            functions.push(compound(&[school, code_, label, &discipline, discipline_label]));
        }
        let teaches = staff.iter().any(|m| m.profile == "ENS") || !teachings.is_empty();
        let mut record = self.start(writer);
        record
            .attr("ENTPersonStructRattach", &structures)
            .attr("ENTPersonFonctions", functions)
            .attr(
                "ENTAuxEnsClassesMatieres",
                self.classes(teachings, "classe", true),
            )
            .attr(
                "ENTAuxEnsGroupesMatieres",
                self.classes(teachings, "groupe", true),
            )
            .attr(
                "ENTAuxEnsClassesPrincipal",
                self.classes(head_of, "classe", false),
            )
            .value("PersEducNatPresenceDevantEleves", if teaches { "O" } else { "N" });
        record.write()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_map_to_codes() {
        assert_eq!(relationship_code("MERE"), "20");
        assert_eq!(relationship_code("père"), "10");
        assert_eq!(relationship_code("39"), "39");
        assert_eq!(relationship_code("TUTEUR"), "50");
        assert_eq!(relationship_code(""), "50");
    }

    #[test]
    fn stored_birth_dates_become_aaf_dates() {
        assert_eq!(
            birth_date("2012-02-29").map(|d| d.to_string()).as_deref(),
            Some("29/02/2012")
        );
        assert_eq!(birth_date("2013-02-29"), None);
        assert_eq!(birth_date("29/02/2012"), None);
    }
}
