//! Inline caches for the attribute instructions (LOAD_ATTR in both forms, STORE_ATTR) on
//! instances of user classes. Each instruction remembers, for the last instance shape it
//! saw and the class version at that time, what the access resolved to: a position in the
//! instance's values, a shape transition for a store that adds a name, or a class attribute
//! (a method to push unbound, a function to bind, a plain value). A hit is two compares and
//! an index; anything else runs the general path in `attr` and then re-learns.
//!
//! Why a hit is still right: the shape fixes where every instance attribute is (and which
//! names the instance lacks), and the class version changes whenever the class's namespace
//! or any base's does (`Class::changed`), which covers every descriptor, `__setattr__`,
//! `__getattr__` and method the decision depended on. A cache is only filled when the
//! decision depends on nothing else: never for exceptions (their special attributes), never
//! when the class attribute is a user object (it may be a descriptor whose own class can
//! change) or a property, never with a `__getattribute__`/`__setattr__` override, never for
//! private shapes (which change in place of a fresh address).

use crate::frame::CodeCache;
use crate::shape::Shape;
use crate::value::*;
use crate::vm::{PyResult, Vm};
use std::cell::{Cell, RefCell, UnsafeCell};
use std::mem::ManuallyDrop;
use std::rc::Rc;
use vigil_compiler::bytecode::{CodeObject, Opcode};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    /// An attribute outside `__slots__` at `index`: read there (LOAD_ATTR), overwritten
    /// there (STORE_ATTR). Such a position is never unset while the instance has the
    /// entry's shape (see `shape`), so a load reads it with no test.
    Attr,
    /// A `__slots__` slot at `index`, as `Attr` but possibly unset (`Null`): a load that
    /// finds it unset takes the general path, which raises.
    Slot,
    /// STORE_ATTR adding a name: move to `keep` and write at `index`.
    Add,
    /// The class attribute `value`, used as is.
    ClassValue,
    /// A function on the class: bound (attribute form) or pushed with `self` (method form).
    Function,
    /// A property on the class whose getter is `value`, a Python function (attribute form
    /// only): called with the instance. A property is a data descriptor, so the instance's
    /// own attributes never hide it and the class version alone decides.
    Property,
}

/// One remembered outcome. Cells, not one `RefCell`, so a hit reads plain copies without a
/// borrow flag; `held` is borrowed only on hits that need its value.
struct Entry {
    /// Address of the shape this entry is for; `held.1` holds that shape (or, for `Add`,
    /// its child, whose parent link holds it) alive, so no other shape can take the
    /// address while the entry is filled.
    shape: Cell<*const Shape>,
    version: Cell<u64>,
    index: Cell<u32>,
    kind: Cell<Kind>,
    held: RefCell<(Value, Option<Rc<Shape>>)>,
}

impl Entry {
    fn empty() -> Entry {
        Entry {
            shape: Cell::new(std::ptr::null()),
            version: Cell::new(0),
            index: Cell::new(0),
            kind: Cell::new(Kind::Empty),
            held: RefCell::new((Value::Null, None)),
        }
    }

    #[inline(always)]
    fn matches(&self, shape: *const Shape, version: u64) -> bool {
        self.shape.get() == shape && self.version.get() == version
    }

    fn fill(
        &self,
        key: &Rc<Shape>,
        version: u64,
        kind: Kind,
        index: usize,
        held: (Value, Rc<Shape>),
    ) {
        self.shape.set(Rc::as_ptr(key));
        self.version.set(version);
        self.kind.set(kind);
        self.index.set(index as u32);
        // The displaced pair is dropped after the borrow ends.
        let old = self.held.replace((held.0, Some(held.1)));
        drop(old);
    }

    /// Fills the entry for a builtin receiver's method (see `builtin_key`): no shape to
    /// hold, the key being no address.
    fn fill_builtin(&self, key: *const Shape, version: u64, method: Value) {
        self.shape.set(key);
        self.version.set(version);
        self.kind.set(Kind::Function);
        self.index.set(0);
        let old = self.held.replace((method, None));
        drop(old);
    }

    #[inline(always)]
    fn value(&self) -> Value {
        self.held.borrow().0.clone()
    }

