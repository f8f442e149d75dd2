//! The runtime half of the `match` statement: what MATCH_SEQUENCE, MATCH_MAPPING, MATCH_KEYS
//! and MATCH_CLASS compute, with CPython 3.13's rules and error messages. The dispatch loop's
//! arms only move values on and off the stack and call these (kept out of line: `match` code
//! is rare, and the loop's other arms are what the benchmarks measure).

use std::rc::Rc;

use vigil_compiler::bytecode::op;

use crate::builtins::isinstance;
use crate::frame::Frame;
use crate::value::{Class, Value};
use crate::vm::{PyResult, Vm};

/// Does MATCH_SEQUENCE accept `v`? CPython's Py_TPFLAGS_SEQUENCE types that vigil has: list,
/// tuple (and their subclasses), range, array.array, collections' deque and namedtuple classes, which vigil writes in
/// Python (CPython's are a C type and a tuple subclass), and `collections.abc.Sequence`
/// subclasses. str, bytes and bytearray
/// are deliberately not sequences here.
pub(crate) fn is_sequence(v: &Value) -> bool {
    match v {
        Value::List(_) | Value::Tuple(_) | Value::Range(_) | Value::Array(_) => true,
        Value::Instance(i) => {
            matches!(i.base(), Some(Value::List(_) | Value::Tuple(_)))
                || from_collections(&i.class, "deque")
                || is_namedtuple_class(&i.class)
                || from_abc(&i.class, &["Sequence", "MutableSequence"])
        }
        _ => false,
    }
}

/// Does MATCH_MAPPING accept `v`? dict and its subclasses, collections' dict types (defaultdict, OrderedDict,
/// Counter), which vigil writes in Python around a dict, and `collections.abc.Mapping`
/// subclasses.
pub(crate) fn is_mapping(v: &Value) -> bool {
    match v {
        Value::Dict(_) => true,
        Value::Instance(i) => {
            matches!(i.base(), Some(Value::Dict(_)))
                || from_collections(&i.class, "_DictWrapper")
                || from_abc(&i.class, &["Mapping", "MutableMapping"])
        }
        _ => false,
    }
}

/// Is `cls`, or a class of its MRO, vigil's own `collections.NAME`?
fn from_collections(cls: &Rc<Class>, name: &str) -> bool {
    std::iter::once(cls)
        .chain(cls.mro.iter())
        .any(|c| c.module == "collections" && c.name == name)
}

/// Does `cls` derive from one of `names` of `collections.abc` (or `typing`)? CPython's ABCs
/// set the sequence/mapping flag on their subclasses; vigil's are plain classes, found here.
fn from_abc(cls: &Rc<Class>, names: &[&str]) -> bool {
    cls.mro.iter().any(|c| {
        matches!(c.module.as_str(), "collections.abc" | "typing")
            && names.contains(&c.name.as_str())
    })
}

/// Was `cls` made by vigil's `collections.namedtuple` (its `__iter__` is that factory's)?
fn is_namedtuple_class(cls: &Rc<Class>) -> bool {
    let iter = crate::attr::class_lookup_str(cls, &crate::value::PyStr::new("__iter__"));
    matches!(iter, Some(Value::Function(f))
        if f.code.qualname.as_ref() == "namedtuple.<locals>.__iter__"
            && f.code.filename.as_ref() == "<vigil-lib>/collections.py")
}

/// The builtin types whose single positional subpattern matches the subject itself
/// (CPython's _Py_TPFLAGS_MATCH_SELF).
fn matches_self(vm: &Vm, cls: &Rc<Class>) -> bool {
    let t = &vm.types;
    [
        &t.bool_,
        &t.bytearray,
        &t.bytes,
        &t.dict,
        &t.float,
        &t.frozenset,
        &t.int,
        &t.list,
        &t.set,
        &t.str_,
        &t.tuple,
    ]
    .iter()
    .any(|c| Rc::ptr_eq(c, cls))
}

impl Vm {
    /// Runs one of the four `match` opcodes (`byte`) on `f`'s stack, with CPython 3.13's
    /// stack shapes (see the bytecode module's docs). Cold and out of line: the dispatch loop
    /// has a single call for all four.
    #[cold]
    #[inline(never)]
    pub(crate) fn exec_match_op(&mut self, f: &mut Frame, byte: u8, arg: usize) -> PyResult<()> {
        let pop = |f: &mut Frame| f.slots.pop().unwrap_or_default();
        let r = match byte {
            op::MATCH_SEQUENCE => Value::Bool(f.slots.last().is_some_and(is_sequence)),
            op::MATCH_MAPPING => Value::Bool(f.slots.last().is_some_and(is_mapping)),
            op::MATCH_KEYS => {
                let n = f.slots.len();
                let (subject, keys) = (f.slots[n - 2].clone(), f.slots[n - 1].clone());
                self.match_keys(&subject, &keys)?
            }
            _ => {
                let names = pop(f);
                let cls = pop(f);
                let subject = pop(f);
                self.match_class(&subject, &cls, &names, arg)?
            }
        };
        f.slots.push(r);
        Ok(())
    }

