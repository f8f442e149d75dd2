//! The value representation and the object structs behind it. Small ints, floats, bools and
//! None live inline in `Value` (no heap allocation); everything else is an `Rc` to a struct
//! defined here. This file owns the shapes; behaviour (arithmetic, repr, attribute lookup,
//! calls) lives in `ops`, `attr`, `call` and the builtin modules.

use crate::dict::Table;
use num_bigint::BigInt;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use vigil_compiler::bytecode::CodeObject;

/// A Python value. `Null` is the interpreter's internal "no value" marker (unbound locals,
/// the NULL slot of a call); it never reaches guest code.
#[derive(Default)]
#[repr(u64)]
pub enum Value {
    #[default]
    Null,
    None,
    NotImplemented,
    Ellipsis,
    Bool(bool),
    Int(i64),
    Float(f64),
    Big(Rc<BigInt>),
    Str(Rc<PyStr>),
    Bytes(Rc<Vec<u8>>),
    ByteArray(Rc<RefCell<Vec<u8>>>),
    Tuple(Rc<Vec<Value>>),
    List(Rc<RefCell<Vec<Value>>>),
    Dict(Rc<RefCell<Table>>),
    Set(Rc<RefCell<crate::sets::SetT>>),
    FrozenSet(Rc<crate::sets::SetT>),
    Class(Rc<Class>),
    Instance(Rc<Instance>),
    Function(Rc<Function>),
    Builtin(Rc<Builtin>),
    Method(Rc<(Value, Value)>),
    Gen(Rc<Generator>),
    Iter(Rc<RefCell<IterState>>),
    Module(Rc<Module>),
    Range(Rc<(i64, i64, i64)>),
    Slice(Rc<(Value, Value, Value)>),
    Cell(Rc<RefCell<Value>>),
    Code(Rc<CodeObject>),
    Property(Rc<Property>),
    ClassMethod(Rc<Value>),
    StaticMethod(Rc<Value>),
    Super(Rc<(Rc<Class>, Value)>),
    StringIO(Rc<RefCell<StringIo>>),
    Array(Rc<RefCell<Array>>),
    Random(Rc<RefCell<vigil_support::Random>>),
    /// A live view of a dict: `.0` the dict, `.1` 0 = keys, 1 = values, 2 = items.
    DictView(Rc<(Rc<RefCell<Table>>, u8)>),
    /// A complex number `(real, imag)`. Boxed (and last) so `Value` stays 16 bytes and the
    /// inline variants keep their tags: complex arithmetic is rare and takes the general path.
    Complex(Rc<(f64, f64)>),
    /// A traceback object (see `frameobj`).
    Traceback(Rc<crate::frameobj::TbObj>),
    /// A frame object (see `frameobj`).
    FrameObj(Rc<crate::frameobj::FrameObj>),
}

/// The tag word of a variant. `Value` is `repr(u64)`, so every variant starts with its tag as
/// a `u64` and the 8-byte payload follows it.
const fn tag_of(v: &Value) -> u64 {
    // SAFETY: `repr(u64)` puts the tag, a `u64`, at offset 0 of every variant, and `v` is a
    // live, aligned `Value`.
    unsafe { *(v as *const Value).cast::<u64>() }
}

const INT_TAG: u64 = tag_of(&Value::Int(0));

/// Writes `Value::Int(i)` to `dst` in one 16-byte store, without reading or dropping what was
/// there. Written as a `Value`, the compiler stores the tag and the payload separately, and
/// the next instruction's 16-byte load of the slot (the loop's STORE_FAST, for a range step)
/// cannot be forwarded from two stores: it waits until both have reached the cache.
///
/// # Safety
/// `dst` must be valid for a write of one `Value` and aligned for it.
#[inline(always)]
pub(crate) unsafe fn write_int_whole(dst: *mut Value, i: i64) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{__m128i, _mm_set_epi64x};
        // SAFETY: the caller gives a place for one `Value`. `Value` is `repr(u64)`, so this
        // image (`Int`'s tag word, then the payload) is exactly `Value::Int(i)`. `__m128i` is
        // more strictly aligned than `Value`, hence the unaligned write.
        unsafe {
            dst.cast::<__m128i>()
                .write_unaligned(_mm_set_epi64x(i, INT_TAG as i64));
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    // SAFETY: as above, through an ordinary `Value` write.
    unsafe {
        dst.write(Value::Int(i));
    }
}

/// An immutable str with a cached hash and code point count.
pub struct PyStr {
    pub s: StrText,
    pub nchars: usize,
    pub hash: Cell<i64>,
    /// Set on the one canonical copy held by `Vm::intern`. Instance attribute names are
    /// always interned, so an interned lookup name can be matched by address alone.
    pub interned: Cell<bool>,
}