    /// Where the held value lies, with no borrow-flag test and no panic path. The caller
    /// reads through the pointer at once (see `AttrIc::load_hit_src`).
    #[inline(always)]
    fn value_ptr(&self) -> *const Value {
        // SAFETY: only the address is taken, through the cell's raw pointer. The one
        // mutable borrow of `held` is `fill`'s `replace`, which only moves values while it
        // lasts (the displaced pair is dropped after it ends), so no mutable borrow exists
        // while a hit runs and reads through this pointer.
        unsafe { std::ptr::addr_of!((*self.held.as_ptr()).0) }
    }
}

/// How many shapes one instruction remembers. Methods of a base class see instances of
/// each subclass (richards' `Task` methods run on four task classes), so one is too few.
const WAYS: usize = 4;

/// The cache of one attribute instruction: all its entries inline, tried in order. Most
/// sites only ever see one shape and hit the first; a polymorphic site (richards' `Task`
/// methods: 46 % of its LOAD_ATTR hits are past the first entry) reads the next ones with
/// no box to load and test on the way (a box for the other three cost three instructions a
/// first-entry miss).
pub struct AttrIc {
    ways: [Entry; WAYS],
    /// The entry the next new shape replaces, round robin.
    next: Cell<u8>,
}

impl AttrIc {
    fn empty() -> AttrIc {
        AttrIc {
            ways: std::array::from_fn(|_| Entry::empty()),
            next: Cell::new(0),
        }
    }

    /// The entry for this instance's shape and class version, if any.
    #[inline(always)]
    fn find(&self, inst: &Instance) -> Option<&Entry> {
        let shape = inst.attrs.shape_ptr();
        let version = inst.class.version.get();
        self.ways.iter().find(|e| e.matches(shape, version))
    }

    /// The entry for a builtin receiver's key (see `builtin_key`) and its type's version.
    #[inline(always)]
    fn find_key(&self, key: *const Shape, version: u64) -> Option<&Entry> {
        self.ways.iter().find(|e| e.matches(key, version))
    }

    /// The entry to (re)fill for `shape`: its current one, else an empty or the oldest.
    fn slot_for(&self, shape: *const Shape) -> &Entry {
        if let Some(e) = self
            .ways
            .iter()
            .find(|e| e.kind.get() == Kind::Empty || e.shape.get() == shape)
        {
            return e;
        }
        let n = self.next.get() as usize % WAYS;
        self.next.set(((n + 1) % WAYS) as u8);
        &self.ways[n]
    }

    fn fill(
        &self,
        key: &Rc<Shape>,
        version: u64,
        kind: Kind,
        index: usize,
        held: (Value, Rc<Shape>),
    ) {
        self.slot_for(Rc::as_ptr(key))
            .fill(key, version, kind, index, held);
    }

    /// `attr_hit` and the usual hit of `method_hit` (a function on the class) in one, with
    /// nothing on the path that can call a function (no borrow-flag panic, no bounds-check
    /// panic): where the value to push lies (the instance's value, or the class value the
    /// entry holds; for the method form, the function, which keeps the instance as its
    /// `self`). The pointer is valid until anything else touches the instance or this
    /// cache: the caller clones through it at once. What this declines (misses, unset
    /// values, bound methods, the method form's rarer hits) goes to the general path.
    #[inline(always)]
    pub(crate) fn load_hit_src(&self, inst: &Instance, method: bool) -> Option<*const Value> {
        let e = self.find(inst)?;
        let kind = e.kind.get();
        // The usual kind of each form is tested first and alone: LLVM made one jump table
        // of all the tests (7 instructions where a compare and a branch do) or tested the
        // rarer `ClassValue` first. The method form's other hits (a callable in the
        // instance or a plain class value, both rare) go to the general path, where
        // `AttrIcs::method_hit` takes them.
        if method {
            if kind == Kind::Function {
                return Some(e.value_ptr());
            }
            return None;
        }
        if kind == Kind::Attr {
            // SAFETY: the entry matched, so the instance has the entry's shape, in which
            // `index` is the position of an attribute outside `__slots__` (`learn_load`,
            // `store_attr_miss`): below the shape's length, so inside the values, and set.
            return Some(unsafe { inst.attrs.attr_ptr(e.index.get() as usize) });
        }
        std::hint::cold_path();
        match kind {
            Kind::ClassValue => Some(e.value_ptr()),
            Kind::Slot => inst.attrs.value_ptr(e.index.get() as usize),
            _ => None,
        }
    }

