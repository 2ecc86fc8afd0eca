//! The rules of messaging, without I/O: who may write to whom in a school (the communication rules,
//! "sphères"), which groups a sender may address, how much a profile may send, and when a send looks
//! like abuse and is held for moderation.

use std::collections::HashSet;

use kernel::Profile;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The school's communication switches. The defaults are the safe ones: a student writes to their
/// teachers, their class and the school office; a parent to their children's teachers and the office;
/// nobody outside the school, and never a student to an adult who is not staff of their school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    /// Students write to the students of their classes and groups.
    pub students_to_classmates: bool,
    /// Students write to the teachers of their classes and groups.
    pub students_to_teachers: bool,
    /// Students write to the school office (vie scolaire, direction, documentalists, administration).
    pub students_to_office: bool,
    /// Parents write to their children's teachers.
    pub parents_to_teachers: bool,
    /// Parents write to the school office.
    pub parents_to_office: bool,
    /// Parents write to the other parents of their children's classes (parent representatives).
    pub parents_to_parents: bool,
    /// Teachers write to every student and parent of the school, not only those they teach.
    pub teachers_to_whole_school: bool,
    /// Staff senders may ask who read their message.
    pub read_tracking: bool,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            students_to_classmates: true,
            students_to_teachers: true,
            students_to_office: true,
            parents_to_teachers: true,
            parents_to_office: true,
            parents_to_parents: false,
            teachers_to_whole_school: false,
            read_tracking: true,
        }
    }
}

impl Rules {
    /// The switches as (name, value) pairs, in the order the settings page shows them.
    pub fn switches(&self) -> [(&'static str, bool); 8] {
        [
            ("students_to_classmates", self.students_to_classmates),
            ("students_to_teachers", self.students_to_teachers),
            ("students_to_office", self.students_to_office),
            ("parents_to_teachers", self.parents_to_teachers),
            ("parents_to_office", self.parents_to_office),
            ("parents_to_parents", self.parents_to_parents),
            ("teachers_to_whole_school", self.teachers_to_whole_school),
            ("read_tracking", self.read_tracking),
        ]
    }

    /// The rules with the switches named in `on` set and every other one cleared (a settings form).
    pub fn from_switches(on: &HashSet<String>) -> Rules {
        let has = |k: &str| on.contains(k);
        Rules {
            students_to_classmates: has("students_to_classmates"),
            students_to_teachers: has("students_to_teachers"),
            students_to_office: has("students_to_office"),
            parents_to_teachers: has("parents_to_teachers"),
            parents_to_office: has("parents_to_office"),
            parents_to_parents: has("parents_to_parents"),
            teachers_to_whole_school: has("teachers_to_whole_school"),
            read_tracking: has("read_tracking"),
        }
    }
}

/// The office: the profiles that write to anyone of their school and moderate its messages.
pub fn is_office(p: Profile) -> bool {
    matches!(
        p,
        Profile::SchoolLife | Profile::Direction | Profile::Documentalist | Profile::AdminStaff
    )
}

/// Who moderates, sets the rules and pulls the school's kill switch.
pub fn is_moderator(p: Profile) -> bool {
    matches!(p, Profile::Direction | Profile::SchoolLife)
}

/// What the directory says of a person in one school, as far as the rules care.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub user: Uuid,
    /// Their profiles in this school (empty: not of this school).
    pub profiles: Vec<Profile>,
    /// The classes and groups they are in (students).
    pub classes: HashSet<Uuid>,
    /// The classes and groups they teach (teachers).
    pub teaches: HashSet<Uuid>,
    /// Their children in this school (parents).
    pub children: HashSet<Uuid>,
    /// Their children's classes and groups in this school (parents).
    pub children_classes: HashSet<Uuid>,
    /// Their legal guardians (students).
    pub guardians: HashSet<Uuid>,
}

impl Facts {
    fn has(&self, p: Profile) -> bool {
        self.profiles.contains(&p)
    }
    fn office(&self) -> bool {
        self.profiles.iter().any(|p| is_office(*p))
    }
    fn staff(&self) -> bool {
        self.office() || self.has(Profile::Teacher)
    }
}

