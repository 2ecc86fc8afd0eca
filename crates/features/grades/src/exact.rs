//! Exact non-negative rational numbers for averages: natural numbers of any size (base 2³² limbs) with
//! the few operations averages need. A class's averages of averages multiply denominators together
//! (one per scale, per coefficient sum, per student), which overflows any fixed-width integer; these
//! never overflow and never round. Rounding happens once, for display (`Ratio::hundredths`).

use std::cmp::Ordering;

/// A natural number, little-endian limbs without trailing zeros (zero is the empty vector).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nat(Vec<u32>);

impl Nat {
    pub fn zero() -> Nat {
        Nat(vec![])
    }

    pub fn from_u128(mut n: u128) -> Nat {
        let mut limbs = vec![];
        while n > 0 {
            limbs.push(n as u32);
            n >>= 32;
        }
        Nat(limbs)
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// The value, when it fits in 128 bits.
    pub fn to_u128(&self) -> Option<u128> {
        if self.0.len() > 4 {
            return None;
        }
        Some(
            self.0
                .iter()
                .rev()
                .fold(0u128, |acc, l| (acc << 32) | u128::from(*l)),
        )
    }

    fn trimmed(mut limbs: Vec<u32>) -> Nat {
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
        Nat(limbs)
    }

    pub fn add(&self, other: &Nat) -> Nat {
        let (long, short) = if self.0.len() >= other.0.len() {
            (&self.0, &other.0)
        } else {
            (&other.0, &self.0)
        };
        let mut out = Vec::with_capacity(long.len() + 1);
        let mut carry = 0u64;
        for (i, l) in long.iter().enumerate() {
            let sum = u64::from(*l) + u64::from(short.get(i).copied().unwrap_or(0)) + carry;
            out.push(sum as u32);
            carry = sum >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        Nat::trimmed(out)
    }

    pub fn mul(&self, other: &Nat) -> Nat {
        if self.is_zero() || other.is_zero() {
            return Nat::zero();
        }
        let mut out = vec![0u32; self.0.len() + other.0.len()];
        for (i, a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, b) in other.0.iter().enumerate() {
                let cur = u64::from(out[i + j]) + u64::from(*a) * u64::from(*b) + carry;
                out[i + j] = cur as u32;
                carry = cur >> 32;
            }
            let mut k = i + other.0.len();
            while carry > 0 {
                let cur = u64::from(out[k]) + carry;
                out[k] = cur as u32;
                carry = cur >> 32;
                k += 1;
            }
        }
        Nat::trimmed(out)
    }

    pub fn mul_u64(&self, k: u64) -> Nat {
        self.mul(&Nat::from_u128(u128::from(k)))
    }
}

impl Ord for Nat {
    fn cmp(&self, other: &Nat) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

impl PartialOrd for Nat {
    fn partial_cmp(&self, other: &Nat) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A non-negative fraction `num / den` (den > 0). Equality and order compare values, not spellings:
/// 1/2 == 2/4. Fractions whose terms fit in 128 bits are kept in lowest terms.
#[derive(Clone, Debug)]
pub struct Ratio {
    num: Nat,
    den: Nat,
}

impl Ratio {
    /// `num / den`; `None` when `den` is zero.
    pub fn new(num: u64, den: u64) -> Option<Ratio> {
        (den != 0).then(|| {
            Ratio {
                num: Nat::from_u128(u128::from(num)),
                den: Nat::from_u128(u128::from(den)),
            }
            .reduced()
        })
    }

    pub fn integer(n: u64) -> Ratio {
        Ratio {
            num: Nat::from_u128(u128::from(n)),
            den: Nat::from_u128(1),
        }
    }

    fn reduced(self) -> Ratio {
        match (self.num.to_u128(), self.den.to_u128()) {
            (Some(0), Some(_)) => Ratio::integer(0),
            (Some(n), Some(d)) => {
                let g = gcd(n, d);
                Ratio {
                    num: Nat::from_u128(n / g),
                    den: Nat::from_u128(d / g),
                }
            }
            _ => self,
        }
    }

    pub fn add(&self, other: &Ratio) -> Ratio {
        if self.den == other.den {
            return Ratio {
                num: self.num.add(&other.num),
                den: self.den.clone(),
            }
            .reduced();
        }
        Ratio {
            num: self.num.mul(&other.den).add(&other.num.mul(&self.den)),
            den: self.den.mul(&other.den),
        }
        .reduced()
    }