    /// STORE_ATTR, for `store_attr_hit_leaf`: the position to overwrite when the cache
    /// remembers this shape as one that has the name (not a store that adds it), with no
    /// call on the path.
    #[inline(always)]
    pub(crate) fn store_slot_leaf(&self, inst: &Instance) -> StoreLeaf<'_> {
        let Some(e) = self.find(inst) else {
            return StoreLeaf::Miss;
        };
        match e.kind.get() {
            Kind::Attr | Kind::Slot => StoreLeaf::Slot(e.index.get() as usize),
            Kind::Add => StoreLeaf::Add(AddEntry(e)),
            _ => StoreLeaf::Miss,
        }
    }
}

/// The caches of one code object: `at[pc]` is the cache of the attribute instruction at
/// `pc`, an address inside `ics`. Every address in `at` points into `ics`: other
/// instructions have the first cache's, and `ics` has at least one cache (unused in a code
/// without attribute instructions). Addresses rather than indices: a hit then loads the
/// cache's address and is there, where an index took a multiply by the cache's size and an
/// add of `ics`' base (and a bounds check of `at`, which `instruction_ic` leaves out).
pub struct AttrIcs {
    at: Box<[*const AttrIc]>,
    /// Never resized or moved out of after `new`: its heap block stays where `at` points.
    ics: Box<[AttrIc]>,
}

impl AttrIcs {
    pub fn new(code: &CodeObject) -> AttrIcs {
        let n = code
            .instructions
            .iter()
            .filter(|i| matches!(i.op(), Opcode::LOAD_ATTR | Opcode::STORE_ATTR))
            .count();
        let ics: Box<[AttrIc]> = (0..n.max(1)).map(|_| AttrIc::empty()).collect();
        let mut next = 0;
        let at = code
            .instructions
            .iter()
            .map(|i| match i.op() {
                Opcode::LOAD_ATTR | Opcode::STORE_ATTR => {
                    next += 1;
                    &ics[next - 1] as *const AttrIc
                }
                _ => &ics[0] as *const AttrIc,
            })
            .collect();
        AttrIcs { at, ics }
    }

    #[inline(always)]
    fn get(&self, pc: usize) -> &AttrIc {
        // SAFETY: every address in `at` points into `ics` (see the type), which lives as
        // long as `self` and is not changed after `new`.
        unsafe { &*self.at[pc] }
    }

    /// The cache of the attribute instruction at `pc`, with no bounds check: the leaf hit
    /// paths (`AttrIc::load_hit_src`, `AttrIc::store_slot_leaf`) then contain no call at
    /// all. Their callers look the cache up first, so that the code cache and `pc` are
    /// dead before the instance is read.
    ///
    /// # Safety
    /// `pc` is the index of an instruction of the code these caches were made for (the
    /// dispatch loop's running instruction, which it reads unchecked from a table of the
    /// same length).
    #[inline(always)]
    pub(crate) unsafe fn instruction_ic(&self, pc: usize) -> &AttrIc {
        debug_assert!(pc < self.at.len());
        // SAFETY: `pc < at.len()` by the caller's contract.
        let ic = unsafe { *self.at.get_unchecked(pc) };
        debug_assert!(self.ics.as_ptr_range().contains(&ic));
        // SAFETY: valid as in `get`.
        unsafe { &*ic }
    }
}

impl AttrIcs {
    /// LOAD_ATTR, attribute form, on a cache hit that needs no allocation: the instance's
    /// value or the class's plain value. `None` sends the caller to `Vm::load_attr_ic`
    /// (misses, and functions, which are bound into a new method object there). The
    /// dispatch loop calls this with the instance still on its stack and overwrites it with
    /// the result, so a hit moves no value through a `Result` or a pop and a push.
    #[inline(always)]
    pub(crate) fn attr_hit(&self, pc: usize, inst: &Instance) -> Option<Value> {
        let e = self.get(pc).find(inst)?;
        match e.kind.get() {
            Kind::Attr | Kind::Slot => inst.attrs.get_at(e.index.get() as usize),
            Kind::ClassValue => Some(e.value()),
            _ => None,
        }
    }

