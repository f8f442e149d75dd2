//! Builds a fresh `Vm`: the builtin classes, the exception hierarchy (CPython 3.13's tree),
//! builtin methods installed into class dicts, and the builtins namespace.

use crate::dict::Table;
use crate::value::*;
use crate::vm::{Types, Vm};
use rustc_hash::FxHashMap;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

fn class(name: &str, kind: Kind, bases: Vec<Rc<Class>>, id: usize) -> Rc<Class> {
    let mut mro = Vec::new();
    for b in &bases {
        mro.push(b.clone());
        for m in &b.mro {
            if !mro.iter().any(|x: &Rc<Class>| Rc::ptr_eq(x, m)) {
                mro.push(m.clone());
            }
        }
    }
    let c = Rc::new(Class {
        name: name.to_string(),
        qualname: name.to_string(),
        module: "builtins".into(),
        bases,
        mro,
        dict: RefCell::new(Table::new()),
        kind,
        base_kind: kind,
        slots: None,
        id,
        has_descriptors: Cell::new(false),
        layout: crate::shape::ClassLayout::new(Vec::new()),
        version: Cell::new(crate::value::next_class_version()),
        subclasses: RefCell::new(Vec::new()),
        cmp_dunders: Default::default(),
        meta: None,
    });
    for m in &c.mro {
        m.add_subclass(&c);
    }
    c
}

