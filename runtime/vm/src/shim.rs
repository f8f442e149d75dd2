//! The seam between the VM and `vigil-support` (CPython-exact algorithms with no object
//! model). Every call into support goes through here so that a support API change touches one
//! file. Where support does not (yet) provide something, a simple local version lives here,
//! marked `TODO(support)`.

use num_bigint::BigInt;

/// `repr(float)`.
pub fn float_repr(x: f64) -> String {
    vigil_support::float_repr(x)
}

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

pub fn str_repr(s: &str) -> String {
    vigil_support::str_repr(s)
}

/// The order CPython's set table (Objects/setobject.c) would iterate `items`, assuming they
/// were inserted in the given order with no removals: open addressing with 9 linear probes
/// then perturbation, starting at 8 slots and resizing to 4x `used` at 60% fill.
/// TODO(support): switch to support's set table when exported.
pub fn set_order(items: &[crate::value::Value], hashes: &[i64]) -> Vec<crate::value::Value> {
    const LINEAR_PROBES: usize = 9;
    fn place(table: &mut [Option<usize>], h: i64, idx: usize) {
        let mask = table.len() - 1;
        let mut perturb = h as u64;
        let mut i = (h as u64 as usize) & mask;
        loop {
            if table[i].is_none() {
                table[i] = Some(idx);
                return;
            }
            if i + LINEAR_PROBES <= mask {
                for j in 1..=LINEAR_PROBES {
                    if table[i + j].is_none() {
                        table[i + j] = Some(idx);
                        return;
                    }
                }
            }
            perturb >>= 5;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }
    let mut table: Vec<Option<usize>> = vec![None; 8];
    let mut used = 0usize;
    for (idx, &h) in hashes.iter().enumerate() {
        place(&mut table, h, idx);
        used += 1;
        let mask = table.len() - 1;
        if used * 5 >= mask * 3 {
            let minused = if used > 50000 { used * 2 } else { used * 4 };
            let mut newsize = 8;
            while newsize <= minused {
                newsize <<= 1;
            }
            let old = std::mem::replace(&mut table, vec![None; newsize]);
            for i in old.into_iter().flatten() {
                place(&mut table, hashes[i], i);
            }
        }
    }
    table
        .into_iter()
        .flatten()
        .map(|i| items[i].clone())
        .collect()
}