impl PyStr {
    pub fn new(s: impl Into<StrText>) -> Self {
        let s: StrText = s.into();
        let nchars = if s.is_ascii() {
            s.len()
        } else {
            s.chars().count()
        };
        PyStr {
            s,
            nchars,
            hash: Cell::new(-1),
            interned: Cell::new(false),
        }
    }
    /// A str whose code point count the caller already knows (a piece of an ASCII str, a
    /// join of counted parts), without the scan `new` makes to count them.
    pub fn with_nchars(s: impl Into<StrText>, nchars: usize) -> Self {
        let s: StrText = s.into();
        debug_assert_eq!(nchars, s.chars().count());
        PyStr {
            s,
            nchars,
            hash: Cell::new(-1),
            interned: Cell::new(false),
        }
    }
    /// `a + b`.
    pub fn concat(a: &PyStr, b: &PyStr) -> PyStr {
        let mut t = TextBuilder::with_capacity(a.s.len() + b.s.len());
        t.push(&a.s);
        t.push(&b.s);
        PyStr::with_nchars(t.finish(), a.nchars + b.nchars)
    }
    pub fn is_ascii(&self) -> bool {
        self.nchars == self.s.len()
    }
    pub fn as_str(&self) -> &str {
        &self.s
    }
}

/// Texts up to this many bytes live inside the str object: the words of a `split()`, the
/// keys of a dict, the pieces of an f-string are mostly this short, and each then costs one
/// allocation (the `Rc`) instead of two. 22 keeps `StrText` at 24 bytes, the size of the
/// boxed form plus its tag.
const INLINE: usize = 22;

/// The text of a str: inline when short, else boxed. Reads as a `&str` through `Deref`.
pub struct StrText(TextRepr);

const _: () = assert!(std::mem::size_of::<StrText>() == 24);

enum TextRepr {
    Inline(u8, [u8; INLINE]),
    Heap(Box<str>),
}

impl StrText {
    #[inline]
    fn inline(s: &str) -> Option<StrText> {
        if s.len() > INLINE {
            return None;
        }
        let mut buf = [0u8; INLINE];
        buf[..s.len()].copy_from_slice(s.as_bytes());
        Some(StrText(TextRepr::Inline(s.len() as u8, buf)))
    }
}

impl StrText {
    /// Appends `t` in place (`str_append_in_place`): within the inline buffer while it
    /// fits, else by growing the boxed text, one `realloc` that usually extends the block.
    pub fn append(&mut self, t: &str) {
        match &mut self.0 {
            TextRepr::Inline(len, buf) if *len as usize + t.len() <= INLINE => {
                let at = *len as usize;
                buf[at..at + t.len()].copy_from_slice(t.as_bytes());
                *len += t.len() as u8;
            }
            TextRepr::Inline(..) => {
                let mut text = String::with_capacity(self.len() + t.len());
                text.push_str(self);
                text.push_str(t);
                self.0 = TextRepr::Heap(text.into_boxed_str());
            }
            TextRepr::Heap(b) => {
                let mut text = std::mem::take(b).into_string();
                text.reserve_exact(t.len());
                text.push_str(t);
                *b = text.into_boxed_str();
            }
        }
    }
}

/// Builds a `StrText` from pieces whose total length is known up front (concatenation,
/// `join`, BUILD_STRING): a short result is written straight into the inline buffer, with
/// no `String` allocated, copied and freed on the way.
pub struct TextBuilder {
    len: usize,
    buf: [u8; INLINE],
    heap: Option<String>,
}

impl TextBuilder {
    pub fn with_capacity(total: usize) -> TextBuilder {
        TextBuilder {
            len: 0,
            buf: [0; INLINE],
            heap: (total > INLINE).then(|| String::with_capacity(total)),
        }
    }

    #[inline(always)]
    pub fn push(&mut self, s: &str) {
        if let Some(h) = &mut self.heap {
            h.push_str(s);
            return;
        }
        let end = self.len + s.len();
        if end <= INLINE {
            self.buf[self.len..end].copy_from_slice(s.as_bytes());
            self.len = end;
        } else {
            self.spill(s);
        }
    }

    /// More than announced: carry on in a `String`.
    #[cold]
    fn spill(&mut self, s: &str) {
        let mut h = String::with_capacity(self.len + s.len());
        h.push_str(self.inline_text());
        h.push_str(s);
        self.heap = Some(h);
    }

    fn inline_text(&self) -> &str {
        // SAFETY: `buf[..len]` holds whole `&str`s copied in by `push`.
        unsafe { std::str::from_utf8_unchecked(&self.buf[..self.len]) }
    }

    pub fn finish(self) -> StrText {
        match self.heap {
            Some(h) => StrText(TextRepr::Heap(h.into_boxed_str())),
            None => StrText(TextRepr::Inline(self.len as u8, self.buf)),
        }
    }
}

impl std::ops::Deref for StrText {
    type Target = str;
    #[inline(always)]
    fn deref(&self) -> &str {
        match &self.0 {
            // SAFETY: the first `len` bytes were copied from a `&str` (`StrText::inline`),
            // so they are valid UTF-8, and `len <= INLINE`.
            TextRepr::Inline(len, buf) => unsafe {
                std::str::from_utf8_unchecked(buf.get_unchecked(..*len as usize))
            },
            TextRepr::Heap(b) => b,
        }
    }
}

impl From<&str> for StrText {
    #[inline]
    fn from(s: &str) -> StrText {
        StrText::inline(s).unwrap_or_else(|| StrText(TextRepr::Heap(s.into())))
    }
}

