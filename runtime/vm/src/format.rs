//! The VM side of `str % args` (support's printf engine, fed through `PercentArgs`) and
//! `str.format` field parsing (`{name!r:spec}`, auto and manual numbering, attribute and
//! index lookups). Rendering of each field goes through `Vm::format_value`.

use crate::value::*;
use crate::vm::{PyErr, PyResult, Vm};
use vigil_support::{Int, PercentArgs, PyError};

/// BUILD_STRING: the top `n` values of `slots` (the compiler's f-string pieces, all strs)
/// joined and popped. Sized in one pass, so the text is allocated once (not at all when it
/// fits inline) and its code point count is the pieces' sum, not a rescan.
pub(crate) fn build_string(slots: &mut Vec<Value>, n: usize) -> Value {
    let at = slots.len() - n;
    let parts = &slots[at..];
    let (mut bytes, mut chars) = (0, 0);
    for p in parts {
        if let Value::Str(s) = p {
            bytes += s.s.len();
            chars += s.nchars;
        }
    }
    let mut out = TextBuilder::with_capacity(bytes);
    for p in parts {
        if let Value::Str(s) = p {
            out.push(&s.s);
        }
    }
    // Strs own nothing that could run code when released.
    slots.truncate(at);
    Value::Str(std::rc::Rc::new(PyStr::with_nchars(out.finish(), chars)))
}

struct Args<'a> {
    vm: &'a mut Vm,
    v: Value,
    /// A VM exception raised inside a callback; support only carries (kind, message).
    pending: Option<PyErr>,
}

impl Args<'_> {
    fn stash(&mut self, e: PyErr) -> PyError {
        self.pending = Some(e);
        PyError::type_error("<vm error>")
    }
}

impl PercentArgs for Args<'_> {
    type Value = Value;
    // A tuple subclass (a namedtuple) supplies its items, as in CPython.
    fn tuple_len(&self) -> Option<usize> {
        match crate::subclass::unwrap(&self.v) {
            Value::Tuple(t) => Some(t.len()),
            _ => None,
        }
    }
    fn tuple_item(&mut self, i: usize) -> Value {
        match crate::subclass::unwrap(&self.v) {
            Value::Tuple(t) => t[i].clone(),
            _ => Value::None,
        }
    }
    fn whole(&mut self) -> Value {
        self.v.clone()
    }
    fn is_mapping(&self) -> bool {
        match &self.v {
            Value::Dict(_) => true,
            Value::Instance(i) => {
                !matches!(
                    crate::subclass::unwrap(&self.v),
                    Value::Tuple(_) | Value::Str(_)
                ) && crate::attr::class_lookup_str(&i.class, &PyStr::new("__getitem__")).is_some()
            }
            _ => false,
        }
    }
    fn get_item(&mut self, key: &str) -> vigil_support::PyResult<Value> {
        let v = self.v.clone();
        match self.vm.getitem(&v, &Value::str(key)) {
            Ok(x) => Ok(x),
            Err(e) => Err(self.stash(e)),
        }
    }
    fn str(&mut self, v: &Value) -> vigil_support::PyResult<String> {
        match self.vm.to_str(v) {
            Ok(s) => Ok(s),
            Err(e) => Err(self.stash(e)),
        }
    }
    fn repr(&mut self, v: &Value) -> vigil_support::PyResult<String> {
        match self.vm.repr(v) {
            Ok(s) => Ok(s),
            Err(e) => Err(self.stash(e)),
        }
    }
    fn to_int(&mut self, v: &Value, index_only: bool) -> vigil_support::PyResult<Option<Int>> {
        Ok(match v {
            Value::Int(i) => Some(Int::Small(*i)),
            Value::Bool(b) => Some(Int::Small(*b as i64)),
            Value::Big(b) => Some(Int::Big((**b).clone())),
            Value::Float(f) if !index_only => match vigil_support::f64_to_int(*f) {
                Ok(i) => Some(i),
                Err(e) => return Err(e),
            },
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                let name = if index_only { "__index__" } else { "__int__" };
                match self.vm.class_lookup(&cls, name) {
                    Some(f) => match self.vm.call1(&f, v.clone()) {
                        Ok(Value::Int(i)) => Some(Int::Small(i)),
                        Ok(Value::Big(b)) => Some(Int::Big((*b).clone())),
                        Ok(_) => None,
                        Err(e) => return Err(self.stash(e)),
                    },
                    None => None,
                }
            }
            _ => None,
        })
    }
    fn to_float(&mut self, v: &Value) -> vigil_support::PyResult<Option<f64>> {
        Ok(match v {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            Value::Bool(b) => Some(*b as i64 as f64),
            Value::Big(b) => match vigil_support::big_to_f64(b) {
                Ok(f) => Some(f),
                Err(e) => return Err(e),
            },
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.vm.class_lookup(&cls, "__float__") {
                    Some(f) => match self.vm.call1(&f, v.clone()) {
                        Ok(Value::Float(x)) => Some(x),
                        Ok(_) => None,
                        Err(e) => return Err(self.stash(e)),
                    },
                    None => None,
                }
            }
            _ => None,
        })
    }
    fn as_str(&mut self, v: &Value) -> Option<String> {
        match v {
            Value::Str(s) => Some(s.s.to_string()),
            _ => None,
        }
    }
    fn type_name(&mut self, v: &Value) -> String {
        self.vm.type_name(v)
    }
}