/// Whether `from`, acting as `profile` in the school, may write to `to`. The one rule every send,
/// reply and group expansion goes through.
pub fn may_write(profile: Profile, from: &Facts, to: &Facts, rules: &Rules) -> bool {
    if from.user == to.user || to.profiles.is_empty() || !from.has(profile) {
        return false;
    }
    let meets = |a: &HashSet<Uuid>, b: &HashSet<Uuid>| !a.is_disjoint(b);
    match profile {
        Profile::Student => {
            (to.has(Profile::Student) && rules.students_to_classmates && meets(&from.classes, &to.classes))
                || (to.has(Profile::Teacher)
                    && rules.students_to_teachers
                    && meets(&from.classes, &to.teaches))
                || (to.office() && rules.students_to_office)
                || (to.has(Profile::Guardian) && from.guardians.contains(&to.user))
        }
        Profile::Guardian => {
            (to.has(Profile::Teacher)
                && rules.parents_to_teachers
                && meets(&from.children_classes, &to.teaches))
                || (to.office() && rules.parents_to_office)
                || (to.has(Profile::Student) && from.children.contains(&to.user))
                || (to.has(Profile::Guardian)
                    && rules.parents_to_parents
                    && meets(&from.children_classes, &to.children_classes))
        }
        Profile::Teacher => {
            to.staff()
                || rules.teachers_to_whole_school
                || (to.has(Profile::Student) && meets(&from.teaches, &to.classes))
                || (to.has(Profile::Guardian) && meets(&from.teaches, &to.children_classes))
        }
        p if is_office(p) => true,
        // Local-authority staff and guests reach the school's office only.
        _ => to.office(),
    }
}

/// A group of recipients, expanded when the message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    ClassStudents(Uuid),
    ClassParents(Uuid),
    ClassTeachers(Uuid),
    /// All teachers of the school.
    Teachers,
    /// All staff of the school: teachers and office.
    Staff,
}

impl Group {
    /// The group as a form value: "eleves:<class>", "parents:<class>", "profs:<class>", "enseignants",
    /// "personnels".
    pub fn code(&self) -> String {
        match self {
            Group::ClassStudents(c) => format!("eleves:{c}"),
            Group::ClassParents(c) => format!("parents:{c}"),
            Group::ClassTeachers(c) => format!("profs:{c}"),
            Group::Teachers => "enseignants".into(),
            Group::Staff => "personnels".into(),
        }
    }

    pub fn parse(s: &str) -> Option<Group> {
        match s.split_once(':') {
            Some(("eleves", c)) => c.parse().ok().map(Group::ClassStudents),
            Some(("parents", c)) => c.parse().ok().map(Group::ClassParents),
            Some(("profs", c)) => c.parse().ok().map(Group::ClassTeachers),
            None if s == "enseignants" => Some(Group::Teachers),
            None if s == "personnels" => Some(Group::Staff),
            _ => None,
        }
    }

    /// The class or group it is made of, for the class groups.
    pub fn class(&self) -> Option<Uuid> {
        match self {
            Group::ClassStudents(c) | Group::ClassParents(c) | Group::ClassTeachers(c) => Some(*c),
            Group::Teachers | Group::Staff => None,
        }
    }
}

/// Whether `from`, acting as `profile`, may address `group` as a whole. Its members are each checked
/// with [`may_write`] as well when it is expanded.
pub fn may_use_group(profile: Profile, from: &Facts, group: Group) -> bool {
    if !from.has(profile) {
        return false;
    }
    match profile {
        p if is_office(p) => true,
        Profile::Teacher => group.class().is_none_or(|c| from.teaches.contains(&c)),
        // Families address their class's teachers as a group; nothing larger.
        Profile::Student => matches!(group, Group::ClassTeachers(c) if from.classes.contains(&c)),
        Profile::Guardian => {
            matches!(group, Group::ClassTeachers(c) if from.children_classes.contains(&c))
        }
        _ => false,
    }
}

/// How much one account may send: messages per hour and recipients per message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_hour: i64,
    pub max_recipients: usize,
}