    /// LOAD_ATTR, method form, on a cache hit: the callable, and whether the instance
    /// stays as its `self` (a function on the class) or is replaced by `Null` (anything
    /// else). `None`: a miss, for `Vm::load_method_ic`.
    #[inline(always)]
    pub(crate) fn method_hit(&self, pc: usize, inst: &Instance) -> Option<(Value, bool)> {
        let e = self.get(pc).find(inst)?;
        match e.kind.get() {
            Kind::Function => Some((e.value(), true)),
            Kind::Attr | Kind::Slot => inst
                .attrs
                .get_at(e.index.get() as usize)
                .map(|v| (v, false)),
            Kind::ClassValue => Some((e.value(), false)),
            _ => None,
        }
    }

    /// STORE_ATTR on a cache hit: moves the value out of `v` into the instance (over the
    /// attribute it has, or as the name a remembered shape transition adds) and returns
    /// the displaced value (`Null` for an added name). `None`: a miss, `v` untouched, for
    /// `Vm::store_attr_ic`.
    #[inline(always)]
    pub(crate) fn store_hit(&self, pc: usize, inst: &Instance, v: &mut Value) -> Option<Value> {
        let e = self.get(pc).find(inst)?;
        let idx = e.index.get() as usize;
        match e.kind.get() {
            Kind::Attr | Kind::Slot => Some(inst.attrs.replace_at(idx, std::mem::take(v))),
            Kind::Add => add_hit(e, inst, idx, v),
            _ => None,
        }
    }
}

/// LOAD_GLOBAL's cache, one entry per name of a code object: the value found, and the
/// versions of the globals and the builtins tables it was found under.
///
/// The entry does not own its value. While both versions match, the table content they name
/// still exists (some table has those versions) and holds the value, so it is alive; once
/// either version moved on the entry is never read again until `fill` overwrites it. An
/// owning entry kept a rebound global's old value alive until the name was next loaded, so
/// `G = gen(); next(G); G = None` did not close the generator at the store, as CPython does.
///
/// Why the versions alone are the key (no table address): every mutation of a `Table` gives
/// it a version no table has had before, and version 0 means "never mutated" (empty), so a
/// version names one table content, even across copies (a cloned table keeps its version and
/// its content together). Equal (globals, builtins) versions therefore mean the same
/// lookup, whichever function's globals the entry was filled from.
pub struct GlobalIcs(Box<[GlobalIc]>);

struct GlobalIc {
    globals: Cell<u64>,
    builtins: Cell<u64>,
    /// A bitwise copy of the table's value, not counted as a reference (see above).
    value: UnsafeCell<ManuallyDrop<Value>>,
}

/// No table gets this version (versions count up from 1 per mutation), so an entry holding
/// it never matches: the empty state, without a `Null` test on every hit.
const NO_VERSION: u64 = u64::MAX;

impl GlobalIcs {
    pub fn new(names: usize) -> GlobalIcs {
        GlobalIcs(
            (0..names)
                .map(|_| GlobalIc {
                    globals: Cell::new(NO_VERSION),
                    builtins: Cell::new(NO_VERSION),
                    value: UnsafeCell::new(ManuallyDrop::new(Value::Null)),
                })
                .collect(),
        )
    }

