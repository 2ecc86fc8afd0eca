//! Which AAF file is which: its type, complete or delta, its date and chunk, and the order to import.
//!
//! Names look like `ENT_<source>_Complet_<YYYYMMDD>_<Type>_<NNNN>.xml`, but the prefix varies between
//! académies, so only the `<Type>_<NNNN>.xml` ending is required.

use std::fmt;
use std::path::Path;

/// The six AAF file types, in import order (a student refers to structures and MEFs, a staff member
/// to structures and subjects, so those come first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileType {
    EtabEducNat,
    MatiereEducNat,
    MefEducNat,
    Eleve,
    PersRelEleve,
    PersEducNat,
}

impl FileType {
    pub const ALL: [FileType; 6] = [
        FileType::EtabEducNat,
        FileType::MatiereEducNat,
        FileType::MefEducNat,
        FileType::Eleve,
        FileType::PersRelEleve,
        FileType::PersEducNat,
    ];

    /// The token in file names (and the `categoriePersonne` of person records).
    pub fn token(self) -> &'static str {
        match self {
            FileType::EtabEducNat => "EtabEducNat",
            FileType::MatiereEducNat => "MatiereEducNat",
            FileType::MefEducNat => "MefEducNat",
            FileType::Eleve => "Eleve",
            FileType::PersRelEleve => "PersRelEleve",
            FileType::PersEducNat => "PersEducNat",
        }
    }

    /// Position in the import order, 0 first.
    pub fn rank(self) -> u8 {
        self as u8
    }

    fn from_token(token: &str) -> Option<FileType> {
        match token {
            "MatEducNat" => return Some(FileType::MatiereEducNat),
            "Eleve" => return Some(FileType::Eleve),
            _ => {}
        }
        // entcore matches `.*?EtabEducNat_NNNN.xml`: a glued prefix is allowed, except for `Eleve`, which
        // would also match `PersRelEleve`.
        let glued = [
            ("EtabEducNat", FileType::EtabEducNat),
            ("MatiereEducNat", FileType::MatiereEducNat),
            ("MatEducNat", FileType::MatiereEducNat),
            ("MefEducNat", FileType::MefEducNat),
            ("PersRelEleve", FileType::PersRelEleve),
            ("PersEducNat", FileType::PersEducNat),
        ];
        glued
            .into_iter()
            .find(|(name, _)| token.ends_with(name))
            .map(|(_, t)| t)
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.token())
    }
}

/// A full snapshot (deletions are computed by comparison) or a delta (explicit modify and delete).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Complet,
    Delta,
}

/// What a file name says about the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileKind {
    pub file_type: FileType,
    /// `None` when the name says neither `Complet` nor `Delta`.
    pub mode: Option<Mode>,
    /// The export date as `YYYYMMDD`, when the name has an 8-digit token.
    pub date: Option<u32>,
    /// The chunk number `NNNN`.
    pub chunk: u32,
}

impl FileKind {
    /// Sort key for importing a set of files: by export date (deltas must follow the snapshot they
    /// amend, older first), a complete export before a delta of the same day, then by type in
    /// [`FileType`] order, then by chunk.
    pub fn order(&self) -> (u32, u8, u8, u32) {
        let mode = match self.mode {
            Some(Mode::Complet) => 0,
            None => 1,
            Some(Mode::Delta) => 2,
        };
        (self.date.unwrap_or(0), mode, self.file_type.rank(), self.chunk)
    }
}

/// Recognises an AAF file from its name (a bare name or a path), or `None` for any other file.
pub fn classify(file_name: &str) -> Option<FileKind> {
    let name = Path::new(file_name).file_name()?.to_str()?;
    let stem = name.strip_suffix(".xml").or_else(|| name.strip_suffix(".XML"))?;
    let tokens: Vec<&str> = stem.split('_').collect();
    let (chunk, rest) = tokens.split_last()?;
    let (type_token, before) = rest.split_last()?;
    if chunk.is_empty() || !chunk.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let file_type = FileType::from_token(type_token)?;
    let mode = before.iter().find_map(|t| {
        if t.eq_ignore_ascii_case("Complet") {
            Some(Mode::Complet)
        } else if t.eq_ignore_ascii_case("Delta") {
            Some(Mode::Delta)
        } else {
            None
        }
    });
    let date = before
        .iter()
        .rev()
        .find(|t| t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse().ok());
    Some(FileKind {
        file_type,
        mode,
        date,
        chunk: chunk.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_type_mode_date_and_chunk() {
        let kind = classify("ENT_Grand-Est_Complet_20260901_Eleve_0003.xml").unwrap();
        assert_eq!(
            kind,
            FileKind {
                file_type: FileType::Eleve,
                mode: Some(Mode::Complet),
                date: Some(20260901),
                chunk: 3
            }
        );
        let delta = classify("/data/aaf/ENT_Delta_20260915_PersRelEleve_0000.xml").unwrap();
        assert_eq!(
            (delta.file_type, delta.mode),
            (FileType::PersRelEleve, Some(Mode::Delta))
        );
        assert_eq!(
            classify("ENT_MatEducNat_0001.xml").unwrap().file_type,
            FileType::MatiereEducNat
        );
        assert_eq!(
            classify("ENT2DEtabEducNat_0000.xml").unwrap().file_type,
            FileType::EtabEducNat
        );
        assert_eq!(classify("x_MefEducNat_0000.xml").unwrap().mode, None);
    }

    #[test]
    fn other_files_are_not_aaf() {
        for name in [
            "ENT_Complet_Eleve.xml",
            "ENT_Complet_20260901_Eleve_0000.csv",
            "ENT_Complet_20260901_Eleves_0000.xml",
            "ENT_Complet_20260901_XEleve_0000.xml",
            "ENT_Complet_20260901_Eleve_00a0.xml",
            "README.md",
        ] {
            assert_eq!(classify(name), None, "{name}");
        }
    }

    #[test]
    fn import_order_is_date_then_type_then_chunk() {
        let mut names = vec![
            "ENT_X_Delta_20260915_Eleve_0000.xml",
            "ENT_X_Complet_20260901_PersEducNat_0000.xml",
            "ENT_X_Complet_20260901_Eleve_0001.xml",
            "ENT_X_Complet_20260901_Eleve_0000.xml",
            "ENT_X_Complet_20260901_MefEducNat_0000.xml",
            "ENT_X_Complet_20260901_PersRelEleve_0000.xml",
            "ENT_X_Complet_20260901_MatiereEducNat_0000.xml",
            "ENT_X_Complet_20260901_EtabEducNat_0000.xml",
        ];
        names.sort_by_key(|n| classify(n).map(|k| k.order()));
        assert_eq!(
            names,
            [
                "ENT_X_Complet_20260901_EtabEducNat_0000.xml",
                "ENT_X_Complet_20260901_MatiereEducNat_0000.xml",
                "ENT_X_Complet_20260901_MefEducNat_0000.xml",
                "ENT_X_Complet_20260901_Eleve_0000.xml",
                "ENT_X_Complet_20260901_Eleve_0001.xml",
                "ENT_X_Complet_20260901_PersRelEleve_0000.xml",
                "ENT_X_Complet_20260901_PersEducNat_0000.xml",
                "ENT_X_Delta_20260915_Eleve_0000.xml",
            ]
        );
    }
}
