//! str methods that depend on Unicode data, answering exactly as CPython 3.13 (Unicode 15.1)
//! does rather than as Rust's newer `char` tables do: the `is*` predicates, `isidentifier`,
//! and the full case mappings behind `upper`, `lower` (with the final-sigma rule), `casefold`,
//! `swapcase`, `title` and `capitalize`. Tables come from `scripts/gen_unicode.py`. It does
//! not do normalisation, `unicodedata`, or the ASCII-only fast paths the VM may add itself.
//!
//! The case-ignorable table cannot be read from Python directly; the generator derives it from
//! CPython's own final-sigma behaviour (`'AΣxA'.lower()` keeps `σ` exactly when `x` is
//! case-ignorable, and `'1xΣ'.lower()` does the same for cased `x`).

use crate::unicode_tables as t;

fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let cp = u32::from(c);
    let i = table.partition_point(|&(_, hi)| hi < cp);
    table.get(i).is_some_and(|&(lo, _)| lo <= cp)
}

fn mapping(table: &'static [(u32, &'static str)], c: char) -> Option<&'static str> {
    let cp = u32::from(c);
    table
        .binary_search_by_key(&cp, |&(k, _)| k)
        .ok()
        .map(|i| table[i].1)
}

macro_rules! predicates {
    ($($(#[$doc:meta])* $name:ident => $table:ident;)*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $name(c: char) -> bool {
                in_ranges(t::$table, c)
            }
        )*
    };
}

predicates! {
    /// `c.isalpha()`.
    is_alpha => ALPHA;
    /// `c.isdecimal()`.
    is_decimal => DECIMAL;
    /// `c.isdigit()`.
    is_digit => DIGIT;
    /// `c.isnumeric()`.
    is_numeric => NUMERIC;
    /// `c.isspace()` (also what `str.split()` and `str.strip()` treat as whitespace).
    is_space => SPACE;
    /// The per-character Uppercase property (`c.isupper()` for one character).
    is_upper => UPPER;
    /// The per-character Lowercase property (`c.islower()` for one character).
    is_lower => LOWER;
    /// Titlecase letter (category Lt).
    is_titlecase => TITLE;
    /// The Cased property.
    is_cased => CASED;
    /// The Case_Ignorable property.
    is_case_ignorable => CASE_IGNORABLE;
    /// May start an identifier (XID_Start; `_` is handled by [`str_isidentifier`]).
    is_xid_start => XID_START;
    /// May continue an identifier (XID_Continue).
    is_xid_continue => XID_CONTINUE;
}

/// `c.isalnum()`.
#[must_use]
pub fn is_alnum(c: char) -> bool {
    is_alpha(c) || is_decimal(c) || is_digit(c) || is_numeric(c)
}

fn push_map(out: &mut String, table: &'static [(u32, &'static str)], c: char) {
    match mapping(table, c) {
        Some(m) => out.push_str(m),
        None => out.push(c),
    }
}

/// CPython's final-sigma test for the capital sigma at char index `i` of `chars`.
fn final_sigma(chars: &[char], i: usize) -> bool {
    let mut j = i;
    let before = loop {
        if j == 0 {
            break None;
        }
        j -= 1;
        if !is_case_ignorable(chars[j]) {
            break Some(chars[j]);
        }
    };
    if !before.is_some_and(is_cased) {
        return false;
    }
    let after = chars[i + 1..]
        .iter()
        .copied()
        .find(|&c| !is_case_ignorable(c));
    !after.is_some_and(is_cased)
}

fn push_lower_at(out: &mut String, chars: &[char], i: usize) {
    let c = chars[i];
    if c == '\u{3a3}' {
        out.push(if final_sigma(chars, i) {
            '\u{3c2}'
        } else {
            '\u{3c3}'
        });
    } else {
        push_map(out, t::LOWER_MAP, c);
    }
}

/// `s.lower()`.
#[must_use]
pub fn str_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for i in 0..chars.len() {
        push_lower_at(&mut out, &chars, i);
    }
    out
}

/// `s.upper()`.
#[must_use]
pub fn str_upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_map(&mut out, t::UPPER_MAP, c);
    }
    out
}

/// `s.casefold()`.
#[must_use]
pub fn str_casefold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_map(&mut out, t::FOLD_MAP, c);
    }
    out
}

/// `s.swapcase()`.
#[must_use]
pub fn str_swapcase(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if is_upper(c) {
            push_lower_at(&mut out, &chars, i);
        } else if is_lower(c) {
            push_map(&mut out, t::UPPER_MAP, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// `s.title()`.
#[must_use]
pub fn str_title(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for (i, &c) in chars.iter().enumerate() {
        if prev_cased {
            push_lower_at(&mut out, &chars, i);
        } else {
            push_map(&mut out, t::TITLE_MAP, c);
        }
        prev_cased = is_cased(c);
    }
    out
}

/// `s.capitalize()` (first character titlecased, the rest lowercased, as in 3.8+).
#[must_use]
pub fn str_capitalize(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for i in 0..chars.len() {
        if i == 0 {
            push_map(&mut out, t::TITLE_MAP, chars[0]);
        } else {
            push_lower_at(&mut out, &chars, i);
        }
    }
    out
}

/// `s.isupper()`.
#[must_use]
pub fn str_isupper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if is_lower(c) || is_titlecase(c) {
            return false;
        }
        if is_upper(c) {
            cased = true;
        }
    }
    cased
}

/// `s.islower()`.
#[must_use]
pub fn str_islower(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if is_upper(c) || is_titlecase(c) {
            return false;
        }
        if is_lower(c) {
            cased = true;
        }
    }
    cased
}

/// `s.istitle()`.
#[must_use]
pub fn str_istitle(s: &str) -> bool {
    is_title_shaped(s.chars(), |c| is_upper(c) || is_titlecase(c), is_lower)
}

/// The `istitle` rule over any characters, given what counts as upper (or title) case and
/// lower case: some cased character, every upper one after an uncased one, every lower one
/// after a cased one. `bytes.istitle` applies it with ASCII's cases.
#[must_use]
pub fn is_title_shaped<T: Copy>(
    items: impl IntoIterator<Item = T>,
    upper: impl Fn(T) -> bool,
    lower: impl Fn(T) -> bool,
) -> bool {
    let (mut cased, mut prev_cased) = (false, false);
    for c in items {
        if upper(c) {
            if prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else if lower(c) {
            if !prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    cased
}

/// `s.isidentifier()`.
#[must_use]
pub fn str_isidentifier(s: &str) -> bool {
    let mut it = s.chars();
    match it.next() {
        Some(c) if c == '_' || is_xid_start(c) => it.all(is_xid_continue),
        _ => false,
    }
}

fn all_nonempty(s: &str, p: fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(p)
}

/// `s.isalpha()`.
#[must_use]
pub fn str_isalpha(s: &str) -> bool {
    all_nonempty(s, is_alpha)
}

/// `s.isalnum()`.
#[must_use]
pub fn str_isalnum(s: &str) -> bool {
    all_nonempty(s, is_alnum)
}

/// `s.isdecimal()`.
#[must_use]
pub fn str_isdecimal(s: &str) -> bool {
    all_nonempty(s, is_decimal)
}

/// `s.isdigit()`.
#[must_use]
pub fn str_isdigit(s: &str) -> bool {
    all_nonempty(s, is_digit)
}

/// `s.isnumeric()`.
#[must_use]
pub fn str_isnumeric(s: &str) -> bool {
    all_nonempty(s, is_numeric)
}

/// `s.isspace()`.
#[must_use]
pub fn str_isspace(s: &str) -> bool {
    all_nonempty(s, is_space)
}
