//! Discipline SQL, one function per question, every query filtered on `school_id`. People's names come
//! from the directory's `users` table, joined next to this module's rows.

mod incidents;
mod records;
mod settings;

pub use incidents::*;
pub use records::*;
pub use settings::*;

use directory::store::Users;
use sea_query::{Alias, Expr, ExprTrait, IntoColumnRef, JoinType, SelectStatement};

/// `Iden`s of the tables this module owns (the directory's are `directory::store`'s).
pub(crate) mod tables {
    use sea_query::Iden;

    #[derive(Iden, Clone, Copy)]
    pub(crate) enum DisciplineSettings {
        Table,
        SchoolId,
        ShowPunishments,
        ShowIncidents,
        UpdatedBy,
        UpdatedAt,
    }

    #[derive(Iden, Clone, Copy)]
    pub(crate) enum DisciplineIncidentTypes {
        Table,
        SchoolId,
        Id,
        Code,
        Label,
        Position,
        Active,
    }

    #[derive(Iden, Clone, Copy)]
    pub(crate) enum DisciplineIncidents {
        Table,
        SchoolId,
        Id,
        Day,
        Minute,
        Place,
        TypeId,
        Description,
        ReportedBy,
        ReportedAt,
    }

    #[derive(Iden, Clone, Copy)]
    pub(crate) enum DisciplineIncidentPeople {
        Table,
        SchoolId,
        IncidentId,
        Id,
        StudentId,
        ClassId,
        ClassName,
        AdultName,
        Role,
    }

    #[derive(Iden, Clone, Copy)]
    pub(crate) enum DisciplinePunishments {
        Table,
        SchoolId,
        Id,
        StudentId,
        ClassId,
        ClassName,
        Kind,
        IncidentId,
        Reason,
        Work,
        Day,
        DetentionDay,
        DetentionMinute,
        DetentionPlace,
        Status,
        GivenBy,
        GivenAt,
        StatusBy,
        StatusAt,
    }

    #[derive(Iden, Clone, Copy)]
    pub(crate) enum DisciplineSanctions {
        Table,
        SchoolId,
        Id,
        StudentId,
        ClassId,
        ClassName,
        Kind,
        IncidentId,
        Reason,
        DecidedDay,
        CouncilDay,
        StartDay,
        EndDay,
        Days,
        Hours,
        Sursis,
        SursisDays,
        DecidedBy,
        DecidedAt,
    }

    #[derive(Iden, Clone, Copy)]
    pub(crate) enum DisciplineJournal {
        Table,
        SchoolId,
        Id,
        At,
        ActorId,
        Action,
        RecordId,
        StudentId,
        Detail,
    }
}

/// Adds `<prefix>_first` and `<prefix>_last`, the names of the person whose id is `id_column`, joined
/// as `users` aliased `prefix` (left join when the id may be missing).
fn name_person(q: &mut SelectStatement, prefix: &str, id_column: impl IntoColumnRef, optional: bool) {
    let alias = Alias::new(prefix);
    q.expr_as(
        Expr::col((alias.clone(), Users::FirstName)),
        Alias::new(format!("{prefix}_first")),
    )
    .expr_as(
        Expr::col((alias.clone(), Users::LastName)),
        Alias::new(format!("{prefix}_last")),
    )
    .join_as(
        if optional {
            JoinType::LeftJoin
        } else {
            JoinType::InnerJoin
        },
        Users::Table,
        alias.clone(),
        Expr::col((alias, Users::Id)).equals(id_column),
    );
}