    /// Pushes the cached value of name `idx` onto `stack` if neither namespace changed since
    /// it was found; `false`, with nothing pushed, on a miss. Reads the two versions without
    /// taking (and giving back) a borrow of either table. The value goes from the cache to
    /// its stack slot without passing through an `Option`/`PyResult` on the native stack
    /// (see LOAD_GLOBAL's arm).
    #[inline(always)]
    pub(crate) fn push_hit(
        &self,
        idx: usize,
        globals: &RefCell<crate::dict::Table>,
        builtins: &RefCell<crate::dict::Table>,
        stack: &mut Vec<Value>,
    ) -> bool {
        let Some(e) = self.0.get(idx) else {
            return false;
        };
        // SAFETY (both): the reference `try_borrow_unguarded` returns is used at once to copy
        // a `u64` out and dropped before anything else runs, so no mutable borrow can start
        // while it lives; an existing mutable borrow makes it return `Err` (a miss).
        let Ok(g) = (unsafe { globals.try_borrow_unguarded() }) else {
            return false;
        };
        let gver = g.version();
        let Ok(b) = (unsafe { builtins.try_borrow_unguarded() }) else {
            return false;
        };
        let bver = b.version();
        if e.globals.get() != gver || e.builtins.get() != bver {
            return false;
        }
        // SAFETY: the versions match, so the tables hold the value (see `GlobalIcs`) and it
        // is alive; only `fill` writes the cell, and `push_clone` (a capacity check, a
        // reference-count increment, a copy into the stack) runs no code that could call it.
        let v: &Value = unsafe { &*e.value.get() };
        crate::frame::StackPush::push_clone(stack, v);
        true
    }

    /// Remembers `value` for name `idx`, found in the tables while they had these versions
    /// (and still holding it: the entry borrows the tables' reference).
    pub(crate) fn fill(&self, idx: usize, gver: u64, bver: u64, value: &Value) {
        let Some(e) = self.0.get(idx) else {
            return;
        };
        e.globals.set(gver);
        e.builtins.set(bver);
        // SAFETY: a bitwise copy that is never dropped (`ManuallyDrop`) and read only while
        // the versions say the tables hold the original; the displaced copy was not owned.
        // No reference into the cell is live (`push_hit` drops its own before returning).
        unsafe { *e.value.get() = ManuallyDrop::new(std::ptr::read(value)) };
    }
}

/// What `AttrIc::store_slot_leaf` found.
pub(crate) enum StoreLeaf<'a> {
    /// Overwrite this position.
    Slot(usize),
    /// A remembered shape transition that adds the name (`add_store`).
    Add(AddEntry<'a>),
    Miss,
}

/// An entry of kind `Add`, for `add_store`.
pub(crate) struct AddEntry<'a>(&'a Entry);

impl AddEntry<'_> {
    /// Stores `v` into `inst` as the name this entry adds (`inst` has the entry's shape):
    /// `true`, with `v` left `Null`; `false`, `v` untouched, if the entry lost its target.
    #[inline(always)]
    pub(crate) fn add_store(&self, inst: &Instance, v: &mut Value) -> bool {
        add_hit(self.0, inst, self.0.index.get() as usize, v).is_some()
    }
}

/// `AttrIcs::store_hit` for a store that adds a name. Out of line: it is the rarer kind
/// (once per attribute per instance, in `__init__`), and inlined it made the function that
/// handles every STORE_ATTR hit save more registers.
#[inline(never)]
fn add_hit(e: &Entry, inst: &Instance, idx: usize, v: &mut Value) -> Option<Value> {
    let target = e.held.borrow().1.clone()?;
    let hint = &inst.class.layout.hint;
    inst.attrs.add_at(hint, &target, idx, std::mem::take(v));
    Some(Value::Null)
}

/// The kind of entry for the instance position `idx` of `shape`.
fn position_kind(shape: &Shape, idx: usize) -> Kind {
    if idx < shape.nslots() {
        Kind::Slot
    } else {
        Kind::Attr
    }
}

/// Whether `v`, found on the class, is returned unchanged by attribute lookup on an
/// instance (no binding, no descriptor call).
fn plain_class_value(v: &Value) -> bool {
    !crate::attr::binds_as_method(v)
        && !matches!(
            v,
            Value::Function(_)
                | Value::ClassMethod(_)
                | Value::StaticMethod(_)
                | Value::Property(_)
                | Value::Instance(_)
                | Value::Null
        )
}

