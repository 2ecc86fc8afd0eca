//! The communication rules and the abuse checks, case by case.

use std::collections::HashSet;

use kernel::Profile;
use uuid::Uuid;

use super::*;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn person(n: u128, p: Profile) -> Facts {
    Facts {
        user: id(n),
        profiles: vec![p],
        ..Facts::default()
    }
}

const CLASS_A: u128 = 1000;
const CLASS_B: u128 = 2000;

fn student(n: u128, class: u128) -> Facts {
    let mut f = person(n, Profile::Student);
    f.classes.insert(id(class));
    f
}

fn teacher(n: u128, classes: &[u128]) -> Facts {
    let mut f = person(n, Profile::Teacher);
    f.teaches = classes.iter().map(|c| id(*c)).collect();
    f
}

fn parent(n: u128, child: &Facts) -> Facts {
    let mut f = person(n, Profile::Guardian);
    f.children.insert(child.user);
    f.children_classes = child.classes.clone();
    f
}

#[test]
fn students_write_to_their_teachers_class_and_office_only() {
    let r = Rules::default();
    let mut alice = student(1, CLASS_A);
    let bob = student(2, CLASS_A);
    let carl = student(3, CLASS_B);
    let math = teacher(10, &[CLASS_A]);
    let other_teacher = teacher(11, &[CLASS_B]);
    let cpe = person(20, Profile::SchoolLife);
    let mum = parent(30, &alice);
    alice.guardians.insert(mum.user);
    let bob_dad = parent(31, &bob);
    let s = Profile::Student;
    assert!(may_write(s, &alice, &bob, &r), "a classmate");
    assert!(!may_write(s, &alice, &carl, &r), "another class");
    assert!(may_write(s, &alice, &math, &r), "a teacher of the class");
    assert!(
        !may_write(s, &alice, &other_teacher, &r),
        "a teacher who does not teach them"
    );
    assert!(may_write(s, &alice, &cpe, &r), "the office");
    assert!(may_write(s, &alice, &mum, &r), "their own parent");
    assert!(
        !may_write(s, &alice, &bob_dad, &r),
        "never another adult outside the staff"
    );
    let outsider = Facts {
        user: id(99),
        ..Facts::default()
    };
    assert!(!may_write(s, &alice, &outsider, &r), "nobody outside the school");
    assert!(!may_write(s, &alice, &alice, &r), "not oneself");
}

#[test]
fn the_school_switches_change_what_families_may_do() {
    let alice = student(1, CLASS_A);
    let bob = student(2, CLASS_A);
    let math = teacher(10, &[CLASS_A]);
    let cpe = person(20, Profile::SchoolLife);
    let mum = parent(30, &alice);
    let bob_dad = parent(31, &bob);
    let strict = Rules {
        students_to_classmates: false,
        students_to_teachers: false,
        students_to_office: false,
        parents_to_teachers: false,
        parents_to_office: false,
        ..Rules::default()
    };
    assert!(!may_write(Profile::Student, &alice, &bob, &strict));
    assert!(!may_write(Profile::Student, &alice, &math, &strict));
    assert!(!may_write(Profile::Student, &alice, &cpe, &strict));
    assert!(!may_write(Profile::Guardian, &mum, &math, &strict));
    assert!(!may_write(Profile::Guardian, &mum, &cpe, &strict));
    let d = Rules::default();
    assert!(may_write(Profile::Guardian, &mum, &math, &d));
    assert!(may_write(Profile::Guardian, &mum, &cpe, &d));
    assert!(may_write(Profile::Guardian, &mum, &alice, &d), "their own child");
    assert!(!may_write(Profile::Guardian, &mum, &bob, &d), "not another child");
    assert!(
        !may_write(Profile::Guardian, &mum, &bob_dad, &d),
        "parents to parents is off by default"
    );
    let open = Rules {
        parents_to_parents: true,
        ..d
    };
    assert!(may_write(Profile::Guardian, &mum, &bob_dad, &open));
}

#[test]
fn teachers_reach_their_students_their_parents_and_the_staff() {
    let r = Rules::default();
    let alice = student(1, CLASS_A);
    let carl = student(3, CLASS_B);
    let math = teacher(10, &[CLASS_A]);
    let other = teacher(11, &[CLASS_B]);
    let mum = parent(30, &alice);
    let carl_mum = parent(32, &carl);
    let t = Profile::Teacher;
    assert!(may_write(t, &math, &alice, &r));
    assert!(may_write(t, &math, &mum, &r));
    assert!(may_write(t, &math, &other, &r), "a colleague");
    assert!(!may_write(t, &math, &carl, &r), "a student they do not teach");
    assert!(!may_write(t, &math, &carl_mum, &r));
    let whole = Rules {
        teachers_to_whole_school: true,
        ..r
    };
    assert!(may_write(t, &math, &carl_mum, &whole));
    // Acting as a profile one does not hold gives nothing.
    assert!(!may_write(Profile::Direction, &math, &carl, &r));
    let head = person(40, Profile::Direction);
    assert!(
        may_write(Profile::Direction, &head, &carl_mum, &r),
        "the office writes to everyone"
    );
}

