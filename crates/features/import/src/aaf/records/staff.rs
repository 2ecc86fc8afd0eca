//! Records of the staff file (PersEducNat): functions, teaching assignments and derived profiles.

use std::collections::BTreeSet;

use super::super::error::RecordError;
use super::super::fields::{self, non_empty};
use super::super::operation::{Attribute, Operation};
use super::super::profile::{NationalProfile, StructureProfile};
use super::person::{Contacts, Identity};
use super::student::{Membership, memberships};
use super::{Build, jointure};

/// One `ENTPersonFonctions` value: `structure$code$label$discipline$disciplineLabel`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub structure: String,
    /// `ENS`, `DIR`, `EDU`, `DOC`, `ORI`…
    pub code: String,
    pub label: Option<String>,
    /// Discipline code (`L1500`), for teachers.
    pub discipline: Option<String>,
    pub discipline_label: Option<String>,
}

/// A class or group taught: `structure$classOrGroup$subject`, the subject being an `ENTMatJointure`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeachingAssignment {
    pub structure: String,
    pub class_or_group: String,
    pub subject: String,
}

fn assignments(attr: &Attribute) -> Result<Vec<TeachingAssignment>, RecordError> {
    Ok(fields::compound::<3>(attr, 3)?
        .into_iter()
        .map(|[structure, class_or_group, subject]| TeachingAssignment {
            structure,
            class_or_group,
            subject,
        })
        .collect())
}

/// A member of staff (PersEducNat): teachers, direction, vie scolaire, administration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    /// `ENTPersonJointure`.
    pub jointure: String,
    pub identity: Identity,
    /// `mail` is the academic address the agents' SSO matches on.
    pub contacts: Contacts,
    /// `ENTPersonStructRattach`: structures of attachment.
    pub structures: Vec<String>,
    /// `ENTPersonFonctions`.
    pub functions: Vec<Function>,
    /// `ENTAuxEnsClassesMatieres`.
    pub class_subjects: Vec<TeachingAssignment>,
    /// `ENTAuxEnsGroupesMatieres`.
    pub group_subjects: Vec<TeachingAssignment>,
    /// `ENTAuxEnsClassesPrincipal`: classes whose professeur principal this person is.
    pub head_teacher_of: Vec<Membership>,
    /// `PersEducNatPresenceDevantEleves`: teaches students.
    pub teaches: Option<bool>,
}

impl Staff {
    /// The national profile in each structure. A function gives its profile in its structure; a
    /// structure of attachment or of teaching with no known function gives `National_ENS` to someone
    /// who teaches (flag or assignments there) and `National_ETA` to anyone else.
    pub fn profiles(&self) -> Vec<StructureProfile> {
        let mut profiles = BTreeSet::new();
        for function in &self.functions {
            if let Some(profile) = NationalProfile::from_function_code(&function.code) {
                profiles.insert(StructureProfile {
                    structure: function.structure.clone(),
                    profile,
                });
            }
        }
        let assigned = self.class_subjects.iter().chain(&self.group_subjects);
        let teaching_in: BTreeSet<&str> = assigned
            .map(|a| a.structure.as_str())
            .chain(self.head_teacher_of.iter().map(|m| m.structure.as_str()))
            .collect();
        let structures: BTreeSet<&str> = self
            .structures
            .iter()
            .map(String::as_str)
            .chain(teaching_in.iter().copied())
            .collect();
        for structure in structures {
            if profiles.iter().any(|p| p.structure == structure) {
                continue;
            }
            let teaches = self.teaches == Some(true) || teaching_in.contains(structure);
            profiles.insert(StructureProfile {
                structure: structure.to_string(),
                profile: if teaches {
                    NationalProfile::Ens
                } else {
                    NationalProfile::Eta
                },
            });
        }
        profiles.into_iter().collect()
    }
}

impl Build for Staff {
    fn start(op: &Operation) -> Result<Self, RecordError> {
        Ok(Staff {
            jointure: jointure(op, "ENTPersonJointure")?,
            identity: Identity::start(op)?,
            contacts: Contacts::default(),
            structures: Vec::new(),
            functions: Vec::new(),
            class_subjects: Vec::new(),
            group_subjects: Vec::new(),
            head_teacher_of: Vec::new(),
            teaches: None,
        })
    }

    fn set(&mut self, attr: &Attribute) -> Result<(), RecordError> {
        if self.identity.set(attr)? || self.contacts.set(attr)? {
            return Ok(());
        }
        match attr.name.as_str() {
            "ENTPersonStructRattach" => self.structures = fields::list(attr),
            "ENTPersonFonctions" => {
                self.functions = fields::compound::<5>(attr, 2)?
                    .into_iter()
                    .map(
                        |[structure, code, label, discipline, discipline_label]| Function {
                            structure,
                            code,
                            label: non_empty(label),
                            discipline: non_empty(discipline),
                            discipline_label: non_empty(discipline_label),
                        },
                    )
                    .collect();
            }
            "ENTAuxEnsClassesMatieres" => self.class_subjects = assignments(attr)?,
            "ENTAuxEnsGroupesMatieres" => self.group_subjects = assignments(attr)?,
            "ENTAuxEnsClassesPrincipal" => self.head_teacher_of = memberships(attr)?,
            "PersEducNatPresenceDevantEleves" => self.teaches = fields::flag(attr)?,
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(functions: &[(&str, &str)], structures: &[&str], teaches: Option<bool>) -> Staff {
        Staff {
            jointure: "1".into(),
            identity: Identity {
                last_name: "N".into(),
                first_name: "P".into(),
                birth_name: None,
                other_first_names: Vec::new(),
                title: None,
                birth_date: None,
            },
            contacts: Contacts::default(),
            structures: structures.iter().map(|s| s.to_string()).collect(),
            functions: functions
                .iter()
                .map(|(s, c)| Function {
                    structure: s.to_string(),
                    code: c.to_string(),
                    label: None,
                    discipline: None,
                    discipline_label: None,
                })
                .collect(),
            class_subjects: Vec::new(),
            group_subjects: Vec::new(),
            head_teacher_of: Vec::new(),
            teaches,
        }
    }

    fn profiles(s: &Staff) -> Vec<(String, &'static str)> {
        s.profiles()
            .into_iter()
            .map(|p| (p.structure, p.profile.code()))
            .collect()
    }

    #[test]
    fn each_function_gives_a_profile_in_its_structure() {
        let s = staff(
            &[("A", "ENS"), ("A", "DIR"), ("B", "EDU"), ("B", "DOC")],
            &["A", "B"],
            None,
        );
        assert_eq!(
            profiles(&s),
            [
                ("A".into(), "National_ENS"),
                ("A".into(), "National_DIR"),
                ("B".into(), "National_EVS"),
                ("B".into(), "National_DOC"),
            ]
        );
    }

    #[test]
    fn structures_without_a_known_function_fall_back_on_teaching() {
        let s = staff(&[("A", "XYZ")], &["A"], Some(true));
        assert_eq!(profiles(&s), [("A".into(), "National_ENS")]);
        let s = staff(&[], &["A"], Some(false));
        assert_eq!(profiles(&s), [("A".into(), "National_ETA")]);
        let mut s = staff(&[("A", "ORI")], &["A"], None);
        s.class_subjects.push(TeachingAssignment {
            structure: "B".into(),
            class_or_group: "3A".into(),
            subject: "061300".into(),
        });
        assert_eq!(
            profiles(&s),
            [("A".into(), "National_ETA"), ("B".into(), "National_ENS")]
        );
    }
}
