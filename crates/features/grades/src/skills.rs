//! The common core of knowledge, skills and culture (socle commun), without I/O: its eight components,
//! the four mastery levels, the level retained at the end of a cycle and the brevet points.
//!
//! The level retained for a component is the most frequent among the student's `RECENT` most recent
//! levels in it (by evaluation date); a tie goes to the most recent of the tied levels. Recent results
//! say where the student stands now, and a majority keeps one bad day from deciding alone.

/// How many of the most recent levels of a component decide the level retained.
pub const RECENT: usize = 5;

/// A component of the socle commun (cycles 3 and 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    D11,
    D12,
    D13,
    D14,
    D2,
    D3,
    D4,
    D5,
}

impl Component {
    pub const ALL: [Component; 8] = [
        Component::D11,
        Component::D12,
        Component::D13,
        Component::D14,
        Component::D2,
        Component::D3,
        Component::D4,
        Component::D5,
    ];

    /// The code stored and shown: "D1.1" … "D5".
    pub fn code(self) -> &'static str {
        match self {
            Component::D11 => "D1.1",
            Component::D12 => "D1.2",
            Component::D13 => "D1.3",
            Component::D14 => "D1.4",
            Component::D2 => "D2",
            Component::D3 => "D3",
            Component::D4 => "D4",
            Component::D5 => "D5",
        }
    }

    pub fn parse(code: &str) -> Option<Component> {
        Component::ALL.into_iter().find(|c| c.code() == code.trim())
    }

    /// The Fluent key of its name ("Comprendre, s'exprimer en utilisant la langue française…").
    pub fn label_key(self) -> &'static str {
        match self {
            Component::D11 => "gr-comp-d11",
            Component::D12 => "gr-comp-d12",
            Component::D13 => "gr-comp-d13",
            Component::D14 => "gr-comp-d14",
            Component::D2 => "gr-comp-d2",
            Component::D3 => "gr-comp-d3",
            Component::D4 => "gr-comp-d4",
            Component::D5 => "gr-comp-d5",
        }
    }

    /// A form field's safe suffix ("d11").
    pub fn slug(self) -> &'static str {
        match self {
            Component::D11 => "d11",
            Component::D12 => "d12",
            Component::D13 => "d13",
            Component::D14 => "d14",
            Component::D2 => "d2",
            Component::D3 => "d3",
            Component::D4 => "d4",
            Component::D5 => "d5",
        }
    }
}

/// A mastery level, from 1 (insufficient) to 4 (very good).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Insufficient = 1,
    Fragile = 2,
    Satisfactory = 3,
    VeryGood = 4,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Insufficient,
        Level::Fragile,
        Level::Satisfactory,
        Level::VeryGood,
    ];

    pub fn number(self) -> i32 {
        self as i32
    }

    pub fn of_number(n: i32) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.number() == n)
    }

    /// The Skolengo API's name of the level (mobile app).
    pub fn api_code(self) -> &'static str {
        match self {
            Level::Insufficient => "INSUFFICIENT_MASTERY",
            Level::Fragile => "LOW_MASTERY",
            Level::Satisfactory => "SATISFACTORY_MASTERY",
            Level::VeryGood => "VERY_GOOD_MASTERY",
        }
    }

    /// Points towards the brevet: 10, 25, 40 or 50 per component (400 for the eight).
    pub fn brevet_points(self) -> u32 {
        match self {
            Level::Insufficient => 10,
            Level::Fragile => 25,
            Level::Satisfactory => 40,
            Level::VeryGood => 50,
        }
    }

    /// Fluent keys of its name and of its abbreviation (MI, MF, MS, TBM).
    pub fn label_key(self) -> &'static str {
        match self {
            Level::Insufficient => "gr-level-1",
            Level::Fragile => "gr-level-2",
            Level::Satisfactory => "gr-level-3",
            Level::VeryGood => "gr-level-4",
        }
    }

    pub fn short_key(self) -> &'static str {
        match self {
            Level::Insufficient => "gr-level-short-1",
            Level::Fragile => "gr-level-short-2",
            Level::Satisfactory => "gr-level-short-3",
            Level::VeryGood => "gr-level-short-4",
        }
    }

    /// A CSS class to colour it (with its text always shown: colour is never the only cue).
    pub fn css(self) -> &'static str {
        match self {
            Level::Insufficient => "lvl lvl-1",
            Level::Fragile => "lvl lvl-2",
            Level::Satisfactory => "lvl lvl-3",
            Level::VeryGood => "lvl lvl-4",
        }
    }
}

