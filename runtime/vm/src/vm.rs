//! The `Vm` struct: interpreter-wide state (builtin classes, the builtins namespace, loaded
//! modules, recursion depth, the handled-exception stack, output buffers) and small helpers to
//! create values and raise exceptions. It does not execute bytecode (see `frame`) or implement
//! operators (see `ops`). The future monitoring state hangs off `Vm::monitoring`.

use crate::dict::Table;
use crate::value::*;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::rc::Rc;

/// A raised Python exception (always an instance of a BaseException subclass).
#[derive(Clone)]
pub struct PyErr(pub Value);

pub type PyResult<T> = Result<T, PyErr>;

/// `(class version, the interned name kept alive, lookup result)`.
pub type MethodCacheEntry = (u64, Rc<PyStr>, Option<Value>);

/// Builtin classes, one per native representation.
pub struct Types {
    pub object: Rc<Class>,
    pub type_: Rc<Class>,
    pub none: Rc<Class>,
    pub notimpl: Rc<Class>,
    pub ellipsis: Rc<Class>,
    pub bool_: Rc<Class>,
    pub int: Rc<Class>,
    pub float: Rc<Class>,
    pub complex: Rc<Class>,
    pub str_: Rc<Class>,
    pub bytes: Rc<Class>,
    pub bytearray: Rc<Class>,
    pub tuple: Rc<Class>,
    pub list: Rc<Class>,
    pub dict: Rc<Class>,
    pub set: Rc<Class>,
    pub frozenset: Rc<Class>,
    pub function: Rc<Class>,
    pub builtin: Rc<Class>,
    /// An unbound method of a builtin type (`list.append`): CPython's method_descriptor.
    pub method_descriptor: Rc<Class>,
    pub method: Rc<Class>,
    pub generator: Rc<Class>,
    pub coroutine: Rc<Class>,
    pub iterator: Rc<Class>,
    pub module: Rc<Class>,
    pub range: Rc<Class>,
    pub slice: Rc<Class>,
    pub cell: Rc<Class>,
    pub code: Rc<Class>,
    pub property: Rc<Class>,
    pub classmethod: Rc<Class>,
    pub staticmethod: Rc<Class>,
    pub super_: Rc<Class>,
    pub stringio: Rc<Class>,
    pub array: Rc<Class>,
    pub random: Rc<Class>,
    pub traceback: Rc<Class>,
    pub frame: Rc<Class>,
}

