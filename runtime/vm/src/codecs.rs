//! `str.encode` and `bytes.decode` for the codecs the subset knows: UTF-8, Latin-1 and ASCII
//! under their usual aliases, with the `strict`, `ignore`, `replace`, `backslashreplace`
//! and (encoding only) `xmlcharrefreplace` error handlers, and CPython's messages for
//! `UnicodeEncodeError`, `UnicodeDecodeError` and `LookupError`.
//!
//! Not here: the `codecs` module, other encodings, registering codecs or error handlers,
//! the structured attributes (`start`, `end`, `reason`) of the Unicode errors.

use crate::value::Value;
use crate::vm::{PyResult, Vm};

#[derive(Clone, Copy, PartialEq)]
enum Codec {
    Utf8,
    Latin1,
    Ascii,
}

impl Codec {
    /// The name CPython's messages use.
    fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Latin1 => "latin-1",
            Codec::Ascii => "ascii",
        }
    }

    /// The highest code point the codec encodes, for the error message.
    fn limit(self) -> u32 {
        match self {
            Codec::Utf8 => 0x11_0000,
            Codec::Latin1 => 0x100,
            Codec::Ascii => 0x80,
        }
    }
}

/// The codec an encoding name stands for, normalised as CPython's lookup does (case, `_`,
/// spaces and `-` folded).
fn lookup(vm: &mut Vm, name: &str) -> PyResult<Codec> {
    let norm: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    Ok(match norm.as_str() {
        "utf8" | "u8" | "utf" | "cp65001" => Codec::Utf8,
        "latin1" | "latin" | "l1" | "iso88591" | "iso8859" | "8859" | "cp819" | "iso885911987" => {
            Codec::Latin1
        }
        "ascii" | "usascii" | "646" | "ansix3.41968" | "ansix3.41986" | "us" | "iso646us" => {
            Codec::Ascii
        }
        _ => return Err(vm.err("LookupError", format!("unknown encoding: {name}"))),
    })
}

fn str_arg(vm: &mut Vm, v: Option<&Value>, what: &str, default: &str) -> PyResult<String> {
    match v {
        None | Some(Value::Null) => Ok(default.to_string()),
        Some(Value::Str(s)) => Ok(s.s.to_string()),
        Some(other) => {
            let t = vm.type_name(other);
            Err(vm.type_error(format!("{what} must be str, not {t}")))
        }
    }
}

fn unknown_handler(vm: &mut Vm, errors: &str) -> crate::vm::PyErr {
    vm.err(
        "LookupError",
        format!("unknown error handler name '{errors}'"),
    )
}

/// `s.encode(encoding, errors)`; `encoding` and `errors` are `Null` when not given.
pub(crate) fn encode(
    vm: &mut Vm,
    s: &str,
    encoding: Option<&Value>,
    errors: Option<&Value>,
) -> PyResult<Value> {
    let enc = str_arg(vm, encoding, "encode() argument 'encoding'", "utf-8")?;
    let errors = str_arg(vm, errors, "encode() argument 'errors'", "strict")?;
    let codec = lookup(vm, &enc)?;
    let limit = codec.limit();
    if codec == Codec::Utf8 || s.chars().all(|c| (c as u32) < limit) {
        let bytes = if codec == Codec::Utf8 {
            s.as_bytes().to_vec()
        } else {
            s.chars().map(|c| c as u8).collect()
        };
        return Ok(Value::Bytes(std::rc::Rc::new(bytes)));
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c as u32) < limit {
            out.push(c as u8);
            i += 1;
            continue;
        }
        // CPython reports (and strict handlers fail on) the whole run of unencodable
        // characters.
        let mut j = i + 1;
        while j < chars.len() && chars[j] as u32 >= limit {
            j += 1;
        }
        match errors.as_str() {
            "strict" => {
                let what = if j - i == 1 {
                    format!("character {} in position {i}", char_repr(c))
                } else {
                    format!("characters in position {i}-{}", j - 1)
                };
                return Err(vm.err(
                    "UnicodeEncodeError",
                    format!(
                        "'{}' codec can't encode {what}: ordinal not in range({limit})",
                        codec.name()
                    ),
                ));
            }
            "ignore" => {}
            "replace" => out.extend(std::iter::repeat_n(b'?', j - i)),
            "backslashreplace" => {
                for &c in &chars[i..j] {
                    out.extend(escape(c).bytes());
                }
            }
            "xmlcharrefreplace" => {
                for &c in &chars[i..j] {
                    out.extend(format!("&#{};", c as u32).bytes());
                }
            }
            _ => return Err(unknown_handler(vm, &errors)),
        }
        i = j;
    }
    Ok(Value::Bytes(std::rc::Rc::new(out)))
}

