use super::*;

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

/// Wednesday 2 September 2026.
fn today() -> Day {
    d("2026-09-02")
}

fn exclusion(kind: &str, days: &str) -> SanctionForm {
    SanctionForm {
        kind: kind.into(),
        reason: "Violence envers un camarade".into(),
        decided_day: "2026-09-02".into(),
        start_day: "2026-09-03".into(),
        days: days.into(),
        ..SanctionForm::default()
    }
}

#[test]
fn a_temporary_exclusion_lasts_eight_school_days_at_most() {
    for kind in ["exclusion_classe", "exclusion_etablissement"] {
        let ok = exclusion(kind, "8").validate(today()).unwrap();
        // Thursday 3 September + 8 school days (weekends skipped) ends on Monday 14 September.
        assert_eq!(
            ok.exclusion,
            Some(Exclusion {
                start: d("2026-09-03"),
                days: 8,
                end: d("2026-09-14"),
            })
        );
        let err = exclusion(kind, "9").validate(today()).unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            ("dis-field-days", "dis-problem-max-days")
        );
        assert_eq!(err.args, vec![("max", "8".to_string())]);
        let err = exclusion(kind, "0").validate(today()).unwrap_err();
        assert_eq!(err.field, "dis-field-days");
        let err = exclusion(kind, "huit").validate(today()).unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            ("dis-field-days", "dis-problem-bad-number")
        );
        let mut no_start = exclusion(kind, "2");
        no_start.start_day.clear();
        assert_eq!(
            no_start.validate(today()).unwrap_err().field,
            "dis-field-start-day"
        );
    }
}

#[test]
fn a_responsabilisation_lasts_twenty_hours_at_most() {
    let mut f = exclusion("responsabilisation", "");
    f.hours = "20".into();
    let ok = f.validate(today()).unwrap();
    assert_eq!((ok.hours, ok.exclusion), (Some(20), None));
    f.hours = "21".into();
    assert_eq!(f.validate(today()).unwrap_err().field, "dis-field-hours");
}

#[test]
fn only_a_conseil_de_discipline_expels_for_good() {
    let f = exclusion("exclusion_definitive", "");
    let err = f.validate(today()).unwrap_err();
    assert_eq!(
        (err.field, err.problem),
        ("dis-field-council-day", "dis-problem-council-only")
    );
    let mut f = f;
    f.council_day = "2026-09-01".into();
    let ok = f.validate(today()).unwrap();
    assert_eq!(ok.council_day, Some(d("2026-09-01")));
    assert_eq!(ok.start_day, Some(d("2026-09-03")));
    f.council_day = "2026-09-10".into();
    assert_eq!(f.validate(today()).unwrap_err().problem, "dis-problem-future");
}

#[test]
fn warnings_and_reprimands_carry_no_sursis_and_partial_sursis_is_for_exclusions() {
    let mut f = exclusion("avertissement", "");
    f.sursis = "total".into();
    assert_eq!(f.validate(today()).unwrap_err().problem, "dis-problem-no-sursis");
    f.sursis = "aucun".into();
    let ok = f.validate(today()).unwrap();
    assert_eq!((ok.sursis, ok.start_day, ok.exclusion), (Sursis::No, None, None));

    let mut f = exclusion("exclusion_etablissement", "4");
    f.sursis = "partiel".into();
    f.sursis_days = "2".into();
    assert_eq!(f.validate(today()).unwrap().sursis_days, Some(2));
    f.sursis_days = "4".into();
    let err = f.validate(today()).unwrap_err();
    assert_eq!(
        (err.field, err.problem),
        ("dis-field-sursis-days", "dis-problem-sursis-days")
    );
    let mut f = exclusion("responsabilisation", "");
    f.hours = "5".into();
    f.sursis = "partiel".into();
    assert_eq!(
        f.validate(today()).unwrap_err().problem,
        "dis-problem-partial-exclusions"
    );
}

