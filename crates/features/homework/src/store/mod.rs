//! Cahier de textes and homework SQL, one function per question, every query filtered on `school_id`.
//! The directory's tables are read here (teachings, class_students, guardianships), never written.

mod directory;
mod entries;
mod homework;
mod tables;
mod work;

pub use directory::*;
pub use entries::*;
pub use homework::*;
pub use work::*;
