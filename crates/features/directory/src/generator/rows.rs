//! Row buffers of a generation run, written to the database in foreign-key order.

use db::{Cell, Tx};

/// A table name, its columns, and the rows waiting for it.
type Table<'a> = (&'static str, &'static [&'static str], &'a mut Vec<Vec<Cell>>);

#[derive(Default)]
pub struct Rows {
    pub users: Vec<Vec<Cell>>,
    pub memberships: Vec<Vec<Cell>>,
    pub classes: Vec<Vec<Cell>>,
    pub class_students: Vec<Vec<Cell>>,
    pub teachings: Vec<Vec<Cell>>,
    pub head_teachers: Vec<Vec<Cell>>,
    pub guardianships: Vec<Vec<Cell>>,
    pub region_admins: Vec<Vec<Cell>>,
    pub written: u64,
}

impl Rows {
    pub fn pending(&self) -> usize {
        self.users.len()
            + self.memberships.len()
            + self.classes.len()
            + self.class_students.len()
            + self.teachings.len()
            + self.head_teachers.len()
            + self.guardianships.len()
            + self.region_admins.len()
    }

    /// Writes everything buffered, parents before children.
    pub async fn flush(&mut self, tx: &mut Tx) -> db::Result<()> {
        let tables: [Table<'_>; 8] = [
            (
                "users",
                &[
                    "id",
                    "login",
                    "first_name",
                    "last_name",
                    "birth_date",
                    "email",
                    "jointure",
                    "created_at",
                ],
                &mut self.users,
            ),
            (
                "classes",
                &["school_id", "id", "kind", "code", "name", "mef_code"],
                &mut self.classes,
            ),
            (
                "memberships",
                &["school_id", "user_id", "profile", "function"],
                &mut self.memberships,
            ),
            (
                "class_students",
                &["school_id", "class_id", "student_id"],
                &mut self.class_students,
            ),
            (
                "teachings",
                &["school_id", "class_id", "teacher_id", "subject_code"],
                &mut self.teachings,
            ),
            (
                "head_teachers",
                &["school_id", "class_id", "teacher_id"],
                &mut self.head_teachers,
            ),
            (
                "guardianships",
                &["student_id", "guardian_id", "relation", "legal"],
                &mut self.guardianships,
            ),
            (
                "region_admins",
                &["user_id", "region_id"],
                &mut self.region_admins,
            ),
        ];
        for (table, columns, rows) in tables {
            tx.bulk_insert(table, columns, rows).await?;
            self.written += rows.len() as u64;
            rows.clear();
        }
        Ok(())
    }
}