impl Vm {
    /// LOAD_ATTR, attribute form (`obj.name`).
    // Always: the dispatch loop exists twice (plain and traced, see `frame::exec`), and
    // with two callers LLVM stops inlining it into the hot plain copy.
    #[inline(always)]
    pub(crate) fn load_attr_ic(
        &mut self,
        cache: &CodeCache,
        pc: usize,
        obj: &Value,
        name: &Rc<PyStr>,
    ) -> PyResult<Value> {
        if let Value::Instance(inst) = obj {
            let ic = cache.attr_ics.get(pc);
            if let Some(e) = ic.find(inst) {
                let kind = e.kind.get();
                if kind == Kind::Attr || kind == Kind::Slot {
                    if let Some(v) = inst.attrs.get_at(e.index.get() as usize) {
                        return Ok(v);
                    }
                } else if kind == Kind::ClassValue {
                    return Ok(e.value());
                } else if kind == Kind::Function {
                    return Ok(Value::Method(Rc::new((obj.clone(), e.value()))));
                } else if kind == Kind::Property {
                    let getter = e.value();
                    return self.call1(&getter, obj.clone());
                }
            }
            return self.load_attr_miss(ic, inst, obj, name);
        }
        self.get_attr(obj, name)
    }

    /// LOAD_ATTR, method form (`obj.name(...)`): `(callable, self or Null)`. Takes `obj` by
    /// value: on the common hit it becomes the `self` slot without a reference-count trip.
    // Always: the dispatch loop exists twice (plain and traced, see `frame::exec`), and
    // with two callers LLVM stops inlining it into the hot plain copy.
    #[inline(always)]
    pub(crate) fn load_method_ic(
        &mut self,
        cache: &CodeCache,
        pc: usize,
        obj: Value,
        name: &Rc<PyStr>,
    ) -> PyResult<(Value, Value)> {
        if let Value::Instance(inst) = &obj {
            let ic = cache.attr_ics.get(pc);
            if let Some(e) = ic.find(inst) {
                let kind = e.kind.get();
                if kind == Kind::Function {
                    let f = e.value();
                    return Ok((f, obj));
                } else if kind == Kind::Attr || kind == Kind::Slot {
                    if let Some(v) = inst.attrs.get_at(e.index.get() as usize) {
                        return Ok((v, Value::Null));
                    }
                } else if kind == Kind::ClassValue {
                    return Ok((e.value(), Value::Null));
                }
            }
            return self.load_method_miss(ic, inst, &obj, name);
        }
        if let Some((key, cls)) = self.builtin_key(&obj) {
            let version = cls.version.get();
            let ic = cache.attr_ics.get(pc);
            if let Some(e) = ic.find_key(key, version) {
                return Ok((e.value(), obj));
            }
            return self.load_builtin_method_miss(ic, key, version, obj, name);
        }
        let (m, s) = self.load_method(&obj, name)?;
        Ok((m, s.unwrap_or(Value::Null)))
    }

    /// LOAD_ATTR, method form, on a builtin receiver (`s.add`, `l.append`, `d.get`,
    /// `"a b".split`) whose method this instruction remembers: the method replaces the
    /// receiver on the stack and the receiver goes above it as its `self` (no bound method
    /// is made, nothing is looked up). `false`, nothing changed: not a builtin receiver, a
    /// miss, or a full stack, for `load_method_ic`. Calls nothing, so that
    /// `op_load_attr` stays a leaf on this path too.
    ///
    /// # Safety
    /// `pc` is the running instruction of the code `cache` belongs to (see
    /// `AttrIcs::instruction_ic`).
    #[inline(always)]
    pub(crate) unsafe fn builtin_method_leaf(
        &self,
        stack: &mut Vec<Value>,
        cache: &CodeCache,
        pc: usize,
    ) -> bool {
        let len = stack.len();
        if len == 0 || len == stack.capacity() {
            return false;
        }
        // SAFETY: the caller's contract.
        let ic = unsafe { cache.attr_ics.instruction_ic(pc) };
        let Some((key, cls)) = self.builtin_key(&stack[len - 1]) else {
            return false;
        };
        let Some(e) = ic.find_key(key, cls.version.get()) else {
            return false;
        };
        // SAFETY: `value_ptr` is read at once, before anything can refill the entry.
        let Value::Builtin(b) = (unsafe { &*e.value_ptr() }) else {
            return false;
        };
        let m = Value::Builtin(b.clone());
        // SAFETY: `len < capacity`, so slot `len` is allocated and unused: the receiver
        // moves there (its reference now owned by that slot) and the method is written over
        // its old slot without a drop.
        unsafe {
            let p = stack.as_mut_ptr();
            let obj = p.add(len - 1).read();
            p.add(len).write(obj);
            p.add(len - 1).write(m);
            stack.set_len(len + 1);
        }
        true
    }

