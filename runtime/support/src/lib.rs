//! vigil-support: CPython-exact algorithms that need no object model — float repr and
//! formatting, the format-spec mini-language, `%` formatting, str/bytes repr, number parsing,
//! Python arithmetic semantics, hash values, set slot order, the math module and the Mersenne
//! Twister behind `random`. Inputs are plain Rust values (`i64`, `f64`, `&str`,
//! `num_bigint::BigInt`, [`Int`]); outputs are Strings, numbers or [`PyError`]s naming the
//! CPython exception class and exact message. It deliberately knows nothing about the VM's
//! `Value`, objects, `__dunder__` dispatch or the interpreter loop.
//!
//! Where to find what (all re-exported here unless noted):
//! - text of numbers: [`float_repr`], [`push_float_repr`], [`double_to_string`],
//!   [`big_to_decimal`] (4300-digit limit), [`int_to_prefixed`] (bin/oct/hex);
//! - `format(x, spec)`: [`format_i64`], [`format_bigint`], [`format_int`], [`format_f64`],
//!   [`format_str`] (empty spec = `str(x)`; bool's `str` is the caller's);
//! - `fmt % args`: [`percent_format`] with the VM implementing [`PercentArgs`];
//! - repr: [`str_repr`], [`str_ascii`] (ascii of a str value), [`ascii_escape`] (ascii of any
//!   object from its repr), [`bytes_repr`], [`is_printable`], [`decimal_value`];
//! - parsing: [`parse_float`], [`parse_int`], [`f64_fromhex`];
//! - arithmetic: `floordiv_*`, `mod_*`, `divmod_*`, `truediv_*` (correctly rounded),
//!   [`pow_int`], [`pow_f64`], [`pow_mod`], [`round_f64`], [`round_f64_to_int`],
//!   [`round_big`], [`f64_to_int`], [`big_to_f64`], [`cmp_int_float`],
//!   [`f64_as_integer_ratio`], [`f64_hex`], [`int_to_bytes`], [`int_from_bytes`];
//! - hashing (PYTHONHASHSEED=0): [`hash_str`], [`hash_bytes`], [`hash_i64`], [`hash_big`],
//!   [`hash_f64`], [`hash_tuple`], [`hash_slice`], [`hash_frozenset`], [`HASH_NONE`];
//! - sets: [`SetTable`] (CPython slot order, fallible equality, set algebra);
//! - Unicode-dependent str methods: the [`unicode`] module (`str_upper`, `is_alpha`, ...);
//! - `math`: the [`math`] module (`vigil_support::math::sqrt` etc.);
//! - `random`: [`Random`].
//!
//! Every expected output in the tests comes from CPython 3.13: `scripts/gen_testdata.py`
//! writes the committed tables in `tests/data/` (see its docstring for the command) and
//! `scripts/gen_printable.py` and `scripts/gen_unicode.py` write the Unicode tables in
//! `src/printable_table.rs` and `src/unicode_tables.rs`.

mod arith;
mod error;
mod float_fmt;
mod float_repr;
mod format_spec;
mod hash;
mod int;
mod libm;
/// The `math` module's functions; call as `vigil_support::math::sqrt(x)`.
pub mod math;
mod parse;
mod printable_table;
mod printf;
mod random;
mod repr;
mod set_table;
/// str methods that need Unicode data (`isalpha`, `upper`, `title`, ...), as CPython 3.13.
pub mod unicode;
mod unicode_tables;

pub use arith::{
    PowResult, divmod_big, divmod_f64, divmod_i64, f64_fromhex, f64_hex, f64_is_integer,
    floordiv_big, floordiv_f64, floordiv_i64, mod_big, mod_f64, mod_i64, pow_f64, pow_int, pow_mod,
    round_big, round_f64, round_f64_to_int, truediv_big, truediv_f64, truediv_i64,
};
pub use error::{ExcKind, PyError, PyResult};
pub use float_fmt::{FloatFlags, double_to_string};
pub use float_repr::{float_repr, push_float_repr, shortest_digits};
pub use format_spec::{
    FormatSpec, Grouping, format_bigint, format_f64, format_i64, format_int, format_str,
};
pub use hash::{
    HASH_INF, HASH_MODULUS, HASH_NONE, hash_big, hash_bool, hash_bytes, hash_f64, hash_frozenset,
    hash_i64, hash_slice, hash_str, hash_tuple,
};
pub use int::{
    INT_MAX_STR_DIGITS, Int, big_to_decimal, big_to_f64, bit_length_big, bit_length_i64,
    cmp_int_float, f64_as_integer_ratio, f64_to_int, i64_to_f64, int_from_bytes,
    int_str_limit_error, int_to_bytes, int_to_prefixed, push_i64, u64_digits,
};
pub use parse::{parse_float, parse_int};
pub use printf::{PercentArgs, percent_format};
pub use random::Random;
pub use repr::{
    ascii_escape, bytes_repr, decimal_value, is_printable, push_str_repr, str_ascii, str_repr,
};
pub use set_table::{POP_EMPTY_MSG, SET_MINSIZE, SetTable};
