//! File objects returned by `open()`: whole-file readers (text or bytes) and buffered writers
//! that write through on `close()`/`__exit__`. Implemented as instances of a private class
//! whose methods are native; state lives in instance attributes.

use crate::value::*;
use crate::vm::{PyResult, Vm};
use std::cell::RefCell;
use std::rc::Rc;

fn file_class(vm: &mut Vm) -> Rc<Class> {
    if let Some(Value::Class(c)) = vm.modules.get("__file_class") {
        return c.clone();
    }
    let ns = Rc::new(RefCell::new(crate::dict::Table::new()));
    let obj = vm.types.object.clone();
    let c = vm
        .new_class("TextIOWrapper", vec![obj], ns)
        .unwrap_or_else(|_| vm.types.object.clone());
    let ms: Vec<(&'static str, NativeFn)> = vec![
        ("read", |vm, a, _| {
            let data = get(vm, &a[0], "_data");
            let pos = match get(vm, &a[0], "_pos") {
                Value::Int(i) => i as usize,
                _ => 0,
            };
            let (out, np) = match &data {
                Value::Str(s) => {
                    let rest: String = s.s.chars().skip(pos).collect();
                    let n = rest.chars().count();
                    (Value::string(rest), pos + n)
                }
                Value::Bytes(b) => (
                    Value::Bytes(Rc::new(b[pos.min(b.len())..].to_vec())),
                    b.len(),
                ),
                _ => (Value::str(""), pos),
            };
            put(vm, &a[0], "_pos", Value::Int(np as i64));
            Ok(out)
        }),
        ("readline", |vm, a, _| {
            Ok(next_line(vm, &a[0]).unwrap_or(Value::str("")))
        }),
        ("readlines", |vm, a, _| {
            let mut out = Vec::new();
            while let Some(l) = next_line(vm, &a[0]) {
                out.push(l);
            }
            Ok(Value::list(out))
        }),
        ("__iter__", |_vm, a, _| Ok(a[0].clone())),
        ("__next__", |vm, a, _| match next_line(vm, &a[0]) {
            Some(l) => Ok(l),
            None => Err(vm.stop_iteration(Value::Null)),
        }),
        ("write", |vm, a, _| {
            let buf = get(vm, &a[0], "_buf");
            let s = match a.get(1) {
                Some(Value::Str(s)) => s.s.to_string(),
                Some(Value::Bytes(b)) => String::from_utf8_lossy(b).to_string(),
                _ => return Err(vm.type_error("write() argument must be str")),
            };
            if let Value::StringIO(b) = buf {
                b.borrow_mut().write_str(&s);
            }
            Ok(Value::Int(s.chars().count() as i64))
        }),
        ("writelines", |vm, a, _| {
            let buf = get(vm, &a[0], "_buf");
            let Some(lines) = a.get(1) else {
                return Err(vm.type_error("writelines() takes exactly one argument (0 given)"));
            };
            let items = vm.collect(lines)?;
            for item in &items {
                let s = match item {
                    Value::Str(s) => s.s.to_string(),
                    other => {
                        let tn = vm.type_name(other);
                        return Err(
                            vm.type_error(format!("write() argument must be str, not {tn}"))
                        );
                    }
                };
                if let Value::StringIO(b) = &buf {
                    b.borrow_mut().write_str(&s);
                }
            }
            Ok(Value::None)
        }),
        ("close", |vm, a, _| {
            close(vm, &a[0])?;
            Ok(Value::None)
        }),
        ("__enter__", |_vm, a, _| Ok(a[0].clone())),
        ("__exit__", |vm, a, _| {
            close(vm, &a[0])?;
            Ok(Value::None)
        }),
    ];
    vm.add_methods(&c, "TextIOWrapper", ms);
    vm.modules
        .insert("__file_class".into(), Value::Class(c.clone()));
    c
}

fn get(vm: &mut Vm, f: &Value, name: &str) -> Value {
    let n = vm.intern(name);
    match f {
        Value::Instance(i) => crate::attr::inst_get(i, &n).unwrap_or_default(),
        _ => Value::Null,
    }
}

fn put(vm: &mut Vm, f: &Value, name: &str, v: Value) {
    let n = vm.intern(name);
    if let Value::Instance(i) = f {
        crate::attr::inst_set(i, &n, v);
    }
}

fn next_line(vm: &mut Vm, f: &Value) -> Option<Value> {
    let data = get(vm, f, "_data");
    let pos = match get(vm, f, "_pos") {
        Value::Int(i) => i as usize,
        _ => 0,
    };
    match &data {
        Value::Str(s) => {
            let rest: String = s.s.chars().skip(pos).collect();
            if rest.is_empty() {
                return None;
            }
            let line: String = match rest.find('\n') {
                Some(p) => rest[..=p].to_string(),
                None => rest,
            };
            put(
                vm,
                f,
                "_pos",
                Value::Int((pos + line.chars().count()) as i64),
            );
            Some(Value::string(line))
        }
        Value::Bytes(b) => {
            if pos >= b.len() {
                return None;
            }
            let rest = &b[pos..];
            let end = rest
                .iter()
                .position(|&c| c == b'\n')
                .map(|p| p + 1)
                .unwrap_or(rest.len());
            put(vm, f, "_pos", Value::Int((pos + end) as i64));
            Some(Value::Bytes(Rc::new(rest[..end].to_vec())))
        }
        _ => None,
    }
}

fn close(vm: &mut Vm, f: &Value) -> PyResult<()> {
    let buf = get(vm, f, "_buf");
    if let Value::StringIO(b) = buf {
        let path = get(vm, f, "_path");
        let mode = get(vm, f, "_mode");
        if let (Value::Str(p), Value::Str(m)) = (path, mode) {
            let text = std::mem::take(&mut *b.borrow_mut()).buf;
            let r = if m.s.contains('a') {
                use std::io::Write;
                std::fs::OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(&*p.s)
                    .and_then(|mut fh| fh.write_all(text.as_bytes()))
            } else {
                std::fs::write(&*p.s, text.as_bytes())
            };
            if let Err(e) = r {
                return Err(vm.err("OSError", format!("{e}")));
            }
            put(vm, f, "_mode", Value::str("a"));
        }
    }
    Ok(())
}

fn new_file(vm: &mut Vm) -> Value {
    let c = file_class(vm);
    vm.new_instance(&c, &[])
}

pub fn reader_text(vm: &mut Vm, s: String) -> PyResult<Value> {
    let f = new_file(vm);
    put(vm, &f, "_data", Value::string(s));
    put(vm, &f, "_pos", Value::Int(0));
    Ok(f)
}

pub fn reader_bytes(vm: &mut Vm, b: Vec<u8>) -> PyResult<Value> {
    let f = new_file(vm);
    put(vm, &f, "_data", Value::Bytes(Rc::new(b)));
    put(vm, &f, "_pos", Value::Int(0));
    Ok(f)
}

pub fn open_for_write(vm: &mut Vm, path: &str, mode: &str) -> PyResult<Value> {
    if mode.contains('w')
        && let Err(e) = std::fs::write(path, b"")
    {
        return Err(vm.err("OSError", format!("{e}: '{path}'")));
    }
    let f = new_file(vm);
    put(
        vm,
        &f,
        "_buf",
        Value::StringIO(Rc::new(RefCell::new(StringIo::default()))),
    );
    put(vm, &f, "_path", Value::str(path));
    put(vm, &f, "_mode", Value::str("a"));
    Ok(f)
}
