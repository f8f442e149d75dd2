//! The native half of the `re` module (`_vigil_re`): a parser for Python 3.13's pattern
//! syntax and a translation of the parsed pattern into fancy-regex's syntax, plus the search
//! entry points the Python half (`pylib/re.py`) calls. The matching itself is fancy-regex's
//! (a backtracking VM on top of regex-automata, leftmost-first like CPython's sre); this file
//! never matches text itself.
//!
//! Why parse instead of passing patterns through: the two syntaxes agree on most spellings but
//! not on their meaning. `$` is "end, or before a final newline" in Python; `\Z` is the very end;
//! `[[:alpha:]]`, `&&`, `--` are literal inside Python classes; `{` is a literal unless it
//! spells a full `{m,n}`; `\w`/`\d`/`\s`/`\b` follow `str.isalnum`/`isdecimal`/`isspace`; group
//! numbers and names, the octal-or-backreference rule, and the errors (with CPython's messages
//! and positions) are Python's. So the parser follows sre's grammar, resolves every flag at
//! parse time into the node it affects, and the emitter spells each node in the engine's
//! syntax explicitly (no engine-level flags are used). Constructs the engine cannot express
//! the way Python means them are refused with NotImplementedError, never approximated.
//!
//! Positions crossing this boundary are code point indices, as in CPython; the engine works
//! in UTF-8 byte offsets, converted here (with a per-string table cached for the last
//! non-ASCII string searched, so a `finditer`/`sub` scan stays linear).
//!
//! Not here: the Pattern/Match objects, the replacement templates, the module cache and the
//! error class, which live in `pylib/re.py`. Bytes patterns are refused there.

use crate::value::*;
use crate::vm::{PyResult, Vm};
use fancy_regex::{Regex, RegexBuilder, RegexInput};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

const I: u32 = 2;
const L: u32 = 4;
const M: u32 = 8;
const S: u32 = 16;
const U: u32 = 32;
const X: u32 = 64;
const A: u32 = 256;
/// Internal: a bytes pattern (ASCII classes and case folding, bytes for chars \x80-\xff).
const BYTES: u32 = 1 << 20;
const MAXREPEAT: u64 = 4294967295;
/// Far above fancy-regex's default (1e6), which real patterns on long lines can reach while
/// CPython simply runs on; hitting it is reported, never taken as "no match".
const BACKTRACK_LIMIT: usize = 200_000_000;

/// A parse error: CPython's message and position (a code point index), or an overflow.
enum PErr {
    At(String, Option<usize>),
    Overflow,
    Unsupported(String),
}

#[derive(Clone, Copy, PartialEq)]
enum Cat {
    Digit,
    Word,
    Space,
}

#[derive(Clone)]
enum Item {
    Ch(char),
    Range(char, char),
    Cat(Cat, bool, bool), // category, negated, ascii
}

#[derive(Clone, Copy, PartialEq)]
enum Rep {
    Greedy,
    Lazy,
    Possessive,
}

#[derive(Clone)]
enum Node {
    Empty,
    Lit(char, u32),
    Any(bool),
    Class(bool, Vec<Item>, u32),
    Cat(Vec<Node>),
    Alt(Vec<Node>),
    Group(Option<usize>, Box<Node>),
    Look(bool, bool, Box<Node>), // behind, negated
    Atomic(Box<Node>),
    Repeat(u64, u64, Rep, Box<Node>),
    /// `^` `$` `\A` `\Z` `\b` `\B`, with the flags in force.
    At(char, u32),
    /// Group, flags, and the group's width (sre sizes a lookbehind's backreference by it).
    Backref(usize, u32, (u64, Option<u64>)),
    Cond(usize, Box<Node>, Box<Node>),
}

impl Node {
    fn is_at(&self) -> bool {
        matches!(self, Node::At(..))
    }
    fn has_group(&self) -> bool {
        match self {
            Node::Group(Some(_), _) => true,
            Node::Group(None, b)
            | Node::Look(_, _, b)
            | Node::Atomic(b)
            | Node::Repeat(_, _, _, b) => b.has_group(),
            Node::Cat(v) | Node::Alt(v) => v.iter().any(Node::has_group),
            Node::Cond(_, y, n) => y.has_group() || n.has_group(),
            _ => false,
        }
    }
    /// (min, max) width in code points; max = None for unbounded. A backreference is as wide
    /// as its group, as in CPython's getwidth.
    fn width(&self) -> (u64, Option<u64>) {
        match self {
            Node::Empty | Node::At(..) | Node::Look(..) => (0, Some(0)),
            Node::Lit(..) | Node::Any(_) | Node::Class(..) => (1, Some(1)),
            Node::Cat(v) => v.iter().fold((0, Some(0)), |(a, b), n| {
                let (c, d) = n.width();
                (a + c, b.zip(d).map(|(x, y)| x + y))
            }),
            Node::Alt(v) => {
                let mut lo = u64::MAX;
                let mut hi = Some(0);
                for n in v {
                    let (c, d) = n.width();
                    lo = lo.min(c);
                    hi = hi.zip(d).map(|(x, y): (u64, u64)| x.max(y));
                }
                (if v.is_empty() { 0 } else { lo }, hi)
            }
            Node::Group(_, b) | Node::Atomic(b) => b.width(),
            Node::Repeat(mn, mx, _, b) => {
                let (c, d) = b.width();
                let hi = if *mx == MAXREPEAT {
                    if d == Some(0) { Some(0) } else { None }
                } else {
                    d.map(|d| d * mx)
                };
                (c * mn, hi)
            }
            Node::Backref(_, _, w) => *w,
            Node::Cond(_, y, n) => {
                let (a, b) = y.width();
                let (c, d) = n.width();
                (a.min(c), b.zip(d).map(|(x, y)| x.max(y)))
            }
        }
    }
}

struct Parser {
    p: Vec<char>,
    i: usize,
    flags: u32,
    /// Number of capturing groups opened so far.
    groups: usize,
    /// closed[g] once group g has been closed.
    closed: Vec<bool>,
    /// Each closed group's (min, max) width.
    widths: Vec<(u64, Option<u64>)>,
    names: Vec<(String, usize)>,
    /// The innermost enclosing group of each group (0 = none), for `lastindex`.
    parent: Vec<usize>,
    open: Vec<usize>,
    lookbehind: Option<usize>,
    /// How many lookaheads enclose the parse position, and for each group whether one does.
    ahead: usize,
    in_ahead: Vec<bool>,
    condrefs: Vec<(usize, usize)>,
    /// Set when an inline `(?x)` turns verbose on after parsing started: parse again.
    restart_verbose: bool,
    variable_lookbehind: bool,
}

fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) if c == '_' || c.is_alphabetic() => {}
        _ => return false,
    }
    cs.all(|c| c == '_' || c.is_alphanumeric())
}

fn flag_bit(c: char) -> Option<u32> {
    Some(match c {
        'i' => I,
        'L' => L,
        'm' => M,
        's' => S,
        'x' => X,
        'a' => A,
        'u' => U,
        _ => return None,
    })
}