/// A character as `repr` shows it inside CPython's encode error message.
fn char_repr(c: char) -> String {
    format!("'{}'", escape(c))
}

fn escape(c: char) -> String {
    match c as u32 {
        n @ 0..=0xff => format!("\\x{n:02x}"),
        n @ 0x100..=0xffff => format!("\\u{n:04x}"),
        n => format!("\\U{n:08x}"),
    }
}

/// `b.decode(encoding, errors)`; `encoding` and `errors` are `Null` when not given.
pub(crate) fn decode(
    vm: &mut Vm,
    b: &[u8],
    encoding: Option<&Value>,
    errors: Option<&Value>,
) -> PyResult<Value> {
    let enc = str_arg(vm, encoding, "decode() argument 'encoding'", "utf-8")?;
    let errors = str_arg(vm, errors, "decode() argument 'errors'", "strict")?;
    let codec = lookup(vm, &enc)?;
    match codec {
        Codec::Latin1 => Ok(Value::string(
            b.iter().map(|&x| x as char).collect::<String>(),
        )),
        Codec::Ascii => {
            let mut out = String::with_capacity(b.len());
            for (i, &x) in b.iter().enumerate() {
                if x < 0x80 {
                    out.push(x as char);
                    continue;
                }
                match errors.as_str() {
                    "strict" => {
                        return Err(vm.err(
                            "UnicodeDecodeError",
                            format!(
                                "'ascii' codec can't decode byte {x:#04x} in position {i}: ordinal not in range(128)"
                            ),
                        ));
                    }
                    "ignore" => {}
                    "replace" => out.push('\u{fffd}'),
                    "backslashreplace" => out.push_str(&format!("\\x{x:02x}")),
                    _ => return Err(unknown_handler(vm, &errors)),
                }
            }
            Ok(Value::string(out))
        }
        Codec::Utf8 => {
            if let Ok(s) = std::str::from_utf8(b) {
                return Ok(Value::string(s.to_string()));
            }
            let mut out = String::with_capacity(b.len());
            let mut pos = 0;
            for chunk in b.utf8_chunks() {
                out.push_str(chunk.valid());
                pos += chunk.valid().len();
                let bad = chunk.invalid();
                if bad.is_empty() {
                    continue;
                }
                match errors.as_str() {
                    "strict" => {
                        let at_end = pos + bad.len() == b.len() && truncated(bad);
                        let reason = if at_end {
                            "unexpected end of data"
                        } else if matches!(bad[0], 0xc2..=0xf4) {
                            "invalid continuation byte"
                        } else {
                            "invalid start byte"
                        };
                        let what = if bad.len() == 1 {
                            format!("byte {:#04x} in position {pos}", bad[0])
                        } else {
                            format!("bytes in position {pos}-{}", pos + bad.len() - 1)
                        };
                        return Err(vm.err(
                            "UnicodeDecodeError",
                            format!("'utf-8' codec can't decode {what}: {reason}"),
                        ));
                    }
                    "ignore" => {}
                    "replace" => out.push('\u{fffd}'),
                    "backslashreplace" => {
                        for x in bad {
                            out.push_str(&format!("\\x{x:02x}"));
                        }
                    }
                    _ => return Err(unknown_handler(vm, &errors)),
                }
                pos += bad.len();
            }
            Ok(Value::string(out))
        }
    }
}

/// Whether `bad`, the invalid sequence at the very end of the input, is the valid start of
/// a longer UTF-8 sequence cut short (CPython's "unexpected end of data").
fn truncated(bad: &[u8]) -> bool {
    let need = match bad[0] {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return false,
    };
    bad.len() < need
}