/// The sending limits of a profile: families write to a few people, a teacher to a few classes and
/// their parents, the office to the whole school.
pub fn limits(profile: Profile) -> Limits {
    match profile {
        Profile::Student => Limits {
            per_hour: 20,
            max_recipients: 10,
        },
        Profile::Guardian => Limits {
            per_hour: 20,
            max_recipients: 10,
        },
        Profile::Teacher => Limits {
            per_hour: 60,
            max_recipients: 400,
        },
        p if is_office(p) => Limits {
            per_hour: 200,
            max_recipients: 5_000,
        },
        _ => Limits {
            per_hour: 20,
            max_recipients: 20,
        },
    }
}

/// From this many recipients a send counts as a mass send.
pub const MASS_SEND: usize = 20;
/// A device first seen less than this long ago (ms) is new.
pub const NEW_DEVICE_MS: i64 = 24 * 3_600_000;
/// The window (ms) in which identical messages are counted.
pub const BURST_WINDOW_MS: i64 = 10 * 60_000;
/// The same text sent this many times by one account within the window is a burst…
pub const BURST_SAME_SENDER: i64 = 3;
/// …and so is the same text from this many different accounts (hacked accounts sending one threat).
pub const BURST_ACCOUNTS: i64 = 3;

/// What the anomaly checks know of a send.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals {
    pub recipients: usize,
    /// When the sending device was first seen for this account (ms), if known and if the session did not
    /// prove the second factor.
    pub device_first_seen: Option<i64>,
    pub now: i64,
    /// Earlier messages with the same text from the same account within the window.
    pub same_text_by_sender: i64,
    /// Other accounts that sent the same text within the window.
    pub same_text_other_accounts: i64,
}

/// Why a message is held for moderation instead of delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    NewDeviceMassSend,
    RepeatedText,
    SameTextManyAccounts,
}

impl Hold {
    pub fn code(self) -> &'static str {
        match self {
            Hold::NewDeviceMassSend => "new_device_mass_send",
            Hold::RepeatedText => "repeated_text",
            Hold::SameTextManyAccounts => "same_text_many_accounts",
        }
    }
}

/// Whether a send looks like abuse, and why. Short messages ("Merci", "Bien reçu") repeat innocently,
/// so the text checks apply from 40 characters.
pub fn anomaly(s: &Signals, text_len: usize) -> Option<Hold> {
    let new_device = s
        .device_first_seen
        .is_some_and(|first| s.now - first < NEW_DEVICE_MS);
    if new_device && s.recipients >= MASS_SEND {
        return Some(Hold::NewDeviceMassSend);
    }
    if text_len >= 40 {
        if s.same_text_other_accounts + 1 >= BURST_ACCOUNTS {
            return Some(Hold::SameTextManyAccounts);
        }
        if s.same_text_by_sender + 1 >= BURST_SAME_SENDER {
            return Some(Hold::RepeatedText);
        }
    }
    None
}

/// The text's fingerprint for the burst checks: case, spacing and punctuation do not hide a copy.
pub fn text_fingerprint(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let folded: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Sha256::digest(folded.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The largest subject and body accepted (characters), announced to the apps too.
pub const MAX_SUBJECT: usize = 200;
pub const MAX_BODY: usize = 20_000;
/// Attachments: per file and per message.
pub const MAX_ATTACHMENT: u64 = 10 * 1024 * 1024;
pub const MAX_ATTACHMENTS_TOTAL: u64 = 20 * 1024 * 1024;
pub const MAX_ATTACHMENT_COUNT: usize = 5;

/// The attachment types accepted (as [`blob::sniff`] reads them): documents and pictures, no
/// executables, archives or web pages.
pub fn attachment_allowed(content_type: &str) -> bool {
    content_type == "application/pdf"
        || content_type.starts_with("image/")
        || content_type.starts_with("audio/")
        || content_type.starts_with("text/plain")
        || content_type.starts_with("application/vnd.oasis.opendocument.")
        || content_type.starts_with("application/vnd.openxmlformats-officedocument.")
}

#[cfg(test)]
mod tests;
