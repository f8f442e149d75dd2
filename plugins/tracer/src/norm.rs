//! Value and callable rendering for the `montrace` format: the normalization rules of
//! `shared/conformance/montrace.py` (`norm` and `callable_name`), written against a small
//! [`ValueView`] trait so they can be tested on synthetic values without a VM.
//!
//! This module decides only *what text* a value becomes; it does not know where values come
//! from (the SDK glue implements [`ValueView`] over the Host API) or where the text goes.

use vigil_plugin_api::ValueKind;

/// What the normalization rules need to know about a value. Every answer that the host could
/// fail to give is an `Option`/fallback, so a missing host feature degrades one token of one
/// line rather than the whole trace.
pub trait ValueView: Sized {
    /// The coarse kind (`isinstance`-based: a subclass of `int` is `INT`).
    fn kind(&self) -> ValueKind;
    /// `repr(value)`.
    fn repr(&self) -> String;
    /// `type(value).__name__`.
    fn type_name(&self) -> String;
    /// `value.__qualname__`, or `None` when it has none.
    fn qualname(&self) -> Option<String>;
    /// `value.__name__`.
    fn name(&self) -> Option<String>;
    /// The elements of a tuple or list.
    fn items(&self) -> Vec<Self>;
    /// An exception's `args`.
    fn exception_args(&self) -> Vec<Self>;
    /// `type(value.__self__).__name__` for a builtin bound to a non-module object.
    fn builtin_self_type(&self) -> Option<String>;
    /// `co_qualname` of a code object.
    fn code_qualname(&self) -> Option<String>;
}

/// montrace's `plain`: None, bool, int, float, str, bytes, and tuples/lists of only those.
pub fn plain<V: ValueView>(v: &V) -> bool {
    match v.kind() {
        ValueKind::NONE
        | ValueKind::BOOL
        | ValueKind::INT
        | ValueKind::FLOAT
        | ValueKind::STR
        | ValueKind::BYTES => true,
        ValueKind::TUPLE | ValueKind::LIST => v.items().iter().all(plain),
        _ => false,
    }
}

/// montrace's `norm`: `repr` for plain data, a type-level name for everything else.
pub fn norm<V: ValueView>(v: &V) -> String {
    let kind = v.kind();
    if kind == ValueKind::MISSING {
        return "MISSING".to_owned();
    }
    if plain(v) {
        return v.repr();
    }
    let q = || v.qualname().unwrap_or_else(|| v.type_name());
    match kind {
        ValueKind::EXCEPTION => {
            let args: Vec<String> = v.exception_args().iter().map(norm).collect();
            format!("{}({})", v.type_name(), args.join(", "))
        }
        ValueKind::CLASS => format!("<class {}>", q()),
        ValueKind::FUNCTION => format!("<function {}>", q()),
        ValueKind::BUILTIN => format!("<builtin {}>", q()),
        // A bound method's `__qualname__` is its function's, which is what montrace prints.
        ValueKind::METHOD => format!("<bound method {}>", q()),
        ValueKind::CODE => format!("<code {}>", v.code_qualname().unwrap_or_else(q)),
        _ => format!("<{} object>", v.type_name()),
    }
}

/// montrace's `callable_name`: how CALL, C_RETURN and C_RAISE name their callable.
pub fn callable_name<V: ValueView>(c: &V) -> String {
    let kind = c.kind();
    if kind == ValueKind::METHOD {
        return format!("bound:{}", c.qualname().unwrap_or_default());
    }
    if kind == ValueKind::BUILTIN
        && let Some(owner) = c.builtin_self_type()
    {
        return format!(
            "builtin-method:{owner}.{}",
            c.name().unwrap_or_else(|| c.qualname().unwrap_or_default())
        );
    }
    let Some(qn) = c.qualname() else {
        return norm(c);
    };
    match kind {
        ValueKind::CLASS => format!("class:{qn}"),
        ValueKind::FUNCTION => qn,
        ValueKind::BUILTIN => format!("builtin:{qn}"),
        _ => format!("{}:{qn}", c.type_name()),
    }
}

#[cfg(test)]
pub(crate) mod fake {
    //! A synthetic value for tests: every field is what a host would answer.
    use super::ValueView;
    use vigil_plugin_api::ValueKind;

    #[derive(Clone, Debug)]
    pub struct Fake {
        pub kind: ValueKind,
        pub repr: String,
        pub type_name: String,
        pub qualname: Option<String>,
        pub name: Option<String>,
        pub items: Vec<Fake>,
        pub self_type: Option<String>,
    }

    impl Fake {
        pub fn new(kind: ValueKind, type_name: &str, repr: &str) -> Fake {
            Fake {
                kind,
                repr: repr.to_owned(),
                type_name: type_name.to_owned(),
                qualname: None,
                name: None,
                items: Vec::new(),
                self_type: None,
            }
        }
        pub fn int(n: i64) -> Fake {
            Fake::new(ValueKind::INT, "int", &n.to_string())
        }
        pub fn str(s: &str) -> Fake {
            Fake::new(ValueKind::STR, "str", &format!("'{s}'"))
        }
        pub fn named(kind: ValueKind, type_name: &str, qualname: &str) -> Fake {
            let mut f = Fake::new(kind, type_name, "<?>");
            f.qualname = Some(qualname.to_owned());
            f.name = qualname.rsplit('.').next().map(str::to_owned);
            f
        }
        pub fn missing() -> Fake {
            Fake::new(ValueKind::MISSING, "", "")
        }
    }