impl Parser {
    fn err<T>(&self, msg: impl Into<String>, back: usize) -> Result<T, PErr> {
        Err(PErr::At(msg.into(), Some(self.i - back)))
    }
    fn peek(&self) -> Option<char> {
        self.p.get(self.i).copied()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.i += 1;
        }
        c
    }
    /// sre's token: `\x` is one token of two characters. Returns (first, escaped char).
    fn token(&mut self) -> Result<Option<(char, Option<char>)>, PErr> {
        match self.next() {
            None => Ok(None),
            Some('\\') => match self.next() {
                None => self.err("bad escape (end of pattern)", 1),
                Some(c) => Ok(Some(('\\', Some(c)))),
            },
            Some(c) => Ok(Some((c, None))),
        }
    }
    fn getuntil(&mut self, term: char, what: &str) -> Result<String, PErr> {
        let mut s = String::new();
        loop {
            match self.next() {
                None => {
                    if s.is_empty() {
                        return self.err(format!("missing {what}"), 0);
                    }
                    let n = s.chars().count();
                    return self.err(format!("missing {term}, unterminated name"), n);
                }
                Some(c) if c == term => {
                    if s.is_empty() {
                        return self.err(format!("missing {what}"), 1);
                    }
                    return Ok(s);
                }
                Some(c) => s.push(c),
            }
        }
    }
    fn getwhile(&mut self, n: usize, ok: impl Fn(char) -> bool) -> String {
        let mut s = String::new();
        while s.len() < n {
            match self.peek() {
                Some(c) if ok(c) => {
                    s.push(c);
                    self.i += 1;
                }
                _ => break,
            }
        }
        s
    }
    fn checkgroupname(&self, name: &str, offset: usize) -> Result<(), PErr> {
        if !is_ident(name) {
            return self.err(
                format!("bad character in group name {}", pyrepr(name)),
                name.chars().count() + offset,
            );
        }
        Ok(())
    }
    fn checkgroup(&self, g: usize) -> bool {
        g <= self.groups && self.closed.get(g).copied().unwrap_or(false)
    }
    fn checklookbehindgroup(&self, g: usize) -> Result<(), PErr> {
        if let Some(lb) = self.lookbehind {
            // sre reports these two at the position after the reference.
            if !self.checkgroup(g) {
                return self.err("cannot refer to an open group", 0);
            }
            if g > lb {
                return self.err(
                    "cannot refer to group defined in the same lookbehind subpattern",
                    0,
                );
            }
        }
        Ok(())
    }

    /// Escapes shared by classes and the outside: \x \u \U \N and the one-letter ones.
    fn hex_escape(&mut self, c: char) -> Result<Option<char>, PErr> {
        if self.flags & BYTES != 0 && c != 'x' {
            return Ok(None);
        }
        let (n, pre) = match c {
            'x' => (2, "\\x"),
            'u' => (4, "\\u"),
            'U' => (8, "\\U"),
            'N' => {
                return Err(PErr::Unsupported(
                    "named character escapes (\\N{...}) in patterns".into(),
                ));
            }
            _ => return Ok(None),
        };
        let digits = self.getwhile(n, |c| c.is_ascii_hexdigit());
        let esc = format!("{pre}{digits}");
        if digits.len() != n {
            return self.err(format!("incomplete escape {esc}"), esc.chars().count());
        }
        let v = u32::from_str_radix(&digits, 16).unwrap_or(0);
        match char::from_u32(v) {
            Some(ch) => Ok(Some(ch)),
            None if v > 0x10FFFF => self.err(format!("bad escape {esc}"), esc.chars().count()),
            None => Err(PErr::Unsupported(
                "lone surrogate code points in patterns".into(),
            )),
        }
    }

    fn simple_escape(c: char) -> Option<char> {
        Some(match c {
            'a' => '\x07',
            'f' => '\x0c',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\x0b',
            '\\' => '\\',
            _ => return None,
        })
    }

    fn category(&self, c: char) -> Option<Item> {
        let ascii = self.flags & (A | BYTES) != 0;
        Some(match c {
            'd' => Item::Cat(Cat::Digit, false, ascii),
            'D' => Item::Cat(Cat::Digit, true, ascii),
            'w' => Item::Cat(Cat::Word, false, ascii),
            'W' => Item::Cat(Cat::Word, true, ascii),
            's' => Item::Cat(Cat::Space, false, ascii),
            'S' => Item::Cat(Cat::Space, true, ascii),
            _ => return None,
        })
    }

    /// An escape inside a class: a character or a category.
    fn class_escape(&mut self, c: char) -> Result<Item, PErr> {
        if c == 'b' {
            return Ok(Item::Ch('\x08'));
        }
        if let Some(ch) = Self::simple_escape(c) {
            return Ok(Item::Ch(ch));
        }
        if let Some(it) = self.category(c) {
            return Ok(it);
        }
        if let Some(ch) = self.hex_escape(c)? {
            return Ok(Item::Ch(ch));
        }
        if ('0'..='7').contains(&c) {
            let more = self.getwhile(2, |c| ('0'..='7').contains(&c));
            let esc = format!("\\{c}{more}");
            let v = u32::from_str_radix(&esc[1..], 8).unwrap_or(0);
            if v > 0o377 {
                return self.err(
                    format!("octal escape value {esc} outside of range 0-0o377"),
                    esc.chars().count(),
                );
            }
            return Ok(Item::Ch(char::from_u32(v).unwrap_or('\0')));
        }
        if c.is_ascii_alphanumeric() {
            return self.err(format!("bad escape \\{c}"), 2);
        }
        Ok(Item::Ch(c))
    }

    /// An escape outside a class.
    fn escape(&mut self, c: char) -> Result<Node, PErr> {
        let f = self.flags;
        match c {
            'A' | 'Z' | 'b' | 'B' => return Ok(Node::At(c, f)),
            _ => {}
        }
        if let Some(ch) = Self::simple_escape(c) {
            return Ok(Node::Lit(ch, f));
        }
        if let Some(it) = self.category(c) {
            return Ok(Node::Class(false, vec![it], f));
        }
        if let Some(ch) = self.hex_escape(c)? {
            return Ok(Node::Lit(ch, f));
        }
        if c == '0' {
            let more = self.getwhile(2, |c| ('0'..='7').contains(&c));
            let v = u32::from_str_radix(&format!("0{more}"), 8).unwrap_or(0);
            return Ok(Node::Lit(char::from_u32(v).unwrap_or('\0'), f));
        }
        if c.is_ascii_digit() {
            let mut esc = format!("\\{c}");
            if let Some(d) = self.peek().filter(|d| d.is_ascii_digit()) {
                self.i += 1;
                esc.push(d);
                let oct = |x: char| ('0'..='7').contains(&x);
                if oct(c) && oct(d) && self.peek().is_some_and(oct) {
                    esc.push(self.next().unwrap_or('0'));
                    let v = u32::from_str_radix(&esc[1..], 8).unwrap_or(0);
                    if v > 0o377 {
                        return self.err(
                            format!("octal escape value {esc} outside of range 0-0o377"),
                            esc.len(),
                        );
                    }
                    return Ok(Node::Lit(char::from_u32(v).unwrap_or('\0'), f));
                }
            }
            let g: usize = esc[1..].parse().unwrap_or(0);
            if g <= self.groups {
                if !self.checkgroup(g) {
                    return self.err("cannot refer to an open group", esc.len());
                }
                self.checklookbehindgroup(g)?;
                return Ok(Node::Backref(g, f, self.widths[g]));
            }
            return self.err(format!("invalid group reference {g}"), esc.len() - 1);
        }
        if c.is_ascii_alphabetic() {
            return self.err(format!("bad escape \\{c}"), 2);
        }
        Ok(Node::Lit(c, f))
    }

    fn skip_verbose(&mut self) {
        loop {
            match self.peek() {
                Some(c) if " \t\n\r\x0b\x0c".contains(c) => self.i += 1,
                Some('#') => {
                    while let Some(c) = self.next() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn parse_sub(&mut self, verbose: bool, nested: usize) -> Result<Node, PErr> {
        let mut alts = vec![self.parse_seq(verbose, nested + 1, nested == 0)?];
        while self.eat('|') {
            alts.push(self.parse_seq(verbose, nested + 1, false)?);
            if self.restart_verbose {
                return Ok(Node::Empty);
            }
        }
        if alts.len() == 1 {
            Ok(alts.pop().unwrap_or(Node::Empty))
        } else {
            Ok(Node::Alt(alts))
        }
    }

    fn parse_seq(&mut self, verbose: bool, nested: usize, first: bool) -> Result<Node, PErr> {
        let mut items: Vec<Node> = Vec::new();
        loop {
            if verbose {
                self.skip_verbose();
            }
            let Some(this) = self.peek() else { break };
            if this == '|' || this == ')' {
                break;
            }
            let start = self.i;
            let Some((c, esc)) = self.token()? else { break };
            if let Some(e) = esc {
                let n = self.escape(e)?;
                items.push(n);
                continue;
            }
            let f = self.flags;
            match c {
                '[' => items.push(self.parse_class(start)?),
                '*' | '+' | '?' | '{' => {
                    let here = self.i;
                    let (mn, mx) = match c {
                        '?' => (0, 1),
                        '*' => (0, MAXREPEAT),
                        '+' => (1, MAXREPEAT),
                        _ => {
                            if self.peek() == Some('}') {
                                items.push(Node::Lit('{', f));
                                continue;
                            }
                            let lo = self.getwhile(usize::MAX, |c| c.is_ascii_digit());
                            let hi = if self.eat(',') {
                                Some(self.getwhile(usize::MAX, |c| c.is_ascii_digit()))
                            } else {
                                None
                            };
                            if !self.eat('}') {
                                items.push(Node::Lit('{', f));
                                self.i = here;
                                continue;
                            }
                            let num = |s: &str| -> Result<u64, PErr> {
                                match s.parse::<u64>() {
                                    Ok(v) if v < MAXREPEAT => Ok(v),
                                    _ => Err(PErr::Overflow),
                                }
                            };
                            let mn = if lo.is_empty() { 0 } else { num(&lo)? };
                            let mx = match &hi {
                                None => mn,
                                Some(h) if h.is_empty() => MAXREPEAT,
                                Some(h) => num(h)?,
                            };
                            if hi.as_ref().is_some_and(|h| !h.is_empty()) && mx < mn {
                                return self
                                    .err("min repeat greater than max repeat", self.i - here);
                            }
                            (mn, mx)
                        }
                    };
                    let back = self.i - here + 1;
                    let Some(item) = items.pop() else {
                        return self.err("nothing to repeat", back);
                    };
                    if item.is_at() {
                        return self.err("nothing to repeat", back);
                    }
                    if matches!(item, Node::Repeat(..)) {
                        return self.err("multiple repeat", back);
                    }
                    let kind = if self.eat('?') {
                        Rep::Lazy
                    } else if self.eat('+') {
                        Rep::Possessive
                    } else {
                        Rep::Greedy
                    };
                    items.push(Node::Repeat(mn, mx, kind, Box::new(item)));
                }
                '.' => items.push(Node::Any(f & S != 0)),
                '^' => items.push(Node::At('^', f)),
                '$' => items.push(Node::At('$', f)),
                '(' => {
                    if let Some(n) =
                        self.parse_group(start, verbose, nested, first && items.is_empty())?
                    {
                        items.push(n);
                    }
                    if self.restart_verbose {
                        return Ok(Node::Empty);
                    }
                }
                _ => items.push(Node::Lit(c, f)),
            }
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Cat(items),
        })
    }

    /// One member of a character class as the token reader gave it (`c`, or the escape
    /// `\e`): the item, and its text as written, for a bad range's message.
    fn class_atom(&mut self, c: char, esc: Option<char>) -> Result<(Item, String), PErr> {
        Ok(match esc {
            Some(e) => (self.class_escape(e)?, format!("\\{e}")),
            None => (Item::Ch(c), c.to_string()),
        })
    }

    fn parse_class(&mut self, start: usize) -> Result<Node, PErr> {
        let neg = self.eat('^');
        let mut set: Vec<Item> = Vec::new();
        loop {
            let Some((this, esc)) = self.token()? else {
                return self.err("unterminated character set", self.i - start);
            };
            if this == ']' && esc.is_none() && !set.is_empty() {
                break;
            }
            let (code1, text1) = self.class_atom(this, esc)?;
            if self.eat('-') {
                let Some((that, esc2)) = self.token()? else {
                    return self.err("unterminated character set", self.i - start);
                };
                if that == ']' && esc2.is_none() {
                    set.push(code1);
                    set.push(Item::Ch('-'));
                    break;
                }
                let (code2, text2) = self.class_atom(that, esc2)?;
                let back = text1.chars().count() + 1 + text2.chars().count();
                match (code1, code2) {
                    (Item::Ch(lo), Item::Ch(hi)) if hi >= lo => set.push(Item::Range(lo, hi)),
                    _ => return self.err(format!("bad character range {text1}-{text2}"), back),
                }
            } else {
                set.push(code1);
            }
        }
        Ok(Node::Class(neg, set, self.flags))
    }

    fn parse_flags(&mut self, mut c: char) -> Result<Option<(u32, u32)>, PErr> {
        let mut add = 0;
        let mut del = 0;
        if c != '-' {
            loop {
                let Some(bit) = flag_bit(c) else {
                    return self.err("unknown flag", 1);
                };
                if c == 'L' {
                    if self.flags & BYTES == 0 {
                        return self.err(
                            "bad inline flags: cannot use 'L' flag with a str pattern",
                            0,
                        );
                    }
                    return Err(PErr::Unsupported("the LOCALE flag".into()));
                }
                if c == 'u' && self.flags & BYTES != 0 {
                    return self.err(
                        "bad inline flags: cannot use 'u' flag with a bytes pattern",
                        0,
                    );
                }
                add |= bit;
                if bit & (A | U | L) != 0 && add & (A | U | L) != bit {
                    return self.err(
                        "bad inline flags: flags 'a', 'u' and 'L' are incompatible",
                        0,
                    );
                }
                match self.next() {
                    None => return self.err("missing -, : or )", 0),
                    Some(n) if ")-:".contains(n) => {
                        c = n;
                        break;
                    }
                    Some(n) if flag_bit(n).is_some() => c = n,
                    Some(n) => {
                        let msg = if n.is_alphabetic() {
                            "unknown flag"
                        } else {
                            "missing -, : or )"
                        };
                        return self.err(msg, 1);
                    }
                }
            }
        }
        if c == ')' {
            self.flags |= add;
            return Ok(None);
        }
        if c == '-' {
            match self.next() {
                None => return self.err("missing flag", 0),
                Some(n) if flag_bit(n).is_some() => c = n,
                Some(n) => {
                    let msg = if n.is_alphabetic() {
                        "unknown flag"
                    } else {
                        "missing flag"
                    };
                    return self.err(msg, 1);
                }
            }
            loop {
                let bit = flag_bit(c).unwrap_or(0);
                if bit & (A | U | L) != 0 {
                    return self.err(
                        "bad inline flags: cannot turn off flags 'a', 'u' and 'L'",
                        0,
                    );
                }
                del |= bit;
                match self.next() {
                    None => return self.err("missing :", 0),
                    Some(':') => break,
                    Some(n) if flag_bit(n).is_some() => c = n,
                    Some(n) => {
                        let msg = if n.is_alphabetic() {
                            "unknown flag"
                        } else {
                            "missing :"
                        };
                        return self.err(msg, 1);
                    }
                }
            }
        }
        if add & del != 0 {
            return self.err("bad inline flags: flag turned on and off", 1);
        }
        Ok(Some((add, del)))
    }

    fn parse_group(
        &mut self,
        start: usize,
        verbose: bool,
        nested: usize,
        first: bool,
    ) -> Result<Option<Node>, PErr> {
        let mut capture = true;
        let mut atomic = false;
        let mut name: Option<String> = None;
        let mut scoped: Option<(u32, u32)> = None;
        if self.eat('?') {
            let Some(c) = self.next() else {
                return self.err("unexpected end of pattern", 0);
            };
            match c {
                'P' => {
                    if self.eat('<') {
                        let n = self.getuntil('>', "group name")?;
                        self.checkgroupname(&n, 1)?;
                        name = Some(n);
                    } else if self.eat('=') {
                        let n = self.getuntil(')', "group name")?;
                        self.checkgroupname(&n, 1)?;
                        let back = n.chars().count() + 1;
                        let Some(g) = self.names.iter().find(|(k, _)| *k == n).map(|x| x.1) else {
                            return self.err(format!("unknown group name {}", pyrepr(&n)), back);
                        };
                        if !self.checkgroup(g) {
                            return self.err("cannot refer to an open group", back);
                        }
                        self.checklookbehindgroup(g)?;
                        return Ok(Some(Node::Backref(g, self.flags, self.widths[g])));
                    } else {
                        let Some(c2) = self.next() else {
                            return self.err("unexpected end of pattern", 0);
                        };
                        return self.err(format!("unknown extension ?P{c2}"), 3);
                    }
                }
                ':' => capture = false,
                '#' => loop {
                    match self.next() {
                        None => return self.err("missing ), unterminated comment", self.i - start),
                        Some(')') => return Ok(None),
                        Some(_) => {}
                    }
                },
                '=' | '!' | '<' => {
                    let mut kind = c;
                    let behind = c == '<';
                    let saved = self.lookbehind;
                    if behind {
                        match self.next() {
                            None => return self.err("unexpected end of pattern", 0),
                            Some(k @ ('=' | '!')) => kind = k,
                            Some(k) => return self.err(format!("unknown extension ?<{k}"), 3),
                        }
                        if self.lookbehind.is_none() {
                            self.lookbehind = Some(self.groups);
                        }
                    }
                    self.ahead += usize::from(!behind);
                    let body = self.parse_sub(verbose, nested + 1)?;
                    self.ahead -= usize::from(!behind);
                    if behind {
                        self.lookbehind = saved;
                    }
                    if !self.eat(')') {
                        return self.err("missing ), unterminated subpattern", self.i - start);
                    }
                    if behind {
                        let (lo, hi) = body.width();
                        // sre finds this when compiling, after the whole pattern parsed.
                        if hi != Some(lo) {
                            self.variable_lookbehind = true;
                        }
                    }
                    return Ok(Some(Node::Look(behind, kind == '!', Box::new(body))));
                }
                '(' => {
                    let cond = self.getuntil(')', "group name")?;
                    let back = cond.chars().count() + 1;
                    let g = if is_ident(&cond) {
                        match self.names.iter().find(|(k, _)| *k == cond) {
                            Some((_, g)) => *g,
                            None => {
                                return self
                                    .err(format!("unknown group name {}", pyrepr(&cond)), back);
                            }
                        }
                    } else {
                        let Ok(g) = cond.parse::<usize>() else {
                            return self.err(
                                format!("bad character in group name {}", pyrepr(&cond)),
                                back,
                            );
                        };
                        if g == 0 {
                            return self.err("bad group number", back);
                        }
                        if g >= 100 {
                            return self.err(format!("invalid group reference {g}"), back);
                        }
                        self.condrefs.push((g, self.i - back));
                        g
                    };
                    self.checklookbehindgroup(g)?;
                    let yes = self.parse_seq(verbose, nested + 1, false)?;
                    let no = if self.eat('|') {
                        let n = self.parse_seq(verbose, nested + 1, false)?;
                        if self.peek() == Some('|') {
                            return self.err("conditional backref with more than two branches", 0);
                        }
                        n
                    } else {
                        Node::Empty
                    };
                    if !self.eat(')') {
                        return self.err("missing ), unterminated subpattern", self.i - start);
                    }
                    return Ok(Some(Node::Cond(g, Box::new(yes), Box::new(no))));
                }
                '>' => {
                    capture = false;
                    atomic = true;
                }
                c if flag_bit(c).is_some() || c == '-' => match self.parse_flags(c)? {
                    None => {
                        if !first {
                            return self.err(
                                "global flags not at the start of the expression",
                                self.i - start,
                            );
                        }
                        if self.flags & X != 0 && !verbose {
                            self.restart_verbose = true;
                        }
                        return Ok(None);
                    }
                    Some(ad) => {
                        capture = false;
                        scoped = Some(ad);
                    }
                },
                c => return self.err(format!("unknown extension ?{c}"), 2),
            }
        }
        let group = if capture {
            let g = self.groups + 1;
            if g >= 100 {
                // CPython allows more, but fancy-regex's backreference syntax stops at \99:
                // refused rather than renumbered.
                return Err(PErr::Unsupported("more than 99 capturing groups".into()));
            }
            if let Some(n) = &name {
                if let Some((_, old)) = self.names.iter().find(|(k, _)| k == n) {
                    return self.err(
                        format!(
                            "redefinition of group name {} as group {g}; was group {old}",
                            pyrepr(n)
                        ),
                        n.chars().count() + 1,
                    );
                }
                self.names.push((n.clone(), g));
            }
            self.groups = g;
            self.closed.push(false);
            self.widths.push((0, None));
            self.parent.push(self.open.last().copied().unwrap_or(0));
            self.in_ahead.push(self.ahead > 0);
            self.open.push(g);
            Some(g)
        } else {
            None
        };
        let saved_flags = self.flags;
        let mut sub_verbose = verbose;
        if let Some((add, del)) = scoped {
            self.flags = (self.flags | add) & !del;
            if add & A != 0 {
                self.flags &= !U;
            }
            if add & U != 0 {
                self.flags &= !A;
            }
            sub_verbose = (verbose || add & X != 0) && del & X == 0;
        }
        let body = self.parse_sub(sub_verbose, nested + 1)?;
        self.flags = saved_flags;
        if !self.eat(')') {
            return self.err("missing ), unterminated subpattern", self.i - start);
        }
        if let Some(g) = group {
            self.closed[g] = true;
            self.widths[g] = body.width();
            self.open.pop();
        }
        Ok(Some(if atomic {
            Node::Atomic(Box::new(body))
        } else {
            Node::Group(group, Box::new(body))
        }))
    }
}

fn pyrepr(s: &str) -> String {
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

/// The parsed pattern: the tree, the effective flags, the group table.
struct Parsed {
    tree: Node,
    flags: u32,
    groups: usize,
    names: Vec<(String, usize)>,
    parent: Vec<usize>,
    in_ahead: Vec<bool>,
}

fn parse(pattern: &str, flags: u32) -> Result<Parsed, PErr> {
    let mut flags = flags;
    loop {
        let mut p = Parser {
            p: pattern.chars().collect(),
            i: 0,
            flags,
            groups: 0,
            closed: vec![true],
            widths: vec![(0, None)],
            names: Vec::new(),
            parent: vec![0],
            ahead: 0,
            in_ahead: vec![false],
            open: Vec::new(),
            lookbehind: None,
            condrefs: Vec::new(),
            restart_verbose: false,
            variable_lookbehind: false,
        };
        let tree = p.parse_sub(flags & X != 0, 0)?;
        if p.restart_verbose {
            flags = p.flags | X;
            continue;
        }
        if p.peek().is_some() {
            // Only ')' stops the top level early.
            return p.err("unbalanced parenthesis", 0);
        }
        for (g, pos) in &p.condrefs {
            if *g > p.groups {
                return Err(PErr::At(format!("invalid group reference {g}"), Some(*pos)));
            }
        }
        if p.variable_lookbehind {
            return Err(PErr::At(
                "look-behind requires fixed-width pattern".into(),
                None,
            ));
        }
        let mut fl = p.flags & !BYTES;
        if fl & A == 0 && p.flags & BYTES == 0 {
            fl |= U;
        }
        if fl & A != 0 && fl & U != 0 {
            return Err(PErr::At(
                "ASCII and UNICODE flags are incompatible".into(),
                None,
            ));
        }
        return Ok(Parsed {
            tree,
            flags: fl,
            groups: p.groups,
            names: p.names,
            parent: p.parent,
            in_ahead: p.in_ahead,
        });
    }
}

// ---------------------------------------------------------------------------------------
// Emission in fancy-regex syntax.

fn push_char(out: &mut String, c: char) {
    // Everything but ASCII letters and digits as \x{..}: also what makes \x80-\xff one
    // byte in a bytes pattern.
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    }
}

const WORD_U: &str = r"\p{L}\p{N}_";
const WORD_A: &str = "0-9A-Za-z_";
const SPACE_U: &str = r"\s\x{1C}-\x{1F}";
const SPACE_A: &str = r" \t\n\r\x{0B}\x{0C}";

fn cat_body(cat: Cat, ascii: bool) -> &'static str {
    match (cat, ascii) {
        (Cat::Digit, false) => r"\d",
        (Cat::Digit, true) => "0-9",
        (Cat::Word, false) => WORD_U,
        (Cat::Word, true) => WORD_A,
        (Cat::Space, false) => SPACE_U,
        (Cat::Space, true) => SPACE_A,
    }
}

fn fold_ascii(lo: char, hi: char, out: &mut Vec<(char, char)>) {
    out.push((lo, hi));
    for (a, b, shift) in [('a', 'z', -32i32), ('A', 'Z', 32)] {
        let l = lo.max(a);
        let h = hi.min(b);
        if l <= h {
            let m = |c: char| char::from_u32((c as i32 + shift) as u32).unwrap_or(c);
            out.push((m(l), m(h)));
        }
    }
}

fn emit_class(out: &mut String, neg: bool, items: &[Item], flags: u32) {
    let icase = flags & I != 0;
    let ascii_fold = icase && flags & (A | BYTES) != 0;
    if icase && !ascii_fold {
        out.push_str("(?i:");
    }
    out.push('[');
    if neg {
        out.push('^');
    }
    if items.is_empty() {
        // Cannot happen from the parser; keep the class valid anyway.
        out.push_str(r"\x{0}&&\x{1}");
    }
    for it in items {
        match it {
            Item::Ch(c) | Item::Range(c, _) => {
                let hi = if let Item::Range(_, h) = it { *h } else { *c };
                let mut ranges = Vec::new();
                if ascii_fold {
                    fold_ascii(*c, hi, &mut ranges);
                } else {
                    ranges.push((*c, hi));
                }
                for (l, h) in ranges {
                    push_char(out, l);
                    if h != l {
                        out.push('-');
                        push_char(out, h);
                    }
                }
            }
            Item::Cat(cat, negc, ascii) => {
                if *negc {
                    out.push_str("[^");
                    out.push_str(cat_body(*cat, *ascii));
                    out.push(']');
                } else if *cat == Cat::Digit && !*ascii {
                    out.push_str(r"\d");
                } else {
                    out.push('[');
                    out.push_str(cat_body(*cat, *ascii));
                    out.push(']');
                }
            }
        }
    }
    out.push(']');
    if icase && !ascii_fold {
        out.push(')');
    }
}

fn emit(n: &Node, out: &mut String) -> Result<(), PErr> {
    match n {
        Node::Empty => out.push_str("(?:)"),
        Node::Lit(c, f) => {
            if f & I != 0 && c.is_alphabetic() {
                if f & (A | BYTES) != 0 {
                    if c.is_ascii_alphabetic() {
                        emit_class(out, false, &[Item::Ch(*c)], *f);
                    } else {
                        push_char(out, *c);
                    }
                } else {
                    out.push_str("(?i:");
                    push_char(out, *c);
                    out.push(')');
                }
            } else {
                push_char(out, *c);
            }
        }
        Node::Any(dotall) => out.push_str(if *dotall { "(?s:.)" } else { "." }),
        Node::Class(neg, items, f) => emit_class(out, *neg, items, *f),
        Node::Cat(v) => {
            for x in v {
                emit(x, out)?;
            }
        }
        Node::Alt(v) => {
            out.push_str("(?:");
            for (k, x) in v.iter().enumerate() {
                if k > 0 {
                    out.push('|');
                }
                emit(x, out)?;
            }
            out.push(')');
        }
        Node::Group(g, b) => {
            out.push_str(if g.is_some() { "(" } else { "(?:" });
            emit(b, out)?;
            out.push(')');
        }
        Node::Look(behind, negd, b) => {
            out.push_str(match (behind, negd) {
                (false, false) => "(?=",
                (false, true) => "(?!",
                (true, false) => "(?<=",
                (true, true) => "(?<!",
            });
            emit(b, out)?;
            out.push(')');
        }
        Node::Atomic(b) => {
            out.push_str("(?>");
            emit(b, out)?;
            out.push(')');
        }
        Node::Repeat(mn, mx, kind, b) => {
            let (lo, hi) = b.width();
            if hi == Some(0) {
                // A zero-width body (a lookaround, an anchor in a group): repeating it is the
                // same as trying it once, and the engine refuses repetition operators on it.
                let (open, close) = if *kind == Rep::Possessive {
                    ("(?>", ")")
                } else {
                    ("(?:", ")")
                };
                out.push_str(open);
                if *mn == 0 && *kind == Rep::Lazy {
                    out.push('|');
                    emit(b, out)?;
                } else {
                    emit(b, out)?;
                    if *mn == 0 {
                        out.push('|');
                    }
                }
                out.push_str(close);
                return Ok(());
            }
            if lo == 0 && *mx > 1 && b.has_group() {
                // sre runs one more, empty, iteration and keeps its captures ('' for `(a*)*`
                // on "aa"); the engine keeps the last non-empty one. Refused, not approximated.
                return Err(PErr::Unsupported(
                    "repeating a group that can match the empty string and contains capturing groups".into(),
                ));
            }
            if *kind == Rep::Possessive {
                out.push_str("(?>");
            }
            out.push_str("(?:");
            emit(b, out)?;
            out.push(')');
            match (*mn, *mx) {
                (0, MAXREPEAT) => out.push('*'),
                (1, MAXREPEAT) => out.push('+'),
                (0, 1) => out.push('?'),
                (m, MAXREPEAT) => out.push_str(&format!("{{{m},}}")),
                (m, x) if m == x => out.push_str(&format!("{{{m}}}")),
                (m, x) => out.push_str(&format!("{{{m},{x}}}")),
            }
            match kind {
                Rep::Lazy => out.push('?'),
                Rep::Possessive => out.push(')'),
                Rep::Greedy => {}
            }
        }
        Node::At(c, f) => {
            let w = if f & (A | BYTES) != 0 { WORD_A } else { WORD_U };
            match c {
                '^' if f & M != 0 => out.push_str("(?m:^)"),
                '^' | 'A' => out.push_str(r"\A"),
                '$' if f & M != 0 => out.push_str("(?m:$)"),
                '$' => out.push_str(r"(?=\n?\z)"),
                'Z' => out.push_str(r"\z"),
                'b' => out.push_str(&format!("(?:(?<=[{w}])(?![{w}])|(?<![{w}])(?=[{w}]))")),
                _ => out.push_str(&format!(
                    r"(?:(?<=[{w}])(?=[{w}])|(?<![{w}])(?![{w}])(?!\A\z))"
                )),
            }
        }
        Node::Backref(g, f, _) => {
            if f & I != 0 {
                if f & A != 0 && f & BYTES == 0 {
                    return Err(PErr::Unsupported(
                        "backreferences under re.ASCII | re.IGNORECASE".into(),
                    ));
                }
                out.push_str(&format!("(?i:\\k<{g}>)"));
            } else {
                out.push_str(&format!("(?:\\k<{g}>)"));
            }
        }
        Node::Cond(g, y, no) => {
            out.push_str(&format!("(?({g})"));
            emit(y, out)?;
            out.push('|');
            emit(no, out)?;
            out.push(')');
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Compiled patterns and searching.

struct Compiled {
    engine: String,
    search: Regex,
    full: OnceCell<Result<Regex, String>>,
    nonempty: OnceCell<Option<Regex>>,
    groups: usize,
    parent: Vec<usize>,
    in_ahead: Vec<bool>,
    bytes: bool,
    flags: u32,
    names: Vec<(String, usize)>,
}

fn build(src: String, nonempty: bool, bytes: bool) -> Result<Regex, String> {
    let mut b = RegexBuilder::new(&src);
    b.backtrack_limit(BACKTRACK_LIMIT);
    if bytes {
        b.bytes_mode(fancy_regex::BytesMode::Ascii);
    }
    if nonempty {
        b.find_not_empty(true);
    }
    b.build().map_err(|e| e.to_string())
}

/// Compiled patterns by handle, and the handle of each (pattern, flags).
type Table = (Vec<Rc<Compiled>>, HashMap<(String, u32), usize>);
/// A non-ASCII str and the byte offset of each of its code points.
type Offsets = Option<(Rc<PyStr>, Rc<Vec<usize>>)>;

thread_local! {
    /// Compiled patterns, deduplicated by (pattern, flags). A handle is an index here and
    /// stays valid for the thread's life; the table grows only with distinct patterns.
    static TABLE: RefCell<Table> =
        RefCell::new((Vec::new(), HashMap::new()));
    /// The char → byte table of the last non-ASCII string searched (kept alive with it).
    static OFFSETS: RefCell<Offsets> = const { RefCell::new(None) };
}

fn unsupported(vm: &mut Vm, what: &str) -> crate::vm::PyErr {
    vm.err(
        "NotImplementedError",
        format!("vigil: re does not support {what}"),
    )
}

fn int_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<i64> {
    match v {
        Some(Value::Int(i)) => Ok(*i),
        Some(Value::Bool(b)) => Ok(*b as i64),
        _ => Err(vm.type_error("_vigil_re: expected an int")),
    }
}

/// compile(pattern, flags) -> (handle, flags, groups, [(name, index)]) or
/// (None, message, position-or-None) for a bad pattern.
fn re_compile(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    let (text, bytes) = match a.first() {
        Some(Value::Str(ps)) => (ps.s.to_string(), false),
        // A bytes pattern is parsed as Latin-1 text: one char per byte, as sre sees it.
        Some(Value::Bytes(b)) => (b.iter().map(|&x| x as char).collect(), true),
        _ => return Err(vm.type_error("_vigil_re.compile: pattern must be str or bytes")),
    };
    let flags = int_arg(vm, a.get(1))? as u32 | if bytes { BYTES } else { 0 };
    let key = (text, flags);
    if let Some(h) = TABLE.with(|t| t.borrow().1.get(&key).copied()) {
        let c = TABLE.with(|t| t.borrow().0[h].clone());
        return Ok(describe(h, &c));
    }
    let parsed = match parse(&key.0, flags) {
        Ok(p) => p,
        Err(PErr::At(msg, pos)) => {
            return Ok(Value::tuple(vec![
                Value::None,
                Value::string(msg),
                pos.map_or(Value::None, |p| Value::Int(p as i64)),
            ]));
        }
        Err(PErr::Overflow) => {
            return Err(vm.err("OverflowError", "the repetition number is too large"));
        }
        Err(PErr::Unsupported(w)) => return Err(unsupported(vm, &w)),
    };
    let mut src = String::new();
    if let Err(e) = emit(&parsed.tree, &mut src) {
        return Err(match e {
            PErr::Unsupported(w) => unsupported(vm, &w),
            _ => unsupported(vm, "this pattern"),
        });
    }
    let search = match build(src.clone(), false, bytes) {
        Ok(r) => r,
        Err(e) => return Err(unsupported(vm, &format!("this pattern (engine: {e})"))),
    };
    let c = Rc::new(Compiled {
        engine: src,
        search,
        full: OnceCell::new(),
        nonempty: OnceCell::new(),
        groups: parsed.groups,
        parent: parsed.parent,
        in_ahead: parsed.in_ahead,
        bytes,
        flags: parsed.flags,
        names: parsed.names,
    });
    let h = TABLE.with(|t| {
        let mut t = t.borrow_mut();
        t.0.push(c.clone());
        let h = t.0.len() - 1;
        t.1.insert(key, h);
        h
    });
    Ok(describe(h, &c))
}

fn describe(h: usize, c: &Compiled) -> Value {
    let names = c
        .names
        .iter()
        .map(|(n, g)| Value::tuple(vec![Value::str(n), Value::Int(*g as i64)]))
        .collect();
    Value::tuple(vec![
        Value::Int(h as i64),
        Value::Int(c.flags as i64),
        Value::Int(c.groups as i64),
        Value::list(names),
    ])
}

fn compiled(vm: &mut Vm, v: Option<&Value>) -> PyResult<Rc<Compiled>> {
    let h = int_arg(vm, v)? as usize;
    TABLE
        .with(|t| t.borrow().0.get(h).cloned())
        .ok_or_else(|| vm.value_error("_vigil_re: bad handle"))
}

/// Byte offsets of each code point of `s` (and its end), or None for an ASCII string.
fn offsets(s: &Rc<PyStr>) -> Option<Rc<Vec<usize>>> {
    if s.nchars == s.s.len() {
        return None;
    }
    OFFSETS.with(|o| {
        let mut o = o.borrow_mut();
        if let Some((k, v)) = o.as_ref()
            && Rc::ptr_eq(k, s)
        {
            return Some(v.clone());
        }
        let mut v: Vec<usize> = s.s.char_indices().map(|(b, _)| b).collect();
        v.push(s.s.len());
        let v = Rc::new(v);
        *o = Some((s.clone(), v.clone()));
        Some(v)
    })
}

struct Text<'a> {
    hay: Hay<'a>,
    offs: Option<Rc<Vec<usize>>>,
}

impl Text<'_> {
    fn byte(&self, ch: usize) -> usize {
        match &self.offs {
            None => ch,
            Some(v) => v[ch],
        }
    }
    fn cut(&self, a: usize, b: usize) -> Value {
        match self.hay {
            Hay::Str(s) => Value::string_n(s[a..b].to_string(), self.ch(b) - self.ch(a)),
            Hay::Bytes(x) => Value::Bytes(Rc::new(x[a..b].to_vec())),
        }
    }
    fn ch(&self, b: usize) -> usize {
        match &self.offs {
            None => b,
            Some(v) => v.binary_search(&b).unwrap_or_else(|i| i),
        }
    }
}

enum Found {
    No,
    Yes(Vec<Option<(usize, usize)>>),
}

/// The text searched: a str's UTF-8, or a bytes object's bytes.
#[derive(Clone, Copy)]
enum Hay<'a> {
    Str(&'a str),
    Bytes(&'a [u8]),
}

impl<'a> Hay<'a> {
    fn len(&self) -> usize {
        match self {
            Hay::Str(s) => s.len(),
            Hay::Bytes(b) => b.len(),
        }
    }
    fn upto(&self, end: usize) -> Hay<'a> {
        match *self {
            Hay::Str(s) => Hay::Str(&s[..end]),
            Hay::Bytes(b) => Hay::Bytes(&b[..end]),
        }
    }
    /// The offset just past the code point (or byte) at `pos`.
    fn after(&self, pos: usize) -> usize {
        match self {
            Hay::Str(s) => pos + s[pos..].chars().next().map_or(1, |ch| ch.len_utf8()),
            Hay::Bytes(_) => pos + 1,
        }
    }
}

fn run(re: &Regex, hay: Hay<'_>, p: usize, anchored: bool, groups: usize) -> Result<Found, String> {
    let spans = match hay {
        Hay::Str(h) => re
            .captures_input(RegexInput::new(h).from_pos(p).anchored(anchored))
            .map_err(|e| e.to_string())?
            .map(|cp| {
                (0..=groups)
                    .map(|g| cp.get(g).map(|m| (m.start(), m.end())))
                    .collect()
            }),
        Hay::Bytes(h) => re
            .captures_input(RegexInput::new(h).from_pos(p).anchored(anchored))
            .map_err(|e| e.to_string())?
            .map(|cp| {
                (0..=groups)
                    .map(|g| cp.get(g).map(|m| (m.start(), m.end())))
                    .collect()
            }),
    };
    Ok(spans.map_or(Found::No, Found::Yes))
}

/// One search in `hay` (already cut at endpos) from `pos` (byte offsets): mode 0 search,
/// 1 match, 2 fullmatch. With `must_advance`, an empty match at `pos` is not accepted
/// (CPython's rule for the search after an empty match in findall/finditer/sub/split).
fn step(
    c: &Compiled,
    hay: Hay<'_>,
    pos: usize,
    mode: u8,
    must_advance: bool,
) -> Result<Found, String> {
    let g = c.groups;
    if mode == 2 {
        let full = c
            .full
            .get_or_init(|| build(format!("(?:{})\\z", c.engine), false, c.bytes));
        return match full {
            Ok(re) => run(re, hay, pos, true, g),
            Err(e) => Err(e.clone()),
        };
    }
    if !must_advance {
        return run(&c.search, hay, pos, mode == 1, g);
    }
    let ne = c
        .nonempty
        .get_or_init(|| build(c.engine.clone(), true, c.bytes).ok());
    if let Some(re) = ne
        && let Found::Yes(v) = run(re, hay, pos, true, g)?
    {
        return Ok(Found::Yes(v));
    }
    if mode == 1 || pos >= hay.len() {
        return Ok(Found::No);
    }
    run(&c.search, hay, hay.after(pos), false, g)
}

/// The closing order of groups decides `lastindex` (sre's is the group whose closing mark ran
/// last): the group that closed last is the one ending last; of two closing at one position,
/// the enclosing one (it closes after its child), else the later sibling. Derived from the
/// spans, so a heuristic where lookarounds are involved; it agrees with sre on every case in
/// the tests and the differential run.
fn lastindex(c: &Compiled, spans: &[Option<(usize, usize)>]) -> Option<usize> {
    // When a group closed, in the order of the match: at its end, or for a group inside a
    // lookahead, at about the lookahead's position (approximated by the group's start).
    let when = |g: usize| spans[g].map_or(0, |(s, e)| if c.in_ahead[g] { s } else { e });
    let mut best: Option<usize> = None;
    for (g, span) in spans.iter().enumerate().skip(1) {
        if span.is_none() {
            continue;
        }
        best = match best {
            None => Some(g),
            Some(b) => {
                let (tg, tb) = (when(g), when(b));
                if tg > tb {
                    Some(g)
                } else if tg < tb {
                    Some(b)
                } else {
                    // g > b: g is later; it closed later unless b encloses g.
                    let mut p = c.parent[g];
                    let mut encloses = false;
                    while p != 0 {
                        if p == b {
                            encloses = true;
                            break;
                        }
                        p = c.parent[p];
                    }
                    if encloses { Some(b) } else { Some(g) }
                }
            }
        };
    }
    best
}

/// A match as the Python half reads it: (lastindex, start0, end0, …, text0, …), starts and
/// ends in code points (-1 for a group that did not take part), and each group's text (None
/// when it did not). The texts are cut here, from byte offsets: slicing a non-ASCII str by
/// code point in Python walks it from the start, which made a findall over one quadratic.
fn result(c: &Compiled, t: &Text<'_>, spans: &[Option<(usize, usize)>]) -> Value {
    let mut out = Vec::with_capacity(1 + 3 * spans.len());
    out.push(lastindex(c, spans).map_or(Value::None, |g| Value::Int(g as i64)));
    for s in spans {
        match s {
            Some((a, b)) => {
                out.push(Value::Int(t.ch(*a) as i64));
                out.push(Value::Int(t.ch(*b) as i64));
            }
            None => {
                out.push(Value::Int(-1));
                out.push(Value::Int(-1));
            }
        }
    }
    for s in spans {
        out.push(match s {
            Some((a, b)) => t.cut(*a, *b),
            None => Value::None,
        });
    }
    Value::tuple(out)
}

/// The subject of a search: a str, or the bytes of a bytes/bytearray (copied: a bytearray
/// cannot stay borrowed across the search).
enum Subject {
    Str(Rc<PyStr>),
    Bytes(Rc<Vec<u8>>),
}

impl Subject {
    fn text(&self) -> Text<'_> {
        match self {
            Subject::Str(s) => Text {
                hay: Hay::Str(&s.s),
                offs: offsets(s),
            },
            Subject::Bytes(b) => Text {
                hay: Hay::Bytes(b),
                offs: None,
            },
        }
    }
}

fn text_args(vm: &mut Vm, a: &[Value]) -> PyResult<(Rc<Compiled>, Subject, usize, usize)> {
    let c = compiled(vm, a.first())?;
    let (subj, n) = match (a.get(1), c.bytes) {
        (Some(Value::Str(s)), false) => (Subject::Str(s.clone()), s.nchars),
        (Some(Value::Bytes(b)), true) => (Subject::Bytes(b.clone()), b.len()),
        (Some(Value::ByteArray(b)), true) => {
            let v = b.borrow().clone();
            let n = v.len();
            (Subject::Bytes(Rc::new(v)), n)
        }
        _ => return Err(vm.type_error("_vigil_re: subject does not suit the pattern")),
    };
    let n = n as i64;
    let pos = int_arg(vm, a.get(2))?.clamp(0, n) as usize;
    let end = int_arg(vm, a.get(3))?.clamp(0, n) as usize;
    Ok((c, subj, pos, end))
}

fn engine_error(vm: &mut Vm, e: String) -> crate::vm::PyErr {
    vm.err("RuntimeError", format!("vigil: re engine gave up: {e}"))
}

/// search(handle, string, pos, endpos, mode) -> None or (lastindex, start0, end0, ...).
fn re_search(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    let (c, subj, pos, end) = text_args(vm, a)?;
    let mode = int_arg(vm, a.get(4))? as u8;
    if pos > end {
        return Ok(Value::None);
    }
    let t = subj.text();
    let (pb, eb) = (t.byte(pos), t.byte(end));
    match step(&c, t.hay.upto(eb), pb, mode, false) {
        Ok(Found::No) => Ok(Value::None),
        Ok(Found::Yes(sp)) => Ok(result(&c, &t, &sp)),
        Err(e) => Err(engine_error(vm, e)),
    }
}

/// scan(handle, string, pos, endpos, count, gaps) -> [match tuples]: successive matches as
/// CPython's findall/finditer/sub/split see them (an empty match is allowed right after a
/// non-empty one, never twice at one position). count 0 = all. With `gaps` true, returns
/// ([match tuples], [text before each match…, text after the last]) for sub and split.
fn re_scan(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    let (c, subj, pos, end) = text_args(vm, a)?;
    let count = int_arg(vm, a.get(4))?.max(0) as usize;
    let want_gaps = matches!(a.get(5), Some(Value::Bool(true)));
    let mut out = Vec::new();
    let mut gaps = Vec::new();
    if pos > end {
        return Ok(Value::list(out));
    }
    let t = subj.text();
    let eb = t.byte(end);
    let hay = t.hay.upto(eb);
    let mut p = t.byte(pos);
    let mut last = 0;
    let mut must_advance = false;
    while count == 0 || out.len() < count {
        match step(&c, hay, p, 0, must_advance) {
            Ok(Found::No) => break,
            Ok(Found::Yes(sp)) => {
                let (ms, me) = sp[0].unwrap_or((p, p));
                if want_gaps {
                    gaps.push(t.cut(last, ms));
                    last = me;
                }
                out.push(result(&c, &t, &sp));
                must_advance = ms == me;
                p = me;
                if p > eb {
                    break;
                }
            }
            Err(e) => return Err(engine_error(vm, e)),
        }
    }
    if want_gaps {
        gaps.push(t.cut(last, t.hay.len()));
        return Ok(Value::tuple(vec![Value::list(out), Value::list(gaps)]));
    }
    Ok(Value::list(out))
}

/// The engine's spelling of a pattern (for vigil's own tests and debugging).
fn re_engine_pattern(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    let c = compiled(vm, a.first())?;
    Ok(Value::string(c.engine.clone()))
}

/// latin1(bytes) -> str and latin1(str) -> bytes (code points below 256): bytes patterns'
/// templates and `escape` are handled as Latin-1 text, as CPython's re does.
fn re_latin1(vm: &mut Vm, a: &[Value], _kw: Kw<'_>) -> PyResult<Value> {
    match a.first() {
        Some(Value::Bytes(b)) => Ok(Value::string(b.iter().map(|&x| x as char).collect())),
        Some(Value::ByteArray(b)) => Ok(Value::string(
            b.borrow().iter().map(|&x| x as char).collect(),
        )),
        Some(Value::Str(s)) => Ok(Value::Bytes(Rc::new(
            s.s.chars().map(|c| c as u32 as u8).collect(),
        ))),
        _ => Err(vm.type_error("_vigil_re.latin1: expected str or bytes")),
    }
}

pub fn functions() -> Vec<(&'static str, NativeFn)> {
    vec![
        ("latin1", re_latin1),
        ("compile", re_compile),
        ("search", re_search),
        ("scan", re_scan),
        ("engine_pattern", re_engine_pattern),
    ]
}

use crate::builtins::Kw;
