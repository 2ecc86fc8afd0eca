//! The arithmetic of marks, without I/O: which outcomes count, marks brought to /20, a student's subject
//! average (evaluation coefficients), their overall average (subject coefficients), a class's average,
//! minimum and maximum. Everything is exact (`exact::Ratio`); rounding happens only for display.
//!
//! The rules, as the pages explain them to families:
//! - Abs (absent) and Disp (exempt) never count; NR (not handed in) counts 0, or not at all when the
//!   school chose so (`NrPolicy`).
//! - A mark `m` on a scale `s` counts as `m × 20 / s`; a subject average is the mean of these weighted by
//!   the evaluations' coefficients; the overall average is the mean of the subject averages weighted by
//!   the subjects' coefficients (1 unless the school set another).
//! - A class's subject average is the plain mean of its students' subject averages (students without one
//!   are left out), likewise the class's overall average; min and max are over the same students.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::exact::Ratio;

/// What a teacher entered for one student in one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A mark in hundredths of a point on the evaluation's scale (12,5 → 1250).
    Mark(u32),
    /// Abs: absent, never counted.
    Absent,
    /// Disp: exempt (dispensé), never counted.
    Exempt,
    /// NR: not handed in (non rendu), counted as the school decided.
    NotHandedIn,
}

/// What a school does with NR: count it as 0 (the default) or leave it out like an absence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NrPolicy {
    #[default]
    Zero,
    NotCounted,
}

impl Outcome {
    /// The mark that counts in averages (hundredths of a point), or `None` for an outcome left out.
    pub fn counted(self, nr: NrPolicy) -> Option<u32> {
        match (self, nr) {
            (Outcome::Mark(m), _) => Some(m),
            (Outcome::NotHandedIn, NrPolicy::Zero) => Some(0),
            _ => None,
        }
    }
}

/// A mark that counts, with its evaluation's scale (points) and coefficient (hundredths: 1 → 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub mark: u32,
    pub scale: u32,
    pub coefficient: u32,
}

/// A mark brought to /20: `mark/100 × 20/scale`.
pub fn on_twenty(mark: u32, scale: u32) -> Option<Ratio> {
    Ratio::new(u64::from(mark), 5 * u64::from(scale))
}

/// A student's average in a subject, on /20; `None` without any mark that counts.
pub fn subject_average(marks: &[Counted]) -> Option<Ratio> {
    // Σ coef × mark per scale first: one fraction per scale rather than one per mark.
    let mut by_scale: BTreeMap<u32, u64> = BTreeMap::new();
    let mut weight: u64 = 0;
    for m in marks {
        if m.coefficient == 0 || m.scale == 0 {
            continue;
        }
        *by_scale.entry(m.scale).or_default() += u64::from(m.coefficient) * u64::from(m.mark);
        weight += u64::from(m.coefficient);
    }
    let mut sum = Ratio::integer(0);
    for (scale, points) in by_scale {
        sum = sum.add(&Ratio::new(points, 5 * u64::from(scale))?);
    }
    sum.div_u64(weight)
}

/// The mean of values weighted by integers (zero weights left out); `None` when nothing weighs.
pub fn weighted_mean<'a>(values: impl IntoIterator<Item = (&'a Ratio, u32)>) -> Option<Ratio> {
    let mut sum = Ratio::integer(0);
    let mut weight: u64 = 0;
    for (v, w) in values {
        if w == 0 {
            continue;
        }
        sum = sum.add(&v.mul_u64(u64::from(w)));
        weight += u64::from(w);
    }
    sum.div_u64(weight)
}

/// Mean, minimum and maximum of a list of values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spread {
    pub average: Ratio,
    pub min: Ratio,
    pub max: Ratio,
}

