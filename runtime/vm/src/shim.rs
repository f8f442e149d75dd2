//! The seam between the VM and `vigil-support` (CPython-exact algorithms with no object
//! model). Every call into support goes through here so that a support API change touches one
//! file. Where support does not (yet) provide something, a simple local version lives here,
//! marked `TODO(support)`.

use num_bigint::BigInt;

/// `repr(float)`.
pub fn float_repr(x: f64) -> String {
    vigil_support::float_repr(x)
}

#[inline]
pub fn hash_i64(i: i64) -> i64 {
    vigil_support::hash_i64(i)
}

pub fn hash_big(b: &BigInt) -> i64 {
    vigil_support::hash_big(b)
}

pub fn hash_f64(x: f64) -> i64 {
    vigil_support::hash_f64(x, 0)
}

pub fn hash_str(s: &str) -> i64 {
    vigil_support::hash_str(s)
}

pub fn hash_bytes(b: &[u8]) -> i64 {
    vigil_support::hash_bytes(b)
}

pub fn hash_tuple(items: &[i64]) -> i64 {
    vigil_support::hash_tuple(items)
}

pub fn hash_slice(parts: [i64; 3]) -> i64 {
    vigil_support::hash_slice(parts)
}

pub fn str_repr(s: &str) -> String {
    vigil_support::str_repr(s)
}