/// CPython 3.13's builtin exception tree: (name, parent).
const EXCEPTIONS: &[(&str, &str)] = &[
    ("GeneratorExit", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("SystemExit", "BaseException"),
    ("Exception", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("FloatingPointError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("BufferError", "Exception"),
    ("EOFError", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("MemoryError", "Exception"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("OSError", "Exception"),
    ("FileNotFoundError", "OSError"),
    ("FileExistsError", "OSError"),
    ("PermissionError", "OSError"),
    ("IsADirectoryError", "OSError"),
    ("NotADirectoryError", "OSError"),
    ("TimeoutError", "OSError"),
    ("ReferenceError", "Exception"),
    ("RuntimeError", "Exception"),
    ("NotImplementedError", "RuntimeError"),
    ("RecursionError", "RuntimeError"),
    ("StopAsyncIteration", "Exception"),
    ("StopIteration", "Exception"),
    ("SyntaxError", "Exception"),
    ("IndentationError", "SyntaxError"),
    ("TabError", "IndentationError"),
    ("SystemError", "Exception"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("UnicodeDecodeError", "UnicodeError"),
    ("UnicodeEncodeError", "UnicodeError"),
    ("Warning", "Exception"),
    ("DeprecationWarning", "Warning"),
    ("PendingDeprecationWarning", "Warning"),
    ("RuntimeWarning", "Warning"),
    ("SyntaxWarning", "Warning"),
    ("UserWarning", "Warning"),
    ("FutureWarning", "Warning"),
    ("ImportWarning", "Warning"),
    ("UnicodeWarning", "Warning"),
    ("BytesWarning", "Warning"),
    ("ResourceWarning", "Warning"),
];

impl Vm {
    pub fn new(argv: Vec<String>) -> Vm {
        let mut id = 0;
        let mut mk = |name: &str, kind: Kind, bases: Vec<Rc<Class>>| {
            id += 1;
            class(name, kind, bases, id)
        };
        let object = mk("object", Kind::Object, vec![]);
        let o = || vec![object.clone()];
        let int = mk("int", Kind::Int, o());
        let types = Types {
            type_: mk("type", Kind::Type, o()),
            none: mk("NoneType", Kind::NoneType, o()),
            notimpl: mk("NotImplementedType", Kind::NotImplementedType, o()),
            ellipsis: mk("ellipsis", Kind::Ellipsis, o()),
            bool_: mk("bool", Kind::Bool, vec![int.clone()]),
            float: mk("float", Kind::Float, o()),
            complex: mk("complex", Kind::Complex, o()),
            str_: mk("str", Kind::Str, o()),
            bytes: mk("bytes", Kind::Bytes, o()),
            bytearray: mk("bytearray", Kind::ByteArray, o()),
            tuple: mk("tuple", Kind::Tuple, o()),
            list: mk("list", Kind::List, o()),
            dict: mk("dict", Kind::Dict, o()),
            set: mk("set", Kind::Set, o()),
            frozenset: mk("frozenset", Kind::FrozenSet, o()),
            function: mk("function", Kind::Function, o()),
            builtin: mk("builtin_function_or_method", Kind::BuiltinFunction, o()),
            method_descriptor: mk("method_descriptor", Kind::BuiltinFunction, o()),
            method: mk("method", Kind::Method, o()),
            generator: mk("generator", Kind::Generator, o()),
            coroutine: mk("coroutine", Kind::Coroutine, o()),
            iterator: mk("iterator", Kind::Iterator, o()),
            module: mk("module", Kind::Module, o()),
            range: mk("range", Kind::Range, o()),
            slice: mk("slice", Kind::Slice, o()),
            cell: mk("cell", Kind::Cell, o()),
            code: mk("code", Kind::Code, o()),
            property: mk("property", Kind::Property, o()),
            classmethod: mk("classmethod", Kind::ClassMethod, o()),
            staticmethod: mk("staticmethod", Kind::StaticMethod, o()),
            super_: mk("super", Kind::Super, o()),
            stringio: mk("StringIO", Kind::StringIO, o()),
            array: mk("array", Kind::Array, o()),
            random: mk("Random", Kind::Random, o()),
            traceback: mk("traceback", Kind::Traceback, o()),
            frame: mk("frame", Kind::Frame, o()),
            int,
            object: object.clone(),
        };
        let mut exc: FxHashMap<&'static str, Rc<Class>> = FxHashMap::default();
        id += 1;
        let base = class("BaseException", Kind::Exception, vec![object.clone()], id);
        exc.insert("BaseException", base);
        for (name, parent) in EXCEPTIONS {
            id += 1;
            let p = exc[parent].clone();
            exc.insert(name, class(name, Kind::Exception, vec![p], id));
        }
        let mut vm = Vm {
            types,
            exc,
            builtins: Rc::new(RefCell::new(Table::new())),
            modules: FxHashMap::default(),
            depth: 0,
            recursion_limit: 1000,
            out: Vec::new(),
            err: Vec::new(),
            argv,
            script_dir: None,
            interned: FxHashMap::default(),
            static_interned: FxHashMap::default(),
            next_class_id: id + 1,
            sources: FxHashMap::default(),
            monitoring: Default::default(),
            main_module: None,
            stdout_redirect: Vec::new(),
            code_caches: FxHashMap::default(),
            reraising: false,
            running: std::ptr::null(),
            cur_exc: Value::Null,
            exc_outer: Vec::new(),
            last_stop_value: None,
            repr_stack: Vec::new(),
            capture: None,
            iter_classes: Vec::new(),
            method_cache: FxHashMap::default(),
            dunder_cache: FxHashMap::default(),
            vec_pool: Vec::with_capacity(crate::call::VEC_POOL),
            frame_pool: Vec::new(),
            gen_pool: Vec::new(),
            fn_pool: Vec::new(),
            list_pool: Vec::new(),
            tuple_pool: Vec::new(),
            plain_truthy: (0, 0),
            collect_scratch: Vec::new(),
            sink: Default::default(),
            limits: Default::default(),
            subclass_ready: 0,
        };
        vm.install_methods();
        crate::builtins::register(&mut vm);
        vm
    }

    /// Puts builtin methods of `owner` (the type named in their errors) into `cls`'s dict.
    pub(crate) fn add_methods(
        &mut self,
        cls: &Rc<Class>,
        owner: &'static str,
        ms: Vec<(&'static str, NativeFn)>,
    ) {
        for (name, f) in ms {
            let v = Value::Builtin(Rc::new(Builtin {
                name,
                f,
                bound: None,
                owner: Some(owner),
            }));
            let n = self.intern(name);
            Vm::table_set_str(&mut cls.dict.borrow_mut(), n, v);
        }
    }

    fn install_methods(&mut self) {
        use crate::methods::*;
        let t = &self.types;
        let (
            object,
            str_,
            list,
            tuple,
            dict,
            set,
            frozenset,
            int,
            float,
            bytes,
            bytearray,
            generator,
            coroutine,
            iterator,
            type_,
            property,
        ) = (
            t.object.clone(),
            t.str_.clone(),
            t.list.clone(),
            t.tuple.clone(),
            t.dict.clone(),
            t.set.clone(),
            t.frozenset.clone(),
            t.int.clone(),
            t.float.clone(),
            t.bytes.clone(),
            t.bytearray.clone(),
            t.generator.clone(),
            t.coroutine.clone(),
            t.iterator.clone(),
            t.type_.clone(),
            t.property.clone(),
        );
        self.add_methods(&object, "object", object_methods());
        self.add_methods(&str_, "str", str_methods());
        self.add_methods(&list, "list", list_methods());
        self.add_methods(&tuple, "tuple", tuple_methods());
        self.add_methods(&dict, "dict", dict_methods());
        self.add_methods(&set, "set", set_methods(false));
        self.add_methods(&frozenset, "frozenset", set_methods(true));
        self.add_methods(&int, "int", int_methods());
        self.add_methods(&float, "float", float_methods());
        let complex = self.types.complex.clone();
        self.add_methods(&complex, "complex", crate::methods::complex_methods());
        let mut bm = bytes_methods();
        bm.retain(|(n, _)| !BYTEARRAY_ONLY.contains(n));
        self.add_methods(&bytes, "bytes", bm);
        self.add_methods(&bytearray, "bytearray", bytes_methods());
        self.add_methods(&generator, "generator", gen_methods());
        self.add_methods(&coroutine, "coroutine", coro_methods());
        self.add_methods(&iterator, "iterator", iter_methods());
        self.add_methods(&type_, "type", type_methods());
        self.add_methods(&property, "property", property_methods());
        let range = self.types.range.clone();
        self.add_methods(&range, "range", range_methods());
        let base = self.exc["BaseException"].clone();
        self.add_methods(&base, "BaseException", exception_methods());
        // str.maketrans and dict.fromkeys are called on the class: make them static/class;
        // object.__init_subclass__ is an implicit classmethod.
        for (cls, name, classm) in [
            (str_.clone(), "maketrans", false),
            (dict.clone(), "fromkeys", true),
            (float.clone(), "fromhex", true),
            (int.clone(), "from_bytes", true),
            (bytes.clone(), "fromhex", true),
            (bytearray.clone(), "fromhex", true),
            (bytes.clone(), "maketrans", false),
            (bytearray.clone(), "maketrans", false),
            (object.clone(), "__init_subclass__", true),
            (type_.clone(), "__new__", false),
            (type_.clone(), "__prepare__", true),
        ] {
            let n = self.intern(name);
            let f = Vm::table_get_str(&cls.dict.borrow(), &n);
            if let Some(Value::Builtin(b)) = f {
                let nb = Value::Builtin(Rc::new(Builtin {
                    name: b.name,
                    f: b.f,
                    bound: None,
                    owner: None,
                }));
                let wrapped = if classm {
                    Value::ClassMethod(Rc::new(nb))
                } else {
                    Value::StaticMethod(Rc::new(nb))
                };
                Vm::table_set_str(&mut cls.dict.borrow_mut(), n, wrapped);
            }
        }
    }
}