    /// MATCH_KEYS: the values of `keys` (a tuple) in `subject`, as a tuple, or None when a key
    /// is missing. Looked up through the subject's `get(key, default)`, as CPython does.
    fn match_keys(&mut self, subject: &Value, keys: &Value) -> PyResult<Value> {
        let Value::Tuple(keys) = keys else {
            return Err(self.type_error("MATCH_KEYS needs a tuple of keys"));
        };
        if keys.is_empty() {
            return Ok(Value::tuple(Vec::new()));
        }
        let mut values = Vec::with_capacity(keys.len());
        for (i, k) in keys.iter().enumerate() {
            for earlier in &keys[..i] {
                if self.eq(earlier, k)? {
                    let r = self.repr(k)?;
                    return Err(
                        self.value_error(format!("mapping pattern checks duplicate key ({r})"))
                    );
                }
            }
            let found = match subject {
                Value::Dict(d) => self.table_get(d, k)?,
                _ => {
                    let get = self.get_attr_str(subject, "get")?;
                    // A fresh object as the default: nothing the mapping holds can be it.
                    let object = Value::Class(self.types.object.clone());
                    let dummy = self.call(&object, vec![], vec![])?;
                    let v = self.call(&get, vec![k.clone(), dummy.clone()], vec![])?;
                    (v.ptr() != dummy.ptr()).then_some(v)
                }
            };
            match found {
                Some(v) => values.push(v),
                None => return Ok(Value::None),
            }
        }
        Ok(Value::tuple(values))
    }

    /// MATCH_CLASS: if `subject` is an instance of `cls`, the tuple of its `nargs` positional
    /// attributes (named by `cls.__match_args__`) followed by the attributes named in `names`;
    /// None when it is not an instance or lacks one of them.
    fn match_class(
        &mut self,
        subject: &Value,
        cls: &Value,
        names: &Value,
        nargs: usize,
    ) -> PyResult<Value> {
        let Value::Class(c) = cls else {
            return Err(self.type_error("called match pattern must be a class"));
        };
        if !isinstance(self, subject, cls)? {
            return Ok(Value::None);
        }
        let mut seen: Vec<Rc<crate::value::PyStr>> = Vec::new();
        let mut attrs = Vec::new();
        if nargs > 0 {
            let ma = self.intern("__match_args__");
            let match_args = self.get_attr_opt(cls, &ma)?;
            let (allowed, match_self, list) = match match_args {
                Some(Value::Tuple(t)) => (t.len(), false, Some(t)),
                Some(other) => {
                    let tn = self.type_name(&other);
                    return Err(self.type_error(format!(
                        "{}.__match_args__ must be a tuple (got {tn})",
                        c.name
                    )));
                }
                None => {
                    let m = matches_self(self, c);
                    (usize::from(m), m, None)
                }
            };
            if allowed < nargs {
                let plural = if allowed == 1 { "" } else { "s" };
                return Err(self.type_error(format!(
                    "{}() accepts {allowed} positional sub-pattern{plural} ({nargs} given)",
                    c.name
                )));
            }
            if match_self {
                attrs.push(subject.clone());
            } else if let Some(list) = list {
                for name in list.iter().take(nargs) {
                    let Value::Str(n) = name else {
                        let tn = self.type_name(name);
                        return Err(self.type_error(format!(
                            "__match_args__ elements must be strings (got {tn})"
                        )));
                    };
                    match self.match_class_attr(subject, c, n, &mut seen)? {
                        Some(v) => attrs.push(v),
                        None => return Ok(Value::None),
                    }
                }
            }
        }
        if let Value::Tuple(names) = names {
            for name in names.iter() {
                let Value::Str(n) = name else { continue };
                match self.match_class_attr(subject, c, n, &mut seen)? {
                    Some(v) => attrs.push(v),
                    None => return Ok(Value::None),
                }
            }
        }
        Ok(Value::tuple(attrs))
    }

    /// One attribute of a class pattern (None when the subject has no such attribute); an
    /// attribute asked for twice is an error.
    fn match_class_attr(
        &mut self,
        subject: &Value,
        cls: &Rc<Class>,
        name: &Rc<crate::value::PyStr>,
        seen: &mut Vec<Rc<crate::value::PyStr>>,
    ) -> PyResult<Option<Value>> {
        if seen.iter().any(|s| s.as_str() == name.as_str()) {
            return Err(self.type_error(format!(
                "{}() got multiple sub-patterns for attribute '{}'",
                cls.name,
                name.as_str()
            )));
        }
        seen.push(name.clone());
        let n = self.intern(name.as_str());
        self.get_attr_opt(subject, &n)
    }
}