    impl ValueView for Fake {
        fn kind(&self) -> ValueKind {
            self.kind
        }
        fn repr(&self) -> String {
            self.repr.clone()
        }
        fn type_name(&self) -> String {
            self.type_name.clone()
        }
        fn qualname(&self) -> Option<String> {
            self.qualname.clone()
        }
        fn name(&self) -> Option<String> {
            self.name.clone()
        }
        fn items(&self) -> Vec<Fake> {
            self.items.clone()
        }
        fn exception_args(&self) -> Vec<Fake> {
            self.items.clone()
        }
        fn builtin_self_type(&self) -> Option<String> {
            self.self_type.clone()
        }
        fn code_qualname(&self) -> Option<String> {
            self.qualname.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fake::Fake;
    use super::*;

    // Expected strings are what montrace.py prints under CPython 3.13 for the same values
    // (checked with /root/.cache/cpython3.13/python3.13 and the functions copied from
    // montrace.py into a probe script).

    #[test]
    fn plain_values_use_repr() {
        assert_eq!(norm(&Fake::int(42)), "42");
        assert_eq!(norm(&Fake::str("a")), "'a'");
        let mut t = Fake::new(ValueKind::TUPLE, "tuple", "(1, 'a')");
        t.items = vec![Fake::int(1), Fake::str("a")];
        assert_eq!(norm(&t), "(1, 'a')");
        assert_eq!(norm(&Fake::missing()), "MISSING");
    }

    #[test]
    fn a_list_holding_an_object_is_not_plain() {
        let mut l = Fake::new(ValueKind::LIST, "list", "[<object>]");
        l.items = vec![Fake::new(ValueKind::OTHER, "Node", "<Node at 0x1>")];
        assert_eq!(norm(&l), "<list object>");
        let d = Fake::new(ValueKind::DICT, "dict", "{}");
        assert_eq!(norm(&d), "<dict object>");
    }

    #[test]
    fn exceptions_render_type_and_normalized_args() {
        let mut e = Fake::new(ValueKind::EXCEPTION, "ValueError", "ValueError('x', 3)");
        e.items = vec![Fake::str("x"), Fake::int(3)];
        assert_eq!(norm(&e), "ValueError('x', 3)");
        let s = Fake::new(ValueKind::EXCEPTION, "StopIteration", "StopIteration()");
        assert_eq!(norm(&s), "StopIteration()");
    }

    #[test]
    fn type_level_names() {
        assert_eq!(
            norm(&Fake::named(ValueKind::CLASS, "type", "A.B")),
            "<class A.B>"
        );
        assert_eq!(
            norm(&Fake::named(
                ValueKind::FUNCTION,
                "function",
                "f.<locals>.g"
            )),
            "<function f.<locals>.g>"
        );
        assert_eq!(
            norm(&Fake::named(
                ValueKind::BUILTIN,
                "builtin_function_or_method",
                "len"
            )),
            "<builtin len>"
        );
        assert_eq!(
            norm(&Fake::named(ValueKind::METHOD, "method", "C.m")),
            "<bound method C.m>"
        );
        assert_eq!(norm(&Fake::named(ValueKind::CODE, "code", "f")), "<code f>");
        assert_eq!(
            norm(&Fake::new(ValueKind::GENERATOR, "generator", "<generator>")),
            "<generator object>"
        );
    }

    #[test]
    fn callable_names() {
        assert_eq!(
            callable_name(&Fake::named(ValueKind::FUNCTION, "function", "f")),
            "f"
        );
        assert_eq!(
            callable_name(&Fake::named(ValueKind::METHOD, "method", "C.m")),
            "bound:C.m"
        );
        assert_eq!(
            callable_name(&Fake::named(ValueKind::CLASS, "type", "C")),
            "class:C"
        );
        assert_eq!(
            callable_name(&Fake::named(
                ValueKind::BUILTIN,
                "builtin_function_or_method",
                "len"
            )),
            "builtin:len"
        );
        let mut app = Fake::named(
            ValueKind::BUILTIN,
            "builtin_function_or_method",
            "list.append",
        );
        app.self_type = Some("list".to_owned());
        assert_eq!(callable_name(&app), "builtin-method:list.append");
        // A callable object without __qualname__ falls back to norm().
        let obj = Fake::new(ValueKind::OTHER, "partial", "functools.partial(...)");
        assert_eq!(callable_name(&obj), "<partial object>");
        // A callable with a qualname that is none of the above: TypeName:Q.
        let sm = Fake::named(ValueKind::OTHER, "method-wrapper", "object.__init__");
        assert_eq!(callable_name(&sm), "method-wrapper:object.__init__");
    }
}