pub fn percent_format(vm: &mut Vm, fmt: &str, args: &Value) -> PyResult<String> {
    let mut a = Args {
        vm,
        v: args.clone(),
        pending: None,
    };
    let r = vigil_support::percent_format(fmt, &mut a);
    let pending = a.pending.take();
    match r {
        Ok(s) => Ok(s),
        Err(e) => match pending {
            Some(p) => Err(p),
            None => Err(vm.support_err(e)),
        },
    }
}

impl Vm {
    /// `fmt.format(*args, **kwargs)`.
    pub fn str_format(
        &mut self,
        fmt: &str,
        args: &[Value],
        kwargs: &[(std::rc::Rc<PyStr>, Value)],
    ) -> PyResult<String> {
        let mut out = String::new();
        let chars: Vec<char> = fmt.chars().collect();
        let mut i = 0;
        let mut auto_idx = 0usize;
        let mut manual = false;
        let mut auto = false;
        while i < chars.len() {
            let c = chars[i];
            if c == '{' {
                if chars.get(i + 1) == Some(&'{') {
                    out.push('{');
                    i += 2;
                    continue;
                }
                // Find the matching close brace (nested braces allowed in the spec).
                let mut depth = 1;
                let mut j = i + 1;
                while j < chars.len() {
                    if chars[j] == '{' {
                        depth += 1;
                    } else if chars[j] == '}' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(self.value_error("Single '{' encountered in format string"));
                }
                let field: String = chars[i + 1..j].iter().collect();
                i = j + 1;
                // Split field_name[!conv][:spec].
                let (name_conv, spec) = match field.find(':') {
                    Some(p) => (&field[..p], &field[p + 1..]),
                    None => (&field[..], ""),
                };
                let (name, conv) = match name_conv.find('!') {
                    Some(p) => (&name_conv[..p], Some(&name_conv[p + 1..])),
                    None => (name_conv, None),
                };
                // The first part of the name: index or keyword.
                let first_end = name.find(['.', '[']).unwrap_or(name.len());
                let first = &name[..first_end];
                let mut v = if first.is_empty() {
                    if manual {
                        return Err(self.value_error("cannot switch from manual field specification to automatic field numbering"));
                    }
                    auto = true;
                    let idx = auto_idx;
                    auto_idx += 1;
                    match args.get(idx) {
                        Some(v) => v.clone(),
                        None => {
                            return Err(self.index_error(format!(
                                "Replacement index {idx} out of range for positional args tuple"
                            )));
                        }
                    }
                } else if let Ok(idx) = first.parse::<usize>() {
                    if auto {
                        return Err(self.value_error("cannot switch from automatic field numbering to manual field specification"));
                    }
                    manual = true;
                    match args.get(idx) {
                        Some(v) => v.clone(),
                        None => {
                            return Err(self.index_error(format!(
                                "Replacement index {idx} out of range for positional args tuple"
                            )));
                        }
                    }
                } else {
                    match kwargs.iter().find(|(k, _)| &*k.s == first) {
                        Some((_, v)) => v.clone(),
                        None => return Err(self.key_error(Value::str(first))),
                    }
                };
                // Attribute and index accessors.
                let mut rest = &name[first_end..];
                while !rest.is_empty() {
                    if let Some(r) = rest.strip_prefix('.') {
                        let end = r.find(['.', '[']).unwrap_or(r.len());
                        let attr = self.intern(&r[..end]);
                        v = self.get_attr(&v, &attr)?;
                        rest = &r[end..];
                    } else if let Some(r) = rest.strip_prefix('[') {
                        let end = r.find(']').unwrap_or(r.len());
                        let key = &r[..end];
                        let k = match key.parse::<i64>() {
                            Ok(n) => Value::Int(n),
                            Err(_) => Value::str(key),
                        };
                        v = self.getitem(&v, &k)?;
                        rest = r.get(end + 1..).unwrap_or("");
                    } else {
                        break;
                    }
                }
                let v = match conv {
                    Some("r") => Value::string(self.repr(&v)?),
                    Some("s") => Value::string(self.to_str(&v)?),
                    Some("a") => {
                        let r = self.repr(&v)?;
                        Value::string(vigil_support::ascii_escape(&r))
                    }
                    Some(other) => {
                        return Err(
                            self.value_error(format!("Unknown conversion specifier {other}"))
                        );
                    }
                    None => v,
                };
                // Nested replacement fields in the spec.
                let spec = if spec.contains('{') {
                    let sub_args: Vec<Value> = args[auto_idx.min(args.len())..].to_vec();

                    self.str_format(spec, &sub_args, kwargs)?
                } else {
                    spec.to_string()
                };
                let s = self.format_value(&v, &spec)?;
                out.push_str(&s);
            } else if c == '}' {
                if chars.get(i + 1) == Some(&'}') {
                    out.push('}');
                    i += 2;
                    continue;
                }
                return Err(self.value_error("Single '}' encountered in format string"));
            } else {
                out.push(c);
                i += 1;
            }
        }
        Ok(out)
    }
}
