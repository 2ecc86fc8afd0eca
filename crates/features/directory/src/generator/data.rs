//! TEMPORARY stand-in for type-checking; replaced by the real reference data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    College,
    Lycee,
    LyceeAgricole,
}
pub const YOUNG_GIVEN_NAMES: &[(&str, bool)] = &[("Emma", true), ("Léo", false)];
pub const ADULT_GIVEN_NAMES: &[(&str, bool)] = &[("Nathalie", true), ("Sébastien", false)];
pub const SURNAMES: &[&str] = &["Martin", "Muller", "Schmitt", "Da Silva"];
pub struct AcademyData {
    pub code: &'static str,
    pub name: &'static str,
    pub departments: &'static [DepartmentData],
}
pub struct DepartmentData {
    pub number: &'static str,
    pub name: &'static str,
    pub cities: &'static [&'static str],
}
pub const ACADEMIES: &[AcademyData] = &[
    AcademyData {
        code: "REIMS",
        name: "Reims",
        departments: &[
            DepartmentData {
                number: "008",
                name: "Ardennes",
                cities: &["Charleville-Mézières"],
            },
            DepartmentData {
                number: "010",
                name: "Aube",
                cities: &["Troyes"],
            },
            DepartmentData {
                number: "051",
                name: "Marne",
                cities: &["Reims"],
            },
            DepartmentData {
                number: "052",
                name: "Haute-Marne",
                cities: &["Chaumont"],
            },
        ],
    },
    AcademyData {
        code: "NANCY-METZ",
        name: "Nancy-Metz",
        departments: &[
            DepartmentData {
                number: "054",
                name: "Meurthe-et-Moselle",
                cities: &["Nancy"],
            },
            DepartmentData {
                number: "055",
                name: "Meuse",
                cities: &["Verdun"],
            },
            DepartmentData {
                number: "057",
                name: "Moselle",
                cities: &["Metz"],
            },
            DepartmentData {
                number: "088",
                name: "Vosges",
                cities: &["Épinal"],
            },
        ],
    },
    AcademyData {
        code: "STRASBOURG",
        name: "Strasbourg",
        departments: &[
            DepartmentData {
                number: "067",
                name: "Bas-Rhin",
                cities: &["Strasbourg"],
            },
            DepartmentData {
                number: "068",
                name: "Haut-Rhin",
                cities: &["Mulhouse"],
            },
        ],
    },
];
pub const NAMESAKES: &[&str] = &["Jean Moulin", "Marie Curie"];
pub struct SubjectData {
    pub code: &'static str,
    pub label: &'static str,
    pub short: &'static str,
}
pub const SUBJECTS: &[SubjectData] = &[
    SubjectData {
        code: "020700",
        label: "FRANCAIS",
        short: "Français",
    },
    SubjectData {
        code: "061300",
        label: "PHYSIQUE-CHIMIE",
        short: "Physique-chimie",
    },
    SubjectData {
        code: "020500",
        label: "LATIN",
        short: "Latin",
    },
];
pub struct MefData {
    pub code: &'static str,
    pub label: &'static str,
    pub class_prefix: &'static str,
    pub level: Level,
    pub age: u8,
    pub subjects: &'static [&'static str],
}
pub const MEFS: &[MefData] = &[
    MefData {
        code: "10010012110",
        label: "6EME",
        class_prefix: "6",
        level: Level::College,
        age: 11,
        subjects: &["020700", "061300"],
    },
    MefData {
        code: "10310019110",
        label: "3EME",
        class_prefix: "3",
        level: Level::College,
        age: 14,
        subjects: &["020700", "061300"],
    },
    MefData {
        code: "20010018110",
        label: "2NDE GT",
        class_prefix: "2",
        level: Level::Lycee,
        age: 15,
        subjects: &["020700", "061300"],
    },
    MefData {
        code: "27610001110",
        label: "2NDE PRO AGRI",
        class_prefix: "2",
        level: Level::LyceeAgricole,
        age: 15,
        subjects: &["020700"],
    },
];
pub struct OptionData {
    pub subject: &'static str,
    pub percent: u8,
    pub level: Level,
    pub from_age: u8,
}
pub const OPTIONS: &[OptionData] = &[OptionData {
    subject: "020500",
    percent: 20,
    level: Level::College,
    from_age: 12,
}];
pub const FUNCTIONS: &[(&str, &str)] = &[("DIR", "DIRECTION")];
pub const RELATIONS: &[&str] = &["MERE", "PERE", "TUTEUR", "AUTRE MEMBRE DE LA FAMILLE"];