#[test]
fn groups_follow_what_the_sender_teaches_or_belongs_to() {
    let alice = student(1, CLASS_A);
    let math = teacher(10, &[CLASS_A]);
    let mum = parent(30, &alice);
    let head = person(40, Profile::Direction);
    let a = id(CLASS_A);
    let b = id(CLASS_B);
    assert!(may_use_group(Profile::Teacher, &math, Group::ClassParents(a)));
    assert!(may_use_group(Profile::Teacher, &math, Group::ClassStudents(a)));
    assert!(!may_use_group(Profile::Teacher, &math, Group::ClassParents(b)));
    assert!(may_use_group(Profile::Teacher, &math, Group::Staff));
    assert!(may_use_group(Profile::Student, &alice, Group::ClassTeachers(a)));
    assert!(
        !may_use_group(Profile::Student, &alice, Group::ClassStudents(a)),
        "no mass mail by students"
    );
    assert!(!may_use_group(Profile::Guardian, &mum, Group::ClassParents(a)));
    assert!(may_use_group(Profile::Guardian, &mum, Group::ClassTeachers(a)));
    assert!(may_use_group(Profile::Direction, &head, Group::ClassParents(b)));
    for g in [
        Group::ClassStudents(a),
        Group::ClassParents(b),
        Group::ClassTeachers(a),
        Group::Staff,
        Group::Teachers,
    ] {
        assert_eq!(Group::parse(&g.code()), Some(g));
    }
    assert_eq!(Group::parse("eleves:pas-un-id"), None);
}

#[test]
fn a_new_device_sending_to_many_is_held() {
    let now = 10 * NEW_DEVICE_MS;
    let fresh = Signals {
        recipients: MASS_SEND,
        device_first_seen: Some(now - 60_000),
        now,
        ..Signals::default()
    };
    assert_eq!(anomaly(&fresh, 10), Some(Hold::NewDeviceMassSend));
    let few = Signals {
        recipients: MASS_SEND - 1,
        ..fresh
    };
    assert_eq!(
        anomaly(&few, 10),
        None,
        "a new phone writing to one teacher is fine"
    );
    let old = Signals {
        device_first_seen: Some(now - NEW_DEVICE_MS - 1),
        ..fresh
    };
    assert_eq!(anomaly(&old, 10), None);
}

#[test]
fn bursts_of_the_same_text_are_held() {
    let base = Signals {
        recipients: 1,
        now: 1,
        ..Signals::default()
    };
    let twice = Signals {
        same_text_by_sender: BURST_SAME_SENDER - 1,
        ..base
    };
    assert_eq!(anomaly(&twice, 80), Some(Hold::RepeatedText));
    assert_eq!(anomaly(&twice, 10), None, "short replies repeat innocently");
    let others = Signals {
        same_text_other_accounts: BURST_ACCOUNTS - 1,
        ..base
    };
    assert_eq!(anomaly(&others, 80), Some(Hold::SameTextManyAccounts));
    assert_eq!(anomaly(&base, 80), None);
    assert_eq!(
        text_fingerprint("Une BOMBE explosera demain !"),
        text_fingerprint("une bombe  explosera demain"),
        "spacing, case and punctuation do not hide a copy"
    );
    assert_ne!(
        text_fingerprint("réunion lundi"),
        text_fingerprint("réunion mardi")
    );
}

#[test]
fn rules_round_trip_through_the_settings_form() {
    let r = Rules {
        parents_to_parents: true,
        students_to_classmates: false,
        ..Rules::default()
    };
    let on: HashSet<String> = r
        .switches()
        .iter()
        .filter(|(_, v)| *v)
        .map(|(k, _)| k.to_string())
        .collect();
    assert_eq!(Rules::from_switches(&on), r);
    assert!(attachment_allowed("application/pdf"));
    assert!(attachment_allowed("image/png"));
    assert!(!attachment_allowed("application/octet-stream"));
    assert!(!attachment_allowed("application/zip"));
    assert!(!attachment_allowed("text/html"));
}