    /// The cache key of a receiver whose type its `Value` variant fixes (`"a b".split`,
    /// `d.get`, `l.append`), with that type: a small number standing for the variant, which
    /// no shape's address can equal, so these entries sit beside instance entries in the same
    /// cache without ever matching an instance. With the type's version in the entry, a hit
    /// is right for as long as the type's namespace is unchanged, as for a user class.
    #[inline(always)]
    fn builtin_key(&self, v: &Value) -> Option<(*const Shape, &Rc<Class>)> {
        let t = &self.types;
        let (n, cls) = match v {
            Value::Str(_) => (1, &t.str_),
            Value::List(_) => (2, &t.list),
            Value::Dict(_) => (3, &t.dict),
            Value::Tuple(_) => (4, &t.tuple),
            Value::Set(_) => (5, &t.set),
            Value::Int(_) => (6, &t.int),
            Value::Float(_) => (7, &t.float),
            Value::Bytes(_) => (8, &t.bytes),
            Value::ByteArray(_) => (9, &t.bytearray),
            _ => return None,
        };
        Some((std::ptr::without_provenance(n), cls))
    }

    /// The general lookup for a builtin receiver; a builtin method found on its type (the
    /// outcome then depends on nothing but the type) is remembered.
    #[inline(never)]
    fn load_builtin_method_miss(
        &mut self,
        ic: &AttrIc,
        key: *const Shape,
        version: u64,
        obj: Value,
        name: &Rc<PyStr>,
    ) -> PyResult<(Value, Value)> {
        let (m, s) = self.load_method(&obj, name)?;
        if s.is_some() && matches!(m, Value::Builtin(_)) {
            ic.slot_for(key).fill_builtin(key, version, m.clone());
        }
        Ok((m, s.unwrap_or(Value::Null)))
    }

    /// The general lookup, then (when the outcome depends only on shape and class version)
    /// the cache learns it.
    #[inline(never)]
    fn load_attr_miss(
        &mut self,
        ic: &AttrIc,
        inst: &Rc<Instance>,
        obj: &Value,
        name: &Rc<PyStr>,
    ) -> PyResult<Value> {
        let v = self.get_attr(obj, name)?;
        self.learn_load(ic, inst, name);
        self.learn_property(ic, inst, name);
        Ok(v)
    }

    /// After an attribute-form miss: a property with a Python getter is remembered
    /// (`learn_load` leaves properties alone, for the method form and the hit paths that
    /// must not call anything).
    fn learn_property(&mut self, ic: &AttrIc, inst: &Instance, name: &Rc<PyStr>) {
        let Some((cls, shape, version)) = self.cache_target(inst) else {
            return;
        };
        if let Some(Value::Property(p)) = self.class_lookup_cached(&cls, name)
            && matches!(p.fget, Value::Function(_))
        {
            ic.fill(
                &shape,
                version,
                Kind::Property,
                0,
                (p.fget.clone(), shape.clone()),
            );
        }
    }

    #[inline(never)]
    fn load_method_miss(
        &mut self,
        ic: &AttrIc,
        inst: &Rc<Instance>,
        obj: &Value,
        name: &Rc<PyStr>,
    ) -> PyResult<(Value, Value)> {
        let (m, s) = self.load_method(obj, name)?;
        self.learn_load(ic, inst, name);
        Ok((m, s.unwrap_or(Value::Null)))
    }

