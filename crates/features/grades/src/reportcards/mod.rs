//! Report cards (bulletins): per class and period, the subject teachers' appraisals, the head teacher's
//! general appraisal and the class council's decisions; the PDF report cards generated from them and
//! the averages (kept as versions in the blob store), published to students and their guardians.

mod demo;
mod issue;
pub mod model;
mod pages;
mod print;
pub mod service;
mod sources;
pub mod store;

pub use demo::seed_demo;
pub use issue::PUBLISHED;
pub use pages::routes;
pub use service::ReportCards;
