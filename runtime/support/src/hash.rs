//! `hash()` values identical to CPython 3.13 on 64-bit Linux under `PYTHONHASHSEED=0`:
//! str and bytes (SipHash-1-3 with a zero key over the PEP 393 buffer), int (mod 2**61 - 1),
//! float (`_Py_HashDouble`), tuple (the xxHash-style combiner of 3.8+), frozenset, and the
//! constants for None/bool. It does not cache hashes or call `__hash__`; the VM combines
//! element hashes it has already computed.

use num_bigint::{BigInt, Sign};
use num_traits::ToPrimitive;
use siphasher::sip::SipHasher13;
use std::hash::Hasher;

/// `sys.hash_info.modulus`: 2**61 - 1.
pub const HASH_MODULUS: u64 = (1 << 61) - 1;
/// `hash(float('inf'))`.
pub const HASH_INF: i64 = 314_159;
/// `hash(None)` in CPython 3.13 (a constant since 3.12).
pub const HASH_NONE: i64 = 0xFCA8_6420;

#[inline]
fn fix_minus_one(h: i64) -> i64 {
    if h == -1 { -2 } else { h }
}

fn siphash13(bytes: &[u8]) -> i64 {
    let mut h = SipHasher13::new_with_keys(0, 0);
    h.write(bytes);
    h.finish() as i64
}

/// `hash(s)` for a str.
#[must_use]
pub fn hash_str(s: &str) -> i64 {
    if s.is_empty() {
        return 0;
    }
    // CPython hashes its compact representation: 1, 2 or 4 bytes per code point.
    if s.is_ascii() {
        return fix_minus_one(siphash13(s.as_bytes()));
    }
    let max = s.chars().map(u32::from).max().unwrap_or(0);
    let mut buf: Vec<u8> = Vec::with_capacity(s.len() * 2);
    if max < 0x100 {
        buf.extend(s.chars().map(|c| u32::from(c) as u8));
    } else if max < 0x1_0000 {
        for c in s.chars() {
            buf.extend_from_slice(&(u32::from(c) as u16).to_le_bytes());
        }
    } else {
        for c in s.chars() {
            buf.extend_from_slice(&u32::from(c).to_le_bytes());
        }
    }
    fix_minus_one(siphash13(&buf))
}

/// `hash(b)` for bytes (and bytearray-free read-only buffers).
#[must_use]
pub fn hash_bytes(b: &[u8]) -> i64 {
    if b.is_empty() {
        return 0;
    }
    fix_minus_one(siphash13(b))
}

/// `hash(n)` for an int that fits in `i64`.
#[must_use]
#[inline]
pub fn hash_i64(v: i64) -> i64 {
    // Most ints are their own hash: no division for them.
    let a = v.unsigned_abs();
    let m = if a < HASH_MODULUS {
        a
    } else {
        a % HASH_MODULUS
    };
    let h = if v < 0 { -(m as i64) } else { m as i64 };
    fix_minus_one(h)
}

/// `hash(n)` for a big int.
#[must_use]
pub fn hash_big(v: &BigInt) -> i64 {
    let m = (v.magnitude() % HASH_MODULUS).to_u64().unwrap_or(0);
    let h = if v.sign() == Sign::Minus {
        -(m as i64)
    } else {
        m as i64
    };
    fix_minus_one(h)
}

/// `hash(True)` / `hash(False)`.
#[must_use]
pub fn hash_bool(b: bool) -> i64 {
    i64::from(b)
}

/// `hash(x)` for a float. CPython hashes NaN by object identity (`_Py_HashPointer`), so the
/// caller passes the object's id; `nan_identity` is rotated right by 4 bits as CPython does.
#[must_use]
pub fn hash_f64(x: f64, nan_identity: u64) -> i64 {
    if x.is_nan() {
        return fix_minus_one(nan_identity.rotate_right(4) as i64);
    }
    if x.is_infinite() {
        return if x > 0.0 { HASH_INF } else { -HASH_INF };
    }
    // Fast path for integral values that fit in i64: same as the int hash.
    if x.trunc() == x && x.abs() < 9.2e18 {
        return hash_i64(x as i64);
    }
    // Exact value m * 2**e, reduced mod 2**61 - 1 where 2**k is a rotation by k mod 61.
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    let m = m % HASH_MODULUS;
    let shift = e.rem_euclid(61) as u32;
    let h = ((u128::from(m) << shift) % u128::from(HASH_MODULUS)) as i64;
    fix_minus_one(if x < 0.0 { -h } else { h })
}

const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

/// `hash(t)` for a tuple, given its elements' hashes in order.
#[must_use]
pub fn hash_tuple(item_hashes: &[i64]) -> i64 {
    let mut acc = XXPRIME_5;
    for &h in item_hashes {
        acc = acc.wrapping_add((h as u64).wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    acc = acc.wrapping_add((item_hashes.len() as u64) ^ (XXPRIME_5 ^ 3_527_539));
    if acc == u64::MAX {
        return 1_546_275_796;
    }
    acc as i64
}

/// `hash(s)` for a slice (CPython 3.12+), given the hashes of its start, stop and step. The
/// same mixing as a tuple's, without the final length term, so `hash(slice(1, 2))` differs
/// from `hash((1, 2, None))`.
#[must_use]
pub fn hash_slice(part_hashes: [i64; 3]) -> i64 {
    let mut acc = XXPRIME_5;
    for h in part_hashes {
        acc = acc.wrapping_add((h as u64).wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    if acc == u64::MAX {
        return 1_546_275_796;
    }
    acc as i64
}

fn shuffle_bits(h: u64) -> u64 {
    ((h ^ 89_869_747) ^ (h << 16)).wrapping_mul(3_644_798_167)
}

/// `hash(fs)` for a frozenset, given its elements' hashes (any order). CPython's table walk
/// also folds in empty and dummy slots but then cancels them out, so only members matter.
#[must_use]
pub fn hash_frozenset(item_hashes: &[i64]) -> i64 {
    let mut hash: u64 = 0;
    for &h in item_hashes {
        hash ^= shuffle_bits(h as u64);
    }
    hash ^= (item_hashes.len() as u64 + 1).wrapping_mul(1_927_868_237);
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash.wrapping_mul(69069).wrapping_add(907_133_923);
    if hash == u64::MAX {
        return 590_923_713;
    }
    hash as i64
}