    pub fn mul_u64(&self, k: u64) -> Ratio {
        Ratio {
            num: self.num.mul_u64(k),
            den: self.den.clone(),
        }
        .reduced()
    }

    /// `self / k`; `None` when `k` is zero.
    pub fn div_u64(&self, k: u64) -> Option<Ratio> {
        (k != 0).then(|| {
            Ratio {
                num: self.num.clone(),
                den: self.den.mul_u64(k),
            }
            .reduced()
        })
    }

    /// The value in hundredths, rounded half up (12.345 → 1235): the one rounding, for display.
    pub fn hundredths(&self) -> u64 {
        // q = floor(100·num / den), found by doubling then halving (q is small: a mark, an average).
        let target = self.num.mul_u64(100);
        let fits = |q: u64| self.den.mul_u64(q) <= target;
        let mut hi: u64 = 1;
        while fits(hi) && hi < (1 << 62) {
            hi *= 2;
        }
        let mut lo: u64 = 0;
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // Half up: round up when 200·num ≥ (2q + 1)·den.
        if self.den.mul_u64(2 * lo + 1) <= self.num.mul_u64(200) {
            lo + 1
        } else {
            lo
        }
    }

    /// "12,35": two decimals after a comma, as French report cards print averages.
    pub fn fr(&self) -> String {
        let h = self.hundredths();
        format!("{},{:02}", h / 100, h % 100)
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Ratio) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ratio {}

impl Ord for Ratio {
    fn cmp(&self, other: &Ratio) -> Ordering {
        if self.den == other.den {
            return self.num.cmp(&other.num);
        }
        self.num.mul(&other.den).cmp(&other.num.mul(&self.den))
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Ratio) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn r(n: u64, d: u64) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    #[test]
    fn fractions_compare_by_value_and_round_half_up_for_display() {
        assert_eq!(r(1, 2), r(2, 4));
        assert!(r(1, 3) < r(34, 100));
        assert_eq!(r(12345, 1000).fr(), "12,35");
        assert_eq!(r(12344, 1000).fr(), "12,34");
        assert_eq!(r(38, 3).fr(), "12,67");
        assert_eq!(r(14, 1).fr(), "14,00");
        assert_eq!(Ratio::integer(0).fr(), "0,00");
        assert!(Ratio::new(1, 0).is_none());
    }

    #[test]
    fn big_numbers_neither_overflow_nor_lose_digits() {
        // The sum of 1/p for many primes has a denominator far beyond 128 bits.
        let primes = [
            101u64, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193,
            197, 199, 211, 223, 227, 229, 233,
        ];
        let mut sum = Ratio::integer(0);
        for p in primes {
            sum = sum.add(&r(1, p));
        }
        assert!(sum.den.to_u128().is_none(), "the test needs a big denominator");
        let mut back = sum.clone();
        for p in primes {
            back = back.add(&r(p - 1, p));
        }
        assert_eq!(back, Ratio::integer(primes.len() as u64));
        assert_eq!(back.fr(), "26,00");
    }

    proptest! {
        #[test]
        fn nat_arithmetic_matches_u128(a in any::<u64>(), b in any::<u64>(), c in any::<u32>()) {
            let (na, nb) = (Nat::from_u128(a.into()), Nat::from_u128(b.into()));
            prop_assert_eq!(na.add(&nb).to_u128(), Some(u128::from(a) + u128::from(b)));
            prop_assert_eq!(na.mul(&nb).to_u128(), Some(u128::from(a) * u128::from(b)));
            prop_assert_eq!(na.cmp(&nb), a.cmp(&b));
            let product = u128::from(a) * u128::from(b);
            let big = na.mul(&nb).mul_u64(u64::from(c));
            let expected = if product == 0 { Ordering::Equal } else { u64::from(c).cmp(&1) };
            prop_assert_eq!(big.cmp(&na.mul(&nb)), expected);
        }

        #[test]
        fn hundredths_are_the_rounded_value(n in 0u64..10_000_000, d in 1u64..100_000) {
            let exact = u128::from(n) * 100;
            let q = exact / u128::from(d);
            let rest = exact % u128::from(d);
            let expected = if 2 * rest >= u128::from(d) { q + 1 } else { q };
            prop_assert_eq!(u128::from(r(n, d).hundredths()), expected);
        }
    }
}