#[test]
fn a_sanction_needs_its_kind_reason_and_a_past_decision_day() {
    let mut f = exclusion("", "");
    assert_eq!(f.validate(today()).unwrap_err().field, "dis-field-sanction");
    f.kind = "blame".into();
    f.reason = "  ".into();
    assert_eq!(f.validate(today()).unwrap_err().field, "dis-field-reason");
    f.reason = "Insolence".into();
    f.decided_day = "2026-09-03".into();
    assert_eq!(f.validate(today()).unwrap_err().problem, "dis-problem-future");
    f.decided_day = "02/09/2026".into();
    assert_eq!(f.validate(today()).unwrap_err().problem, "dis-problem-bad-day");
}

#[test]
fn a_retenue_has_its_day_time_and_place() {
    let mut f = PunishmentForm {
        kind: "retenue".into(),
        reason: "Bavardages répétés".into(),
        ..PunishmentForm::default()
    };
    assert_eq!(f.validate().unwrap_err().field, "dis-field-detention-day");
    f.detention_day = "2026-09-09".into();
    f.detention_time = "25:00".into();
    assert_eq!(f.validate().unwrap_err().field, "dis-field-detention-time");
    f.detention_time = "13:30".into();
    assert_eq!(f.validate().unwrap_err().field, "dis-field-detention-place");
    f.detention_place = "Salle 12".into();
    let ok = f.validate().unwrap();
    assert_eq!(
        ok.detention,
        Some(Detention {
            day: d("2026-09-09"),
            minute: 13 * 60 + 30,
            place: "Salle 12".into(),
        })
    );
    // Other punishments ignore the retenue's fields.
    f.kind = "devoir".into();
    assert_eq!(f.validate().unwrap().detention, None);
    f.reason.clear();
    assert_eq!(f.validate().unwrap_err().field, "dis-field-reason");
}

#[test]
fn an_incident_has_happened() {
    let mut f = IncidentForm {
        day: "2026-09-02".into(),
        time: "10:15".into(),
        place: "Cour".into(),
        type_id: kernel::new_id().to_string(),
        description: "Bousculade".into(),
    };
    assert_eq!(f.validate(today()).unwrap().minute, 615);
    f.day = "2026-09-03".into();
    assert_eq!(f.validate(today()).unwrap_err().problem, "dis-problem-future");
    f.day = "2026-09-01".into();
    f.type_id.clear();
    assert_eq!(f.validate(today()).unwrap_err().field, "dis-field-type");
    f.type_id = kernel::new_id().to_string();
    f.description = "x".repeat(MAX_TEXT + 1);
    assert_eq!(f.validate(today()).unwrap_err().problem, "dis-problem-too-long");
}

#[test]
fn who_may_do_what() {
    use kernel::Profile::*;
    for p in [Teacher, SchoolLife, Direction] {
        assert!(may_punish(p));
    }
    for p in [Student, Guardian, Documentalist, AdminStaff, Guest] {
        assert!(!may_punish(p));
    }
    assert!(may_decide_sanction(Direction));
    assert!(!may_decide_sanction(SchoolLife) && !may_decide_sanction(Teacher));
    assert!(sees_whole_school(SchoolLife) && !sees_whole_school(Teacher));
    assert!(FamilyRules::default().show_punishments && !FamilyRules::default().show_incidents);
}

#[test]
fn days_times_and_the_school_year() {
    assert_eq!(parse_time("08:05"), Some(485));
    assert_eq!(parse_time("8:05:00"), Some(485));
    assert_eq!(parse_time("24:00"), None);
    assert_eq!(time_fr(485), "08:05");
    assert_eq!(d("2026-09-02").school_year_start(), d("2026-08-01"));
    assert_eq!(d("2027-06-30").school_year_start(), d("2026-08-01"));
    // Saturday 5 September: a one-day exclusion from then is Monday 7.
    assert_eq!(d("2026-09-05").after_school_days(1), d("2026-09-07"));
    for k in SanctionKind::ALL {
        assert_eq!(SanctionKind::parse(k.code()), Some(*k));
    }
    assert_eq!(Role::Witness.key(), "dis-role-temoin");
}