pub fn spread<'a>(values: impl IntoIterator<Item = &'a Ratio>) -> Option<Spread> {
    let values: Vec<&Ratio> = values.into_iter().collect();
    let average = weighted_mean(values.iter().map(|v| (*v, 1)))?;
    let min = (*values.iter().min()?).clone();
    let max = (*values.iter().max()?).clone();
    Some(Spread { average, min, max })
}

/// An evaluation's class average, minimum and maximum on its own scale (in points), over the marks
/// that count.
pub fn evaluation_spread(outcomes: &[Outcome], nr: NrPolicy) -> Option<Spread> {
    let points: Vec<Ratio> = outcomes
        .iter()
        .filter_map(|o| o.counted(nr))
        .filter_map(|m| Ratio::new(u64::from(m), 100))
        .collect();
    spread(&points)
}

/// One result of a student, as the averages need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub student: Uuid,
    pub subject: String,
    pub outcome: Outcome,
    pub scale: u32,
    pub coefficient: u32,
}

/// A student's averages in one period: per subject (only subjects with a mark that counts) and overall.
#[derive(Debug, Clone)]
pub struct StudentAverages {
    pub student: Uuid,
    pub subjects: BTreeMap<String, Ratio>,
    pub overall: Option<Ratio>,
}

/// A class's averages in one period.
#[derive(Debug, Clone)]
pub struct ClassAverages {
    /// Per subject: the mean, min and max of the students' subject averages.
    pub subjects: BTreeMap<String, Spread>,
    /// Every student asked for, in the order asked, even those without any mark.
    pub students: Vec<StudentAverages>,
    /// The mean, min and max of the students' overall averages.
    pub overall: Option<Spread>,
}