pub struct Vm {
    pub types: Types,
    /// Builtin exception classes by name.
    pub exc: FxHashMap<&'static str, Rc<Class>>,
    pub builtins: Rc<RefCell<Table>>,
    pub modules: FxHashMap<String, Value>,
    pub depth: usize,
    pub recursion_limit: usize,
    pub out: Vec<u8>,
    pub err: Vec<u8>,
    pub argv: Vec<String>,
    pub script_dir: Option<PathBuf>,
    pub interned: FxHashMap<Box<str>, Rc<PyStr>>,
    /// `intern_static`'s cache: (address, length) of a `&'static str` -> its interned
    /// string. Keyed by address so the hot dunder lookups (`__setattr__` on every instance
    /// store, `__init__`/`__new__` on every instantiation, the operator dunders) skip
    /// hashing and comparing the text; sound only because `'static` text never moves or
    /// changes, so one address and length always name the same characters.
    pub static_interned: FxHashMap<(usize, usize), Rc<PyStr>>,
    pub next_class_id: usize,
    /// Source text of each loaded file, for traceback source lines.
    pub sources: FxHashMap<String, Rc<str>>,
    /// PEP 669 state (sys.monitoring and native tools); see `monitoring`.
    pub monitoring: crate::monitoring::VmMon,
    pub main_module: Option<Rc<Module>>,
    pub stdout_redirect: Vec<Value>,
    pub code_caches:
        FxHashMap<usize, (Rc<vigil_compiler::CodeObject>, Rc<crate::frame::CodeCache>)>,
    /// Set by RERAISE and bare `raise` so the unwinder adds no traceback entry.
    pub reraising: bool,
    /// The innermost running frame's link (null when none): each `run_frame` puts a
    /// [`crate::frame::FrameLink`] on its own Rust stack, so the running frames form a chain
    /// (innermost first) that the Host API's frame views walk. Kept with or without the
    /// `monitoring` feature and with or without tools, so a call pays the same two stores
    /// everywhere and no test.
    pub(crate) running: *const crate::frame::FrameLink,
    /// The exception being handled by the running code (`Null` or `None` when none); inside
    /// a generator, the generator's own (see `Generator::exc`). `sys.exc_info()` and friends
    /// read `handled_exc`, which falls back to `exc_outer`.
    pub cur_exc: Value,
    /// The resumers' `cur_exc` of the generators running now, outermost first: CPython's
    /// chain of exception states (`exc_info->previous_item`). A generator with no exception
    /// of its own sees its consumer's handled exception through it.
    pub exc_outer: Vec<Value>,
    /// The value carried by the StopIteration that ended the last `next()` (for SEND on
    /// non-generator iterators and `next()` re-raising it).
    pub last_stop_value: Option<Value>,
    /// Containers being repr'd (recursion guard).
    pub repr_stack: Vec<usize>,
    /// When set, stdout and stderr text goes here (in order) instead of the process streams;
    /// used by tests.
    pub capture: Option<Vec<u8>>,
    /// The classes of the builtin iterator types: map, filter, zip, enumerate, reversed.
    pub iter_classes: Vec<Rc<Class>>,
    /// Attribute lookup cache on classes: (class id, interned name address) -> (class
    /// version, the name, result). Any write to a class namespace changes the version of
    /// the class and its subclasses (`Class::changed`).
    pub method_cache: FxHashMap<(usize, usize), MethodCacheEntry>,
    /// `class_lookup`'s own cache, for dunder names written in the VM's source: (class id,
    /// address and length of the `&'static str`) -> (class version, result after dropping
    /// native defaults). One probe instead of `intern_static` plus a `method_cache` probe;
    /// keyed by address for the reason given at `static_interned`.
    pub dunder_cache: FxHashMap<(usize, usize, usize), (u64, Option<Value>)>,
    /// Recycled vectors for frame value stacks and argument/locals arrays (avoids two
    /// allocations per call).
    pub vec_pool: Vec<Vec<Value>>,
    /// Boxes of finished generator frames, reused by the next generator so that creating one
    /// allocates no frame. Empty: the frame was taken apart when it finished (its vector went
    /// back to `vec_pool`, its function reference was dropped then, not at the box's reuse).
    pub frame_pool: Vec<Box<std::mem::MaybeUninit<crate::frame::Frame>>>,
    /// Finished generator objects that nothing else referred to when the `await` or `yield
    /// from` that ran them let go (END_SEND), reused by the next generator: a coroutine made,
    /// awaited and dropped per call cost a malloc and a free of its `Generator` each time.
    pub gen_pool: Vec<Rc<Generator>>,
    /// Function objects of finished generators that nothing else referred to (a genexpr's,
    /// made by MAKE_FUNCTION, called once and dropped when its generator ends), emptied of
    /// everything a program could see outlive it, for the next MAKE_FUNCTION (see
    /// `Vm::retire_function`): nqueens made and freed one per genexpr, ≈ 650 instructions
    /// with the malloc, the field set-up and the drop glue.
    pub fn_pool: Vec<Rc<Function>>,
    /// Emptied list objects that died as temporaries (the source of a slice assignment), kept
    /// for the next list a slice builds: fannkuch's `p[:k + 1] = p[k::-1]` would otherwise
    /// allocate and free a list object and its buffer on every execution (see
    /// `Vm::recycle_list`).
    pub list_pool: Vec<Rc<RefCell<Vec<Value>>>>,
    /// Emptied tuple objects, each held only here and keeping its buffer, for the next
    /// BUILD_TUPLE: SET_FUNCTION_ATTRIBUTE's closure tuple gives its object back with the
    /// buffer of the (pooled) function's previous closure, so a genexpr's closure costs no
    /// allocation once warm (nqueens made and freed two per genexpr). At most
    /// `TUPLE_POOL` entries (see `Vm::op_build_tuple`).
    pub tuple_pool: Vec<Rc<Vec<Value>>>,
    /// `(class address, class version)` of the last instance class `truthy` found to have
    /// neither `__bool__` nor `__len__` (see `Vm::truthy`); `(0, 0)` matches no class.
    pub plain_truthy: (usize, u64),
    /// The buffer `collect` gathers an iterator of unknown length in before moving the
    /// values into an exactly sized vector (empty between uses; a nested `collect` finds it
    /// taken and starts from an empty one).
    pub collect_scratch: Vec<Value>,
    /// The generator frame `Vm::sink_step` is draining and the consumer's buffer: its
    /// YIELD_VALUE appends there and runs on (see `generator::Sink`).
    pub(crate) sink: crate::generator::Sink,
    /// Step budget and the other run limits (see `limits`).
    pub limits: crate::limits::Limits,
    /// The builtin types whose subclass dunders are installed (see `subclass`), one bit
    /// per `Kind`: installed when the first subclass of the type is created, so that a
    /// program that subclasses nothing does not pay for them at start.
    pub(crate) subclass_ready: u64,
}