/// The level retained from a component's levels, most recent first (see the module's rule).
pub fn retained(newest_first: &[Level]) -> Option<Level> {
    let recent = &newest_first[..newest_first.len().min(RECENT)];
    let count = |l: Level| recent.iter().filter(|x| **x == l).count();
    let best = recent.iter().map(|l| count(*l)).max()?;
    // The first in recency order among the most frequent.
    recent.iter().copied().find(|l| count(*l) == best)
}

/// The school cycle of a year level, from its national MEF code: 6e is the last year of cycle 3,
/// 5e, 4e and 3e are cycle 4. Lycée levels have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cycle {
    Three,
    Four,
}

impl Cycle {
    pub fn of_mef(mef_code: &str) -> Option<Cycle> {
        match mef_code.get(..3)? {
            "100" => Some(Cycle::Three),
            "101" | "102" | "103" => Some(Cycle::Four),
            _ => None,
        }
    }

    pub fn number(self) -> i32 {
        match self {
            Cycle::Three => 3,
            Cycle::Four => 4,
        }
    }

    pub fn of_number(n: i32) -> Option<Cycle> {
        match n {
            3 => Some(Cycle::Three),
            4 => Some(Cycle::Four),
            _ => None,
        }
    }
}

/// A student's end-of-cycle summary: the level retained per component and the brevet points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub levels: Vec<(Component, Option<Level>)>,
    /// Points of the components that have a level (out of 400 once all eight do).
    pub points: u32,
    pub assessed: usize,
}

impl Summary {
    pub fn complete(&self) -> bool {
        self.assessed == Component::ALL.len()
    }
}

/// The summary from a student's results, each (component, level), most recent first.
pub fn summary(newest_first: &[(Component, Level)]) -> Summary {
    let levels: Vec<(Component, Option<Level>)> = Component::ALL
        .into_iter()
        .map(|c| {
            let of_c: Vec<Level> = newest_first
                .iter()
                .filter(|(x, _)| *x == c)
                .map(|(_, l)| *l)
                .collect();
            (c, retained(&of_c))
        })
        .collect();
    Summary {
        points: levels
            .iter()
            .filter_map(|(_, l)| l.map(Level::brevet_points))
            .sum(),
        assessed: levels.iter().filter(|(_, l)| l.is_some()).count(),
        levels,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use Level::*;
    use proptest::prelude::*;

    #[test]
    fn the_most_frequent_recent_level_is_retained_and_ties_go_to_the_latest() {
        assert_eq!(retained(&[]), None);
        assert_eq!(retained(&[Fragile]), Some(Fragile));
        assert_eq!(retained(&[Satisfactory, Fragile, Fragile]), Some(Fragile));
        assert_eq!(retained(&[VeryGood, Fragile, VeryGood, Fragile]), Some(VeryGood));
        // Only the five most recent count: the old insufficient levels are past.
        assert_eq!(
            retained(&[
                Satisfactory,
                Satisfactory,
                VeryGood,
                Fragile,
                VeryGood,
                Insufficient,
                Insufficient,
                Insufficient
            ]),
            Some(Satisfactory)
        );
    }

    #[test]
    fn brevet_points_add_up_to_400_at_most() {
        let all: Vec<(Component, Level)> = Component::ALL.iter().map(|c| (*c, VeryGood)).collect();
        let s = summary(&all);
        assert!(s.complete());
        assert_eq!(s.points, 400);
        let s = summary(&[(Component::D2, Fragile), (Component::D11, Satisfactory)]);
        assert_eq!((s.points, s.assessed), (65, 2));
        assert_eq!(s.levels[0], (Component::D11, Some(Satisfactory)));
    }

    #[test]
    fn cycles_come_from_the_year_level() {
        assert_eq!(Cycle::of_mef("10010012110"), Some(Cycle::Three));
        assert_eq!(Cycle::of_mef("10310019110"), Some(Cycle::Four));
        assert_eq!(Cycle::of_mef("20010018110"), None);
        assert_eq!(Cycle::of_mef(""), None);
        for c in Component::ALL {
            assert_eq!(Component::parse(c.code()), Some(c));
        }
    }

    fn level() -> impl Strategy<Value = Level> {
        (1i32..=4).prop_map(|n| Level::of_number(n).unwrap())
    }

    proptest! {
        #[test]
        fn the_retained_level_is_a_most_frequent_recent_one(levels in prop::collection::vec(level(), 1..12)) {
            let r = retained(&levels).unwrap();
            let recent = &levels[..levels.len().min(RECENT)];
            let count = |l: Level| recent.iter().filter(|x| **x == l).count();
            prop_assert!(recent.contains(&r));
            prop_assert!(Level::ALL.iter().all(|l| count(*l) <= count(r)));
        }
    }
}
