//! Records of the school-side files: structures (EtabEducNat), subjects and MEFs.

use kernel::Uai;

use super::super::error::RecordError;
use super::super::fields;
use super::super::operation::{Attribute, Operation};
use super::person::Address;
use super::{Build, jointure};

/// A class or group of a structure: `code$label` (the label defaults to the code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLabel {
    pub code: String,
    pub label: String,
}

fn code_labels(attr: &Attribute) -> Result<Vec<CodeLabel>, RecordError> {
    Ok(fields::compound::<2>(attr, 1)?
        .into_iter()
        .map(|[code, label]| {
            let label = if label.is_empty() { code.clone() } else { label };
            CodeLabel { code, label }
        })
        .collect())
}

/// A school or other structure (EtabEducNat).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Structure {
    /// `ENTStructureJointure`: what every cross-reference in other files points to.
    pub jointure: String,
    /// `ENTStructureUAI` (or the older `ENTEtablissementUAI`), check letter verified.
    pub uai: Uai,
    /// `ENTStructureNomCourant`, `$` turned into ` - `.
    pub name: String,
    /// `ENTStructureTypeStruct`: `CLG`, `LYC`, `ECOLE`…
    pub kind: Option<String>,
    /// `ENTServAcAcademie`.
    pub academy: Option<String>,
    /// `ENTEtablissementContrat`: `PUBLIC`, `PRIVE SOUS CONTRAT`…
    pub contract: Option<String>,
    /// `street`, `postalCode`, `l`.
    pub address: Address,
    /// `ENTStructureClasses`.
    pub classes: Vec<CodeLabel>,
    /// `ENTStructureGroupes`.
    pub groups: Vec<CodeLabel>,
}

const UAI_NAMES: [&str; 2] = ["ENTStructureUAI", "ENTEtablissementUAI"];

impl Build for Structure {
    fn start(op: &Operation) -> Result<Self, RecordError> {
        let uai_attr = UAI_NAMES
            .iter()
            .find_map(|n| fields::required(&op.attributes, n).ok())
            .ok_or_else(|| RecordError::missing(UAI_NAMES[0]))?;
        let name = fields::text(fields::required(&op.attributes, "ENTStructureNomCourant")?)?;
        Ok(Structure {
            jointure: jointure(op, "ENTStructureJointure")?,
            uai: fields::uai(uai_attr)?,
            name: fields::display_name(&name),
            kind: None,
            academy: None,
            contract: None,
            address: Address::default(),
            classes: Vec::new(),
            groups: Vec::new(),
        })
    }

    fn set(&mut self, attr: &Attribute) -> Result<(), RecordError> {
        if self.address.set(attr, true)? {
            return Ok(());
        }
        match attr.name.as_str() {
            // The old name may linger empty beside the new one; only the new one is mandatory.
            "ENTEtablissementUAI" if fields::single(attr)?.is_none() => {}
            n if UAI_NAMES.contains(&n) => self.uai = fields::uai(attr)?,
            "ENTStructureNomCourant" => self.name = fields::display_name(&fields::text(attr)?),
            "ENTStructureTypeStruct" => self.kind = fields::single(attr)?,
            "ENTServAcAcademie" => self.academy = fields::single(attr)?,
            "ENTEtablissementContrat" => self.contract = fields::single(attr)?,
            "ENTStructureClasses" => self.classes = code_labels(attr)?,
            "ENTStructureGroupes" => self.groups = code_labels(attr)?,
            _ => {}
        }
        Ok(())
    }
}

/// A subject (MatiereEducNat): what `ENTAuxEnsClassesMatieres` values point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// `ENTMatJointure`.
    pub jointure: String,
    /// `ENTLibelleMatiere`.
    pub label: String,
}

impl Build for Subject {
    fn start(op: &Operation) -> Result<Self, RecordError> {
        Ok(Subject {
            jointure: jointure(op, "ENTMatJointure")?,
            label: fields::text(fields::required(&op.attributes, "ENTLibelleMatiere")?)?,
        })
    }

    fn set(&mut self, attr: &Attribute) -> Result<(), RecordError> {
        if attr.name == "ENTLibelleMatiere" {
            self.label = fields::text(attr)?;
        }
        Ok(())
    }
}

/// A MEF (module élémentaire de formation): a year of a programme, such as 3e générale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mef {
    /// `ENTMefJointure`.
    pub jointure: String,
    /// `ENTLibelleMef`.
    pub label: String,
    /// `ENTMEFSTAT11`: the national statistical code.
    pub stat11: Option<String>,
}

impl Build for Mef {
    fn start(op: &Operation) -> Result<Self, RecordError> {
        Ok(Mef {
            jointure: jointure(op, "ENTMefJointure")?,
            label: fields::text(fields::required(&op.attributes, "ENTLibelleMef")?)?,
            stat11: None,
        })
    }

    fn set(&mut self, attr: &Attribute) -> Result<(), RecordError> {
        match attr.name.as_str() {
            "ENTLibelleMef" => self.label = fields::text(attr)?,
            "ENTMEFSTAT11" => self.stat11 = fields::single(attr)?,
            _ => {}
        }
        Ok(())
    }
}