impl From<String> for StrText {
    #[inline]
    fn from(s: String) -> StrText {
        StrText::inline(&s).unwrap_or_else(|| StrText(TextRepr::Heap(s.into_boxed_str())))
    }
}

impl From<Box<str>> for StrText {
    #[inline]
    fn from(s: Box<str>) -> StrText {
        StrText::inline(&s).unwrap_or(StrText(TextRepr::Heap(s)))
    }
}

impl From<&String> for StrText {
    #[inline]
    fn from(s: &String) -> StrText {
        StrText::from(s.as_str())
    }
}

impl Clone for StrText {
    fn clone(&self) -> StrText {
        StrText::from(&**self)
    }
}

impl std::fmt::Display for StrText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&**self, f)
    }
}

impl std::fmt::Debug for StrText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for StrText {
    fn eq(&self, other: &StrText) -> bool {
        **self == **other
    }
}

impl Eq for StrText {}

impl PartialOrd for StrText {
    fn partial_cmp(&self, other: &StrText) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for StrText {
    fn cmp(&self, other: &StrText) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl PartialEq<str> for StrText {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for StrText {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl std::hash::Hash for StrText {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (**self).hash(h)
    }
}

impl std::borrow::Borrow<str> for StrText {
    fn borrow(&self) -> &str {
        self
    }
}

impl AsRef<str> for StrText {
    fn as_ref(&self) -> &str {
        self
    }
}

impl AsRef<std::path::Path> for StrText {
    fn as_ref(&self) -> &std::path::Path {
        std::path::Path::new(&**self)
    }
}

impl AsRef<std::ffi::OsStr> for StrText {
    fn as_ref(&self) -> &std::ffi::OsStr {
        std::ffi::OsStr::new(&**self)
    }
}

/// Builtin type tags: how a class's instances are represented natively.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Object,
    Type,
    NoneType,
    NotImplementedType,
    Ellipsis,
    Bool,
    Int,
    Float,
    Complex,
    Str,
    Bytes,
    ByteArray,
    Tuple,
    List,
    Dict,
    Set,
    FrozenSet,
    Function,
    BuiltinFunction,
    Method,
    Generator,
    Coroutine,
    Iterator,
    Module,
    Range,
    Slice,
    Cell,
    Code,
    Property,
    ClassMethod,
    StaticMethod,
    Super,
    StringIO,
    Array,
    Random,
    Traceback,
    Frame,
    /// BaseException and every exception class (builtin or user).
    Exception,
    /// A user class deriving (only) from object.
    User,
}

/// A class: builtin or user-defined.
pub struct Class {
    pub name: String,
    pub qualname: String,
    pub module: String,
    pub bases: Vec<Rc<Class>>,
    /// Method resolution order *excluding* the class itself (avoids an Rc cycle).
    pub mro: Vec<Rc<Class>>,
    pub dict: RefCell<Table>,
    pub kind: Kind,
    /// The builtin type this class's instances are represented as.
    pub base_kind: Kind,
    /// `__slots__` names, when the class (and all its bases) declared them.
    pub slots: Option<Vec<Rc<PyStr>>>,
    pub id: usize,
    /// Set when the class or a base defines a property, `__getattr__`-style hook or
    /// `__setattr__`: the interpreter's instance-attribute fast path is then skipped.
    pub has_descriptors: Cell<bool>,
    /// Instance layout: the root shape (the `__slots__` slots) and the allocation hint.
    pub layout: crate::shape::ClassLayout,
    /// Changes (to a value no class had before) whenever this class's namespace or a
    /// base's changes, so `(class, version)` validates cached lookups.
    pub version: Cell<u64>,
    /// Every class that has this one in its MRO, for version bumps and flag propagation.
    pub subclasses: RefCell<Vec<std::rc::Weak<Class>>>,
    /// What `Vm::class_lookup` found for each rich-comparison dunder (see `CmpDunders`).
    pub cmp_dunders: CmpDunders,
    /// The class's metaclass when it is not `type` (`class C(metaclass=M)`, or a base's).
    /// Only the slow paths read it: a class with one never fills its constructor cache
    /// (`call_class`), so the fast instantiation paths never meet it.
    pub meta: Option<Rc<Class>>,
}

/// A class's own cache of its six rich-comparison dunders (`a < b` on instances), indexed
/// by `CmpOp`: each entry is the lookup's outcome and the class version it was found under.
/// The version changes with any change to the class's or a base's namespace (see
/// `Class::version`), so a matching entry is the lookup's answer; version 0, which no class
/// has, marks an entry never filled. Kept on the class rather than in `Vm::dunder_cache`:
/// a hit is an index and a compare, not a hash and a probe.
#[derive(Default)]
pub struct CmpDunders(pub [(Cell<u64>, RefCell<Option<Value>>); 6]);

thread_local! {
    static NEXT_CLASS_VERSION: Cell<u64> = const { Cell::new(1) };
}

/// A class version no class has had before (see `Class::version`).
pub fn next_class_version() -> u64 {
    NEXT_CLASS_VERSION.with(|c| {
        let v = c.get();
        c.set(v + 1);
        v
    })
}

impl Class {
    /// Whether the program defined this class (a `class` statement or `type(name, bases,
    /// ns)`), as opposed to one of the VM's builtin types.
    pub fn is_user_defined(&self) -> bool {
        self.kind == Kind::User || (self.kind == Kind::Exception && self.module != "builtins")
    }

    /// Records that `sub` has this class in its MRO.
    pub fn add_subclass(&self, sub: &Rc<Class>) {
        let mut subs = self.subclasses.borrow_mut();
        // Classes made and dropped in a loop would otherwise pile up here.
        if subs.len() == subs.capacity() {
            subs.retain(|w| w.strong_count() > 0);
        }
        subs.push(Rc::downgrade(sub));
    }

    /// Called after any change to this class's namespace: every cached lookup on this
    /// class or a subclass becomes invalid. `descriptors` also marks them as having a
    /// descriptor or attribute hook (see `has_descriptors`).
    pub fn changed(&self, descriptors: bool) {
        self.version.set(next_class_version());
        if descriptors {
            self.has_descriptors.set(true);
        }
        for w in self.subclasses.borrow().iter() {
            if let Some(c) = w.upgrade() {
                c.version.set(next_class_version());
                if descriptors {
                    c.has_descriptors.set(true);
                }
            }
        }
    }
}

/// An instance of a user class (including exceptions and subclasses of builtin types).
pub struct Instance {
    pub class: Rc<Class>,
    /// Attribute values, laid out by a shape (see `shape`).
    pub attrs: crate::shape::Attrs,
    /// What a builtin base class keeps natively (see `Native`). One pointer for both kinds,
    /// so that an instance of a plain class is no bigger for it.
    pub native: Option<Box<Native>>,
}

/// The native part of an instance whose class derives from a builtin type.
pub enum Native {
    /// BaseException's state, for exception instances.
    Exc(ExcData),
    /// The builtin value (`Value::Dict`, `Value::Str`, ...) an instance of a subclass of a
    /// builtin type stands on (see `subclass`): builtin methods and operators work on it,
    /// while the instance carries the class and any extra attributes.
    Base(Value),
}

impl Instance {
    /// A new instance, in its `Rc`: its attribute storage may point into the instance
    /// itself (see `Attrs`), so it is built where it stays, and never moved out. Fields are
    /// written straight into the allocation (built on the stack and copied over, the
    /// 120-byte instance cost about 20 instructions more).
    pub fn new(class: Rc<Class>, native: Option<Box<Native>>) -> Rc<Instance> {
        // `Rc::new_uninit` computed its layout in an out-of-line call (34 instructions).
        let mut rc = Rc::new(std::mem::MaybeUninit::<Instance>::uninit());
        // SAFETY: a new `Rc` is the only reference to its allocation, so `get_mut` gives
        // it; every field is written once before `assume_init`, the attributes in place.
        unsafe {
            let p = Rc::get_mut(&mut rc).unwrap_unchecked().as_mut_ptr();
            crate::shape::Attrs::init_at(&raw mut (*p).attrs, &class.layout);
            (&raw mut (*p).class).write(class);
            (&raw mut (*p).native).write(native);
            rc.assume_init()
        }
    }

    /// The exception state, for an exception instance.
    #[inline]
    pub fn exc(&self) -> Option<&ExcData> {
        match self.native.as_deref() {
            Some(Native::Exc(e)) => Some(e),
            _ => None,
        }
    }

    /// The builtin value, for an instance of a subclass of a builtin type.
    #[inline]
    pub fn base(&self) -> Option<&Value> {
        match self.native.as_deref() {
            Some(Native::Base(v)) => Some(v),
            _ => None,
        }
    }
}

/// Exception state carried by instances of BaseException subclasses.
#[derive(Default)]
pub struct ExcData {
    pub args: RefCell<Value>,
    /// Traceback entries recorded as the exception unwound (innermost first) that are not
    /// yet traceback objects: `tb` turns them into objects on the head of `tb` when the
    /// traceback is read, so an exception caught and dropped never builds any.
    pub traceback: RefCell<TbPending>,
    /// `__traceback__` as objects so far (`Null` or `None` for none); see `traceback`.
    pub tb: RefCell<Value>,
    pub cause: RefCell<Value>,
    pub context: RefCell<Value>,
    pub suppress_context: Cell<bool>,
    pub notes: RefCell<Vec<String>>,
}

/// One traceback entry: the frame object and the instruction index that was executing.
#[derive(Clone)]
pub struct TbEntry {
    pub frame: Rc<crate::frameobj::FrameObj>,
    pub pc: usize,
}

/// The pending traceback entries of an exception, innermost first. The first two are held
/// inline: most exceptions are caught in the frame that raised them or the one above, and a
/// vector's buffer was one more malloc and free per raise.
#[derive(Default)]
pub struct TbPending {
    inline: [Option<TbEntry>; 2],
    rest: Vec<TbEntry>,
}

impl TbPending {
    pub fn push(&mut self, e: TbEntry) {
        match &mut self.inline {
            [None, _] => self.inline[0] = Some(e),
            [Some(_), None] => self.inline[1] = Some(e),
            _ => self.rest.push(e),
        }
    }

    pub fn clear(&mut self) {
        *self = TbPending::default();
    }

    /// Takes the entries out, innermost first.
    pub fn take(&mut self) -> impl Iterator<Item = TbEntry> + use<> {
        let TbPending { inline, rest } = std::mem::take(self);
        inline.into_iter().flatten().chain(rest)
    }
}

/// `repr(C)` so that `call`, which every call reads, comes first, next to the `Rc`'s counts
/// that the call touches anyway.
#[repr(C)]
pub struct Function {
    /// What a call needs of the code, copied here whenever `code`/`cache` are set
    /// (`CallShape::of`), so that a call reads it from the function object it holds
    /// instead of through the cache and the code object (two more dependent loads).
    pub call: CallShape,
    pub code: Rc<CodeObject>,
    pub globals: Rc<RefCell<Table>>,
    pub name: RefCell<Value>,
    pub qualname: RefCell<Value>,
    pub defaults: RefCell<Vec<Value>>,
    pub kwdefaults: RefCell<Value>,
    pub closure: RefCell<Vec<Value>>,
    pub cache: Rc<crate::frame::CodeCache>,
    pub attrs: RefCell<Vec<(Rc<PyStr>, Value)>>,
    pub doc: RefCell<Value>,
    pub annotations: RefCell<Value>,
    pub module: Value,
}

/// The part of a function's code a call reads first (see `Function::call`).
#[derive(Clone, Copy)]
pub struct CallShape {
    /// `CodeCache::simple_argc`, `u32::MAX` for none.
    pub simple_argc: u32,
    /// `CodeCache::nlocals`.
    pub nlocals: u32,
    /// `CodeObject::stacksize`.
    pub stacksize: u32,
}

impl CallShape {
    pub fn of(cache: &crate::frame::CodeCache, code: &CodeObject) -> CallShape {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        CallShape {
            simple_argc: cache.simple_argc.map_or(u32::MAX, narrow),
            nlocals: narrow(cache.nlocals),
            stacksize: code.stacksize,
        }
    }

    /// Whether a call with `n` positional values (`self` counted) binds by moving them.
    /// (`u32::MAX` values cannot be on a stack, so the "none" marker never matches.)
    #[inline(always)]
    pub fn simple_with(&self, n: usize) -> bool {
        self.simple_argc as usize == n
    }

    /// Whether the signature is plain positional parameters and a call with `n` positional
    /// values (`self` counted) leaves some of them out, for the defaults to fill
    /// (`Vm::call_defaults`).
    #[inline(always)]
    pub fn short_by(&self, n: usize) -> bool {
        self.simple_argc != u32::MAX && n < self.simple_argc as usize
    }
}

pub type NativeFn = fn(&mut crate::Vm, &[Value], &[(Rc<PyStr>, Value)]) -> crate::PyResult<Value>;

pub struct Builtin {
    pub name: &'static str,
    pub f: NativeFn,
    /// Bound receiver for module-level functions that need one (e.g. a Random instance).
    pub bound: Option<Value>,
    /// Class owning this method (for error messages like "descriptor 'append' of 'list'").
    pub owner: Option<&'static str>,
}

pub struct Module {
    pub name: String,
    pub dict: Rc<RefCell<Table>>,
}

pub struct Property {
    pub fget: Value,
    pub fset: Value,
    pub fdel: Value,
    pub doc: Value,
}

/// `io.StringIO`'s state: the text, its length and the stream position, both in code points
/// (CPython's `tell()` unit). Writing at the end, the common case, only appends.
#[derive(Default)]
pub struct StringIo {
    pub buf: String,
    pub len: usize,
    pub pos: usize,
}

impl StringIo {
    pub fn new(text: String) -> StringIo {
        let len = text.chars().count();
        StringIo {
            buf: text,
            len,
            pos: 0,
        }
    }

    /// The byte offset of code point `i` (the end for `i >= len`).
    fn byte_at(&self, i: usize) -> usize {
        if i >= self.len {
            return self.buf.len();
        }
        if self.buf.len() == self.len {
            return i;
        }
        self.buf
            .char_indices()
            .nth(i)
            .map_or(self.buf.len(), |(b, _)| b)
    }

    /// Writes at the position (padding a gap left by a seek past the end with NULs, and
    /// overwriting what follows), as CPython's StringIO does; returns the code points written.
    pub fn write_str(&mut self, s: &str) -> usize {
        let n = s.chars().count();
        if self.pos == self.len {
            self.buf.push_str(s);
        } else {
            if self.pos > self.len {
                self.buf
                    .extend(std::iter::repeat_n('\0', self.pos - self.len));
                self.len = self.pos;
            }
            let start = self.byte_at(self.pos);
            let end = self.byte_at(self.pos + n);
            let replaced = (self.len - self.pos).min(n);
            self.buf.replace_range(start..end, s);
            self.len -= replaced;
        }
        self.len += n;
        self.pos += n;
        n
    }

    /// Reads up to `size` code points (all that remain for `None`) from the position.
    pub fn read(&mut self, size: Option<usize>) -> String {
        if self.pos >= self.len {
            return String::new();
        }
        let end = size.map_or(self.len, |k| (self.pos + k).min(self.len));
        let (a, b) = (self.byte_at(self.pos), self.byte_at(end));
        self.pos = end;
        self.buf[a..b].to_string()
    }

    /// Reads through the next `\n` (or `size` code points, or the end).
    pub fn readline(&mut self, size: Option<usize>) -> String {
        if self.pos >= self.len {
            return String::new();
        }
        let a = self.byte_at(self.pos);
        let rest = &self.buf[a..];
        let mut line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        if let Some(k) = size {
            let capped = rest.char_indices().nth(k).map_or(rest.len(), |(b, _)| b);
            line_end = line_end.min(capped);
        }
        let line = rest[..line_end].to_string();
        self.pos += line.chars().count();
        line
    }

    /// Cuts the text at code point `size` (the position stays where it is).
    pub fn truncate(&mut self, size: usize) {
        if size < self.len {
            let b = self.byte_at(size);
            self.buf.truncate(b);
            self.len = size;
        }
    }
}

pub struct Array {
    pub typecode: char,
    pub items: Vec<Value>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GenState {
    Created,
    Suspended,
    Running,
    Finished,
}

pub struct Generator {
    /// The frame; `None` while it runs (taken out, so a re-entrant resume finds nothing)
    /// and once finished.
    pub frame: Cell<Option<Box<crate::frame::Frame>>>,
    pub state: Cell<GenState>,
    pub is_coroutine: bool,
    /// The function's `__name__`/`__qualname__` objects when the generator was created,
    /// shared rather than copied (two fewer allocations per generator).
    pub name: Rc<PyStr>,
    pub qualname: Rc<PyStr>,
    pub code: Rc<CodeObject>,
    /// The exception the generator's own frame is handling while suspended (`Null` for
    /// none): CPython's `gi_exc_state`. It is `Vm::cur_exc` while the frame runs, with the
    /// resumer's value kept on `Vm::exc_outer`, where `Vm::handled_exc` finds it.
    pub exc: Cell<Value>,
}

/// Native iterator states.
pub enum IterState {
    Seq {
        seq: Value,
        idx: usize,
    },
    Range {
        cur: i64,
        stop: i64,
        step: i64,
    },
    Str {
        s: Rc<PyStr>,
        byte: usize,
    },
    DictKeys {
        d: Rc<RefCell<Table>>,
        pos: usize,
        len: usize,
        what: u8,
    },
    SetIter {
        items: Vec<Value>,
        idx: usize,
    },
    Reversed {
        seq: Value,
        idx: usize,
    },
    Enumerate {
        inner: Value,
        n: i64,
        /// The last result tuple, refilled in place once its consumer has let go of it
        /// (see `iter::take_unique`).
        last: Option<Rc<Vec<Value>>>,
    },
    Zip {
        iters: Vec<Value>,
        strict: bool,
        last: Option<Rc<Vec<Value>>>,
    },
    Map {
        f: Value,
        iters: Vec<Value>,
    },
    Filter {
        f: Value,
        inner: Value,
    },
    CallIter {
        f: Value,
        sentinel: Value,
    },
    Exhausted,
}

/// Every heap variant, for the refcount-only clone below.
macro_rules! heap_variants {
    ($m:ident, $v:expr) => {
        $m!(
            $v,
            Big,
            Str,
            Bytes,
            ByteArray,
            Tuple,
            List,
            Dict,
            Set,
            FrozenSet,
            Class,
            Instance,
            Function,
            Builtin,
            Method,
            Gen,
            Iter,
            Module,
            Range,
            Slice,
            Cell,
            Code,
            Property,
            ClassMethod,
            StaticMethod,
            Super,
            StringIO,
            Array,
            Random,
            DictView,
            Complex,
            Traceback,
            FrameObj
        )
    };
}

/// Every inline variant (stored inside the `Value`, no `Rc`), as a pattern: the one list that
/// `is_inline` and the exhaustive match in `inc_strong!` share.
macro_rules! inline_variants {
    () => {
        Value::Null
            | Value::None
            | Value::NotImplemented
            | Value::Ellipsis
            | Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
    };
}

/// Adds one strong reference to the `Rc` a heap variant holds (nothing for inline ones).
/// Every arm compiles to the same "increment the count the payload points at", which lets
/// the optimiser fold the match away.
macro_rules! inc_strong {
    ($v:expr, $($name:ident),*) => {
        match $v {
            $(Value::$name(r) => {
                // The count taken here is owned by the bitwise copy our caller makes.
                std::mem::forget(Rc::clone(r))
            })*
            // Listed, not `_`: a new variant must be sorted into one group or the other here,
            // or this match stops compiling (a heap variant missed by `heap_variants!` would
            // otherwise be bit-copied without its count: a double free).
            inline_variants!() => {}
        }
    };
}

/// The strong count of the `Rc` a heap variant holds (0 for inline ones). Every arm reads
/// the same word (the count sits first in every `Rc` allocation), so the match folds away.
macro_rules! strong_of {
    ($v:expr, $($name:ident),*) => {
        match $v {
            $(Value::$name(r) => Rc::strong_count(r),)*
            inline_variants!() => 0,
        }
    };
}

/// Hand-written rather than derived: the derived clone is an out-of-line call through a
/// ~35-way jump table on every stack move. Inline variants (ints, floats, bools, the
/// singletons) are a plain 16-byte copy here, and heap variants one refcount increment.
impl Clone for Value {
    #[inline(always)]
    fn clone(&self) -> Value {
        if !self.is_inline() {
            // `Rc::clone` aborts if the count would wrap to zero. That test, left in each arm
            // of `inc_strong!`, kept a jump table on the variant after the (shared)
            // increment just to reach it. Tested once here, on the count all arms read, it
            // lets LLVM prove the arms' own tests false and fold the arms into one.
            if heap_variants!(strong_of, self) == usize::MAX {
                std::process::abort();
            }
            heap_variants!(inc_strong, self);
        }
        // SAFETY: inline variants own nothing, so a bitwise copy is an independent value. For
        // heap variants the strong count was raised by one just above, and that reference is
        // the one the copy owns (what `Rc::clone` does, without the per-variant dispatch).
        unsafe { std::ptr::read(self) }
    }
}

impl Value {
    /// True for the variants stored entirely inside the `Value` (no `Rc`): cloning them is a
    /// copy and dropping them does nothing.
    #[inline(always)]
    pub fn is_inline(&self) -> bool {
        matches!(self, inline_variants!())
    }

    /// What `clone` does before its bitwise copy, with no call on any path (`clone`'s
    /// abort is one, and a call anywhere makes a leaf function align its stack): adds one
    /// strong reference to a heap value, for a bitwise copy the caller makes at once to
    /// own. `false`, with nothing changed, when the count is at its maximum (the caller
    /// then takes a path that clones, which aborts). A reference added and never handed to
    /// a copy is a leak, not a fault.
    #[inline(always)]
    pub fn try_retain(&self) -> bool {
        if !self.is_inline() {
            if heap_variants!(strong_of, self) == usize::MAX {
                return false;
            }
            heap_variants!(inc_strong, self);
        }
        true
    }

    /// Drops `self`, skipping the out-of-line drop glue for inline variants (the common case
    /// for operands the loop pops and discards).
    #[inline(always)]
    pub fn discard(self) {
        if self.is_inline() {
            std::mem::forget(self);
        } else {
            drop(self);
        }
    }

    /// Drops `self` like `discard`, and also releases a heap value inline when it is not the
    /// last reference (the usual case for a finished frame's locals: `self`, arguments still
    /// held by the caller): one decrement instead of a call into the drop glue and its
    /// ~35-way jump. Only the last reference goes through the real drop.
    ///
    /// Written as three tests (inline? count above 1? decrement) on the words every heap
    /// variant shares, not as a `match` whose arms give up each type's `Rc`: LLVM kept
    /// that match as an indirect jump per value through a jump table (even with each arm
    /// told the count was above 1), which perf found among the hottest spots of a Python
    /// call's return (`recycle` runs this for every slot of a finished frame). The
    /// decrement writes the count through the payload pointer, the word `strong_of!`
    /// reads for every variant; the tests below check that it is the count `Rc` reports.
    #[inline(always)]
    pub fn release(self) {
        if let Some(last) = self.release_shared() {
            drop(last);
        }
    }

    /// `release` without its out-of-line part: `None` when `self` was let go here (an
    /// inline value, or a heap value held elsewhere too, whose count drops by one); the
    /// last reference to a heap value comes back for the caller to drop, so that a leaf
    /// path can leave the call (and the stack frame a call needs) to a function of its own.
    #[inline(always)]
    pub fn release_shared(self) -> Option<Value> {
        if self.is_inline() {
            std::mem::forget(self);
            None
        } else if heap_variants!(strong_of, &self) > 1 {
            // SAFETY: a heap variant's payload (offset 8 of a `repr(u64)` enum) is its `Rc`,
            // one pointer to the allocation whose first word is the strong count, the word
            // `strong_of!` just read (checked in debug builds). It is above 1, so the
            // decrement leaves it positive and nothing is freed; `self` is forgotten so the
            // reference given up is not released twice.
            unsafe {
                let count = *(&self as *const Value as *const *const Cell<usize>).add(1);
                debug_assert_eq!((*count).get(), heap_variants!(strong_of, &self));
                (*count).set((*count).get() - 1);
            }
            std::mem::forget(self);
            None
        } else {
            Some(self)
        }
    }

    pub fn str(s: &str) -> Value {
        Value::Str(Rc::new(PyStr::new(s)))
    }
    pub fn string(s: String) -> Value {
        Value::Str(Rc::new(PyStr::new(s)))
    }
    /// `Value::str` for text whose code point count is known (see `PyStr::with_nchars`).
    pub fn str_n(s: &str, nchars: usize) -> Value {
        Value::Str(Rc::new(PyStr::with_nchars(s, nchars)))
    }
    /// `Value::string` for text whose code point count is known.
    pub fn string_n(s: String, nchars: usize) -> Value {
        Value::Str(Rc::new(PyStr::with_nchars(s, nchars)))
    }
    pub fn tuple(v: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(v))
    }
    pub fn list(v: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(v)))
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn complex(re: f64, im: f64) -> Value {
        Value::Complex(Rc::new((re, im)))
    }
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }
    pub fn from_bigint(b: BigInt) -> Value {
        use num_traits::ToPrimitive;
        match b.to_i64() {
            Some(i) => Value::Int(i),
            None => Value::Big(Rc::new(b)),
        }
    }
    pub fn as_pystr(&self) -> Option<&Rc<PyStr>> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    /// Identity, as `is` sees it.
    pub fn is(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null)
            | (None, None)
            | (NotImplemented, NotImplemented)
            | (Ellipsis, Ellipsis) => true,
            (Bool(a), Bool(b)) => a == b,
            // Small ints are cached by CPython too, so `is` holds for equal small values.
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            _ => match (self.ptr(), other.ptr()) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            },
        }
    }
    /// The heap address of a boxed value, used for identity and `id()`.
    pub fn ptr(&self) -> Option<usize> {
        use Value::*;
        Some(match self {
            Big(r) => Rc::as_ptr(r) as *const u8 as usize,
            Str(r) => Rc::as_ptr(r) as *const u8 as usize,
            Bytes(r) => Rc::as_ptr(r) as *const u8 as usize,
            ByteArray(r) => Rc::as_ptr(r) as *const u8 as usize,
            Tuple(r) => Rc::as_ptr(r) as *const u8 as usize,
            List(r) => Rc::as_ptr(r) as *const u8 as usize,
            Dict(r) => Rc::as_ptr(r) as *const u8 as usize,
            Set(r) => Rc::as_ptr(r) as *const u8 as usize,
            FrozenSet(r) => Rc::as_ptr(r) as *const u8 as usize,
            Class(r) => Rc::as_ptr(r) as *const u8 as usize,
            Instance(r) => Rc::as_ptr(r) as *const u8 as usize,
            Function(r) => Rc::as_ptr(r) as *const u8 as usize,
            Builtin(r) => Rc::as_ptr(r) as *const u8 as usize,
            Method(r) => Rc::as_ptr(r) as *const u8 as usize,
            Gen(r) => Rc::as_ptr(r) as *const u8 as usize,
            Iter(r) => Rc::as_ptr(r) as *const u8 as usize,
            Module(r) => Rc::as_ptr(r) as *const u8 as usize,
            Range(r) => Rc::as_ptr(r) as *const u8 as usize,
            Slice(r) => Rc::as_ptr(r) as *const u8 as usize,
            Cell(r) => Rc::as_ptr(r) as *const u8 as usize,
            Code(r) => Rc::as_ptr(r) as *const u8 as usize,
            Property(r) => Rc::as_ptr(r) as *const u8 as usize,
            ClassMethod(r) => Rc::as_ptr(r) as *const u8 as usize,
            StaticMethod(r) => Rc::as_ptr(r) as *const u8 as usize,
            Super(r) => Rc::as_ptr(r) as *const u8 as usize,
            StringIO(r) => Rc::as_ptr(r) as *const u8 as usize,
            Array(r) => Rc::as_ptr(r) as *const u8 as usize,
            Random(r) => Rc::as_ptr(r) as *const u8 as usize,
            DictView(r) => Rc::as_ptr(r) as *const u8 as usize,
            Complex(r) => Rc::as_ptr(r) as *const u8 as usize,
            Traceback(r) => Rc::as_ptr(r) as *const u8 as usize,
            FrameObj(r) => Rc::as_ptr(r) as *const u8 as usize,
            _ => return Option::None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `release` gives up exactly one reference of a shared heap value of each kind it is
    /// tested with, through the payload's first word (see its comment), and drops the last.
    #[test]
    fn release_decrements_the_rc_count() {
        let values = [
            Value::str("abc"),
            Value::tuple(vec![Value::Int(1)]),
            Value::list(vec![Value::None]),
            Value::Big(Rc::new(BigInt::from(7))),
            Value::complex(1.0, 2.0),
            Value::Range(Rc::new((0, 3, 1))),
            Value::Cell(Rc::new(RefCell::new(Value::Int(3)))),
        ];
        for v in values {
            let count = || heap_variants!(strong_of, &v);
            assert_eq!(count(), 1);
            let (a, b) = (v.clone(), v.clone());
            assert_eq!(count(), 3);
            a.release();
            assert_eq!(count(), 2);
            b.release();
            assert_eq!(count(), 1);
        }
        let last = Value::list(vec![Value::Int(1)]);
        let Value::List(l) = &last else {
            unreachable!()
        };
        let weak = Rc::downgrade(l);
        last.release();
        assert!(weak.upgrade().is_none());
    }

    /// The 16-byte image `write_int_whole` stores is the `Int` it claims.
    #[test]
    fn whole_int_images_are_ints() {
        let mut stack: Vec<Value> = Vec::new();
        use crate::frame::StackPush;
        for i in [0, 1, -1, i64::MIN, i64::MAX, 0x1234_5678_9abc_def0] {
            stack.put_int(i);
            assert!(
                matches!(stack.last(), Some(Value::Int(j)) if *j == i),
                "int {i}"
            );
        }
        assert_eq!(stack.len(), 6);
    }
}