impl Vm {
    pub fn intern(&mut self, s: &str) -> Rc<PyStr> {
        if let Some(r) = self.interned.get(s) {
            return r.clone();
        }
        let r = Rc::new(PyStr::new(s));
        r.interned.set(true);
        self.interned.insert(s.into(), r.clone());
        r
    }

    /// `intern` for names written in the VM's source (dunders): looked up by the text's
    /// address, falling back to `intern` the first time an address is seen.
    #[inline]
    pub fn intern_static(&mut self, s: &'static str) -> Rc<PyStr> {
        let key = (s.as_ptr() as usize, s.len());
        if let Some(r) = self.static_interned.get(&key) {
            return r.clone();
        }
        let r = self.intern(s);
        self.static_interned.insert(key, r.clone());
        r
    }

    pub fn istr(&mut self, s: &str) -> Value {
        Value::Str(self.intern(s))
    }

    /// Creates an exception instance of `cls` with the given args.
    pub fn make_exc(&mut self, cls: &Rc<Class>, args: Vec<Value>) -> Value {
        let data = ExcData {
            args: RefCell::new(Value::tuple(args)),
            ..Default::default()
        };
        Value::Instance(Instance::new(
            cls.clone(),
            Some(Box::new(Native::Exc(data))),
        ))
    }

    pub fn exc_class(&self, name: &str) -> Rc<Class> {
        self.exc
            .get(name)
            .cloned()
            .unwrap_or_else(|| self.exc["Exception"].clone())
    }

    /// Builds an error of the named builtin class with a message.
    pub fn err(&mut self, name: &str, msg: impl Into<String>) -> PyErr {
        let cls = self.exc_class(name);
        let m = Value::string(msg.into());
        PyErr(self.make_exc(&cls, vec![m]))
    }

    pub fn type_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.err("TypeError", msg)
    }
    pub fn value_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.err("ValueError", msg)
    }
    pub fn index_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.err("IndexError", msg)
    }
    pub fn attr_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.err("AttributeError", msg)
    }
    pub fn zero_div(&mut self, msg: impl Into<String>) -> PyErr {
        self.err("ZeroDivisionError", msg)
    }
    pub fn key_error(&mut self, key: Value) -> PyErr {
        let cls = self.exc_class("KeyError");
        PyErr(self.make_exc(&cls, vec![key]))
    }
    pub fn stop_iteration(&mut self, value: Value) -> PyErr {
        let cls = self.exc_class("StopIteration");
        let args = if value.is_null() { vec![] } else { vec![value] };
        PyErr(self.make_exc(&cls, args))
    }

    pub fn support_err(&mut self, e: vigil_support::PyError) -> PyErr {
        let name = e.kind.name();
        self.err(name, e.msg)
    }

    /// True when `v` is an instance of the builtin exception class `name` (or a subclass).
    pub fn exc_matches(&self, v: &Value, name: &str) -> bool {
        match (v, self.exc.get(name)) {
            (Value::Instance(i), Some(c)) => is_subclass(&i.class, c),
            _ => false,
        }
    }

    pub fn flush(&mut self) {
        if let Some(c) = &mut self.capture {
            c.extend_from_slice(&self.out);
            self.out.clear();
            return;
        }
        let mut so = std::io::stdout();
        let _ = so.write_all(&self.out);
        let _ = so.flush();
        self.out.clear();
        let mut se = std::io::stderr();
        let _ = se.write_all(&self.err);
        let _ = se.flush();
        self.err.clear();
    }

    pub fn write_out(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
        if self.out.len() > 1 << 16 && self.capture.is_none() {
            let mut so = std::io::stdout();
            let _ = so.write_all(&self.out);
            self.out.clear();
        }
    }

    pub fn write_err(&mut self, s: &str) {
        if let Some(c) = &mut self.capture {
            c.extend_from_slice(&self.out);
            self.out.clear();
            c.extend_from_slice(s.as_bytes());
            return;
        }
        // Keep stdout and stderr ordered the way a line-buffered terminal would show them.
        let mut so = std::io::stdout();
        let _ = so.write_all(&self.out);
        let _ = so.flush();
        self.out.clear();
        let mut se = std::io::stderr();
        let _ = se.write_all(s.as_bytes());
        let _ = se.flush();
    }
}

/// `issubclass(a, b)` over the MRO.
pub fn is_subclass(a: &Rc<Class>, b: &Rc<Class>) -> bool {
    Rc::ptr_eq(a, b) || a.mro.iter().any(|c| Rc::ptr_eq(c, b))
}
