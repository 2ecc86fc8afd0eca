//! Records of the family-side files: students (Eleve) and their relatives (PersRelEleve).

use super::super::error::RecordError;
use super::super::fields;
use super::super::operation::{Attribute, Operation};
use super::super::profile::{NationalProfile, StructureProfile};
use super::person::{Address, Contacts, Identity};
use super::{Build, jointure};

/// A class or group a student belongs to: `structureJointure$code`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Membership {
    pub structure: String,
    pub code: String,
}

pub(crate) fn memberships(attr: &Attribute) -> Result<Vec<Membership>, RecordError> {
    Ok(fields::compound::<2>(attr, 2)?
        .into_iter()
        .map(|[structure, code]| Membership { structure, code })
        .collect())
}

/// One `ENTElevePersRelEleve` value: `relative$relationship$financial$legal$contact$payment`.
///
/// Only the relative and the legal field have a documented meaning (entcore reads field 4: 1 = legal
/// representative, 2 = person in charge); the others are kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelativeLink {
    /// The relative's `ENTPersonJointure`.
    pub relative: String,
    /// Kinship code (10 father, 20 mother… in the BEE nomenclature).
    pub relationship: String,
    pub financial: String,
    pub legal: String,
    pub contact: String,
    pub payment: String,
}

impl RelativeLink {
    pub fn is_legal_representative(&self) -> bool {
        self.legal == "1"
    }

    pub fn is_person_in_charge(&self) -> bool {
        self.legal == "2"
    }
}

/// A student (Eleve).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Student {
    /// `ENTPersonJointure`.
    pub jointure: String,
    pub identity: Identity,
    pub contacts: Contacts,
    /// `ENTEleveINE`: national student id.
    pub ine: Option<String>,
    /// `ENTEleveStructRattachId`: the student's number in the school's own system.
    pub school_number: Option<String>,
    /// `ENTPersonStructRattach`: the structure the student is enrolled in.
    pub structure: String,
    /// `ENTEleveClasses`.
    pub classes: Vec<Membership>,
    /// `ENTEleveGroupes`.
    pub groups: Vec<Membership>,
    /// `ENTEleveMEF`.
    pub mef: Option<String>,
    /// `ENTEleveLibelleMEF`.
    pub mef_label: Option<String>,
    /// `ENTEleveCodeEnseignements`: option codes.
    pub options: Vec<String>,
    /// `ENTEleveRegime`: `EXTERNE`, `DP DAN`, `INTERNE`…
    pub regime: Option<String>,
    /// `ENTEleveBoursier`.
    pub scholarship: Option<bool>,
    /// `ENTElevePersRelEleve`.
    pub relatives: Vec<RelativeLink>,
}

impl Student {
    /// A student is `National_ELV` in the structure of enrolment and in those of its classes.
    pub fn profiles(&self) -> Vec<StructureProfile> {
        let mut structures: Vec<&str> = std::iter::once(self.structure.as_str())
            .chain(self.classes.iter().map(|c| c.structure.as_str()))
            .collect();
        structures.sort_unstable();
        structures.dedup();
        structures
            .into_iter()
            .map(|s| StructureProfile {
                structure: s.to_string(),
                profile: NationalProfile::Elv,
            })
            .collect()
    }
}

impl Build for Student {
    fn start(op: &Operation) -> Result<Self, RecordError> {
        Ok(Student {
            jointure: jointure(op, "ENTPersonJointure")?,
            identity: Identity::start(op)?,
            contacts: Contacts::default(),
            ine: None,
            school_number: None,
            structure: fields::text(fields::required(&op.attributes, "ENTPersonStructRattach")?)?,
            classes: Vec::new(),
            groups: Vec::new(),
            mef: None,
            mef_label: None,
            options: Vec::new(),
            regime: None,
            scholarship: None,
            relatives: Vec::new(),
        })
    }

    fn set(&mut self, attr: &Attribute) -> Result<(), RecordError> {
        if self.identity.set(attr)? || self.contacts.set(attr)? {
            return Ok(());
        }
        match attr.name.as_str() {
            "ENTEleveINE" => self.ine = fields::ine(attr)?,
            "ENTEleveStructRattachId" => self.school_number = fields::single(attr)?,
            "ENTPersonStructRattach" => self.structure = fields::text(attr)?,
            "ENTEleveClasses" => self.classes = memberships(attr)?,
            "ENTEleveGroupes" => self.groups = memberships(attr)?,
            "ENTEleveMEF" => self.mef = fields::single(attr)?,
            "ENTEleveLibelleMEF" => self.mef_label = fields::single(attr)?,
            "ENTEleveCodeEnseignements" => self.options = fields::list(attr),
            "ENTEleveRegime" => self.regime = fields::single(attr)?,
            "ENTEleveBoursier" => self.scholarship = fields::flag(attr)?,
            "ENTElevePersRelEleve" => {
                self.relatives = fields::compound::<6>(attr, 6)?
                    .into_iter()
                    .map(
                        |[relative, relationship, financial, legal, contact, payment]| RelativeLink {
                            relative,
                            relationship,
                            financial,
                            legal,
                            contact,
                            payment,
                        },
                    )
                    .collect();
            }
            _ => {}
        }
        Ok(())
    }
}

/// A student's relative (PersRelEleve). The link to the student is normally read from the student's
/// `ENTElevePersRelEleve`; `students` is the optional reverse list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relative {
    /// `ENTPersonJointure`.
    pub jointure: String,
    pub identity: Identity,
    pub contacts: Contacts,
    pub address: Address,
    /// `ENTAuxPersRelEleveEleve`: the students' join keys.
    pub students: Vec<String>,
    /// `ENTPersonProfession` (free text, often empty).
    pub profession: Option<String>,
}

impl Relative {
    /// Always `National_TUT`; the structures are those of the relative's students.
    pub fn profile(&self) -> NationalProfile {
        NationalProfile::Tut
    }
}

impl Build for Relative {
    fn start(op: &Operation) -> Result<Self, RecordError> {
        Ok(Relative {
            jointure: jointure(op, "ENTPersonJointure")?,
            identity: Identity::start(op)?,
            contacts: Contacts::default(),
            address: Address::default(),
            students: Vec::new(),
            profession: None,
        })
    }

    fn set(&mut self, attr: &Attribute) -> Result<(), RecordError> {
        if self.identity.set(attr)? || self.contacts.set(attr)? || self.address.set(attr, false)? {
            return Ok(());
        }
        match attr.name.as_str() {
            "ENTAuxPersRelEleveEleve" => self.students = fields::list(attr),
            "ENTPersonProfession" => self.profession = fields::single(attr)?,
            _ => {}
        }
        Ok(())
    }
}