    fn learn_load(&mut self, ic: &AttrIc, inst: &Instance, name: &Rc<PyStr>) {
        let Some((cls, shape, version)) = self.cache_target(inst) else {
            return;
        };
        let cattr = self.class_lookup_cached(&cls, name);
        if matches!(cattr, Some(Value::Property(_) | Value::Instance(_))) {
            return;
        }
        match (shape.index_of(name), cattr) {
            (Some(idx), _) => ic.fill(
                &shape,
                version,
                position_kind(&shape, idx),
                idx,
                (Value::Null, shape.clone()),
            ),
            (None, Some(f @ Value::Function(_))) => {
                ic.fill(&shape, version, Kind::Function, 0, (f, shape.clone()))
            }
            (None, Some(v)) if plain_class_value(&v) => {
                ic.fill(&shape, version, Kind::ClassValue, 0, (v, shape.clone()))
            }
            _ => {}
        }
    }

    /// STORE_ATTR.
    // Always: the dispatch loop exists twice (plain and traced, see `frame::exec`), and
    // with two callers LLVM stops inlining it into the hot plain copy.
    #[inline(always)]
    pub(crate) fn store_attr_ic(
        &mut self,
        cache: &CodeCache,
        pc: usize,
        obj: &Value,
        name: &Rc<PyStr>,
        value: Value,
    ) -> PyResult<()> {
        if let Value::Instance(inst) = obj {
            let ic = cache.attr_ics.get(pc);
            if let Some(e) = ic.find(inst) {
                match e.kind.get() {
                    Kind::Attr | Kind::Slot => {
                        drop(inst.attrs.replace_at(e.index.get() as usize, value));
                        return Ok(());
                    }
                    Kind::Add => {
                        let target = e.held.borrow().1.clone();
                        if let Some(target) = target {
                            let hint = &inst.class.layout.hint;
                            inst.attrs
                                .add_at(hint, &target, e.index.get() as usize, value);
                            return Ok(());
                        }
                        return self.store_attr_miss(ic, inst, obj, name, value);
                    }
                    _ => {}
                }
            }
            return self.store_attr_miss(ic, inst, obj, name, value);
        }
        self.set_attr(obj, name, value)
    }

    #[inline(never)]
    fn store_attr_miss(
        &mut self,
        ic: &AttrIc,
        inst: &Rc<Instance>,
        obj: &Value,
        name: &Rc<PyStr>,
        value: Value,
    ) -> PyResult<()> {
        let before = inst.attrs.shape();
        self.set_attr(obj, name, value)?;
        let Some(cls) = self.cacheable_class(inst) else {
            return Ok(());
        };
        let after = inst.attrs.shape();
        if !before.is_shared() || !after.is_shared() {
            return Ok(());
        }
        let version = cls.version.get();
        if self.class_lookup(&cls, "__setattr__").is_some() {
            return Ok(());
        }
        if matches!(
            self.class_lookup_cached(&cls, name),
            Some(Value::Property(_) | Value::Instance(_))
        ) {
            return Ok(());
        }
        let Some(idx) = after.index_of(name) else {
            return Ok(());
        };
        if Rc::ptr_eq(&before, &after) {
            ic.fill(
                &before,
                version,
                position_kind(&before, idx),
                idx,
                (Value::Null, before.clone()),
            );
        } else if idx == before.len() && after.len() == idx + 1 && after.parent_is(&before) {
            // Keyed on `before`, which `after` (held by the entry) keeps alive as its parent.
            ic.fill(&before, version, Kind::Add, idx, (Value::Null, after));
        }
        Ok(())
    }

    /// The instance's class, when its attribute lookups may be cached at all: plain user
    /// classes without `__getattribute__`.
    /// What a load's cache entry is keyed on, when `inst` can have one: its class (see
    /// `cacheable_class`), its shape (shared shapes only) and the class's version.
    fn cache_target(&mut self, inst: &Instance) -> Option<(Rc<Class>, Rc<Shape>, u64)> {
        let cls = self.cacheable_class(inst)?;
        let shape = inst.attrs.shape();
        if !shape.is_shared() {
            return None;
        }
        let version = cls.version.get();
        Some((cls, shape, version))
    }

    fn cacheable_class(&mut self, inst: &Instance) -> Option<Rc<Class>> {
        let cls = &inst.class;
        if cls.kind != crate::value::Kind::User {
            return None;
        }
        if cls.has_descriptors.get() && self.class_lookup(cls, "__getattribute__").is_some() {
            return None;
        }
        Some(cls.clone())
    }
}