/// The averages of `students` from their results (`lines` of other students are ignored).
/// `subject_coefficient` gives a subject's weight in the overall average, in hundredths.
pub fn class_averages(
    students: &[Uuid],
    lines: &[Line],
    subject_coefficient: impl Fn(&str) -> u32,
    nr: NrPolicy,
) -> ClassAverages {
    let mut counted: BTreeMap<(Uuid, &str), Vec<Counted>> = BTreeMap::new();
    for l in lines {
        if let Some(mark) = l.outcome.counted(nr) {
            counted
                .entry((l.student, l.subject.as_str()))
                .or_default()
                .push(Counted {
                    mark,
                    scale: l.scale,
                    coefficient: l.coefficient,
                });
        }
    }
    let mut per_student = vec![];
    for s in students {
        let subjects: BTreeMap<String, Ratio> = counted
            .range((*s, "")..)
            .take_while(|((student, _), _)| student == s)
            .filter_map(|((_, subject), marks)| Some((subject.to_string(), subject_average(marks)?)))
            .collect();
        let overall = weighted_mean(
            subjects
                .iter()
                .map(|(code, avg)| (avg, subject_coefficient(code))),
        );
        per_student.push(StudentAverages {
            student: *s,
            subjects,
            overall,
        });
    }
    let mut columns: BTreeMap<&str, Vec<&Ratio>> = BTreeMap::new();
    for s in &per_student {
        for (code, avg) in &s.subjects {
            columns.entry(code.as_str()).or_default().push(avg);
        }
    }
    let subjects = columns
        .into_iter()
        .filter_map(|(code, values)| Some((code.to_string(), spread(values)?)))
        .collect();
    let overall = spread(per_student.iter().filter_map(|s| s.overall.as_ref()));
    ClassAverages {
        subjects,
        students: per_student,
        overall,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn c(mark: u32, scale: u32, coefficient: u32) -> Counted {
        Counted {
            mark,
            scale,
            coefficient,
        }
    }

    #[test]
    fn a_subject_average_weighs_coefficients_and_brings_scales_to_twenty() {
        // 12/20 coefficient 1 and 7,5/10 coefficient 2: (12 + 2 × 15) / 3 = 14.
        let avg = subject_average(&[c(1200, 20, 100), c(750, 10, 200)]).unwrap();
        assert_eq!(avg, Ratio::integer(14));
        assert_eq!(avg.fr(), "14,00");
        // 13/20 and 12,5/20 and 12/20: 37,5 / 3 = 12,5.
        let avg = subject_average(&[c(1300, 20, 100), c(1250, 20, 100), c(1200, 20, 100)]).unwrap();
        assert_eq!(avg.fr(), "12,50");
        // 10/20 coefficient 1 and 17/20 coefficient 0,5: (10 + 8,5) / 1,5 = 12,333…
        assert_eq!(
            subject_average(&[c(1000, 20, 100), c(1700, 20, 50)])
                .unwrap()
                .fr(),
            "12,33"
        );
        assert!(subject_average(&[]).is_none());
    }

    #[test]
    fn codes_count_as_the_rules_say() {
        assert_eq!(Outcome::Absent.counted(NrPolicy::Zero), None);
        assert_eq!(Outcome::Exempt.counted(NrPolicy::Zero), None);
        assert_eq!(Outcome::NotHandedIn.counted(NrPolicy::Zero), Some(0));
        assert_eq!(Outcome::NotHandedIn.counted(NrPolicy::NotCounted), None);
        assert_eq!(Outcome::Mark(1550).counted(NrPolicy::NotCounted), Some(1550));
        let s = evaluation_spread(
            &[
                Outcome::Mark(1000),
                Outcome::Absent,
                Outcome::NotHandedIn,
                Outcome::Mark(1600),
            ],
            NrPolicy::Zero,
        )
        .unwrap();
        assert_eq!(
            (s.average.fr(), s.min.fr(), s.max.fr()),
            ("8,67".into(), "0,00".into(), "16,00".into())
        );
    }

    #[test]
    fn a_class_table_has_subject_and_overall_averages() {
        let (a, b, d) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let line = |student, subject: &str, outcome, scale, coefficient| Line {
            student,
            subject: subject.into(),
            outcome,
            scale,
            coefficient,
        };
        let lines = vec![
            line(a, "MATHS", Outcome::Mark(1200), 20, 100),
            line(a, "MATHS", Outcome::Mark(750), 10, 200),
            line(a, "FR", Outcome::Mark(1000), 20, 100),
            line(b, "MATHS", Outcome::Mark(800), 20, 100),
            line(b, "FR", Outcome::Absent, 20, 100),
            line(d, "MATHS", Outcome::Exempt, 20, 100),
        ];
        let coef = |s: &str| if s == "MATHS" { 200 } else { 100 };
        let t = class_averages(&[a, b, d], &lines, coef, NrPolicy::Zero);
        // a: maths 14, français 10, overall (2 × 14 + 10) / 3 = 12,67; b: maths 8 only.
        assert_eq!(t.students[0].overall.as_ref().unwrap().fr(), "12,67");
        assert_eq!(t.students[1].overall.as_ref().unwrap().fr(), "8,00");
        assert!(t.students[2].subjects.is_empty() && t.students[2].overall.is_none());
        let maths = &t.subjects["MATHS"];
        assert_eq!(
            (maths.average.fr(), maths.min.fr(), maths.max.fr()),
            ("11,00".into(), "8,00".into(), "14,00".into())
        );
        assert_eq!(t.subjects["FR"].average.fr(), "10,00");
        assert_eq!(t.overall.unwrap().average.fr(), "10,33");
    }

    fn marks() -> impl Strategy<Value = Vec<Counted>> {
        prop::collection::vec(
            (1u32..=100, 1u32..=400, 0u32..=100).prop_map(|(scale, coefficient, share)| Counted {
                mark: scale * share,
                scale,
                coefficient,
            }),
            1..25,
        )
    }

    proptest! {
        #[test]
        fn the_average_lies_between_the_lowest_and_highest_mark(ms in marks()) {
            let avg = subject_average(&ms).unwrap();
            let values: Vec<Ratio> = ms.iter().map(|m| on_twenty(m.mark, m.scale).unwrap()).collect();
            prop_assert!(values.iter().min().unwrap() <= &avg && &avg <= values.iter().max().unwrap());
            prop_assert!(avg <= Ratio::integer(20));
        }

        #[test]
        fn the_order_of_the_marks_does_not_matter(ms in marks(), seed in any::<u64>()) {
            let mut shuffled = ms.clone();
            let len = shuffled.len();
            for i in (1..len).rev() {
                let j = (seed.wrapping_mul(i as u64 + 7) % (i as u64 + 1)) as usize;
                shuffled.swap(i, j);
            }
            prop_assert_eq!(subject_average(&ms), subject_average(&shuffled));
        }

        #[test]
        fn scaling_a_mark_and_its_scale_together_changes_nothing(ms in marks(), k in 2u32..=5, at in any::<prop::sample::Index>()) {
            let mut scaled = ms.clone();
            let i = at.index(scaled.len());
            scaled[i].mark *= k;
            scaled[i].scale *= k;
            prop_assert_eq!(subject_average(&ms), subject_average(&scaled));
        }

        #[test]
        fn outcomes_left_out_never_change_the_result(
            ms in marks(),
            extra in prop::collection::vec((0u8..3, 1u32..=40, 1u32..=400), 0..10),
        ) {
            let student = Uuid::from_u128(7);
            let line = |outcome, scale, coefficient| Line { student, subject: "S".into(), outcome, scale, coefficient };
            let mut lines: Vec<Line> = ms.iter().map(|m| line(Outcome::Mark(m.mark), m.scale, m.coefficient)).collect();
            let before = class_averages(&[student], &lines, |_| 100, NrPolicy::NotCounted);
            for (kind, scale, coefficient) in extra {
                let outcome = [Outcome::Absent, Outcome::Exempt, Outcome::NotHandedIn][usize::from(kind)];
                lines.insert(usize::from(kind) % (lines.len() + 1), line(outcome, scale, coefficient));
            }
            let after = class_averages(&[student], &lines, |_| 100, NrPolicy::NotCounted);
            prop_assert_eq!(&before.students[0].subjects, &after.students[0].subjects);
            prop_assert_eq!(&before.students[0].overall, &after.students[0].overall);
        }

        #[test]
        fn a_coefficient_two_evaluation_counts_as_the_same_one_twice(ms in marks(), at in any::<prop::sample::Index>()) {
            let i = at.index(ms.len());
            let mut doubled = ms.clone();
            doubled[i].coefficient *= 2;
            let mut twice = ms.clone();
            twice.push(ms[i]);
            prop_assert_eq!(subject_average(&doubled), subject_average(&twice));
        }

        #[test]
        fn class_averages_lie_between_their_min_and_max(
            results in prop::collection::vec((0u128..6, 0u8..3, 1u32..=40, 0u32..=40, 1u32..=300), 1..60),
        ) {
            let students: Vec<Uuid> = (0..6).map(Uuid::from_u128).collect();
            let subjects = ["A", "B", "C"];
            let lines: Vec<Line> = results
                .iter()
                .map(|(s, subject, scale, share, coefficient)| Line {
                    student: Uuid::from_u128(*s),
                    subject: subjects[usize::from(*subject)].into(),
                    outcome: Outcome::Mark(scale * share * 100 / 40),
                    scale: *scale,
                    coefficient: *coefficient,
                })
                .collect();
            let t = class_averages(&students, &lines, |s| if s == "A" { 300 } else { 100 }, NrPolicy::Zero);
            for sp in t.subjects.values().chain(t.overall.iter()) {
                prop_assert!(sp.min <= sp.average && sp.average <= sp.max);
            }
            for s in &t.students {
                if let Some(o) = &s.overall {
                    prop_assert!(s.subjects.values().min().unwrap() <= o && o <= s.subjects.values().max().unwrap());
                }
            }
        }
    }
}
