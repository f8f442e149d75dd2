//! Instance attribute storage. An instance keeps only its attribute *values*, inside its own
//! allocation up to `INLINE` of them and in a boxed slice beyond (see `Values`); the names live in a `Shape` shared by every instance of the class that gained the
//! same names in the same order (the "hidden class" idea of V8, close to CPython's split-keys
//! dicts). Shapes form a tree per class: the root holds the class's `__slots__` names, and
//! adding a name moves an instance to the child shape for that name. Because a shape fixes
//! every name's position, the interpreter's inline caches (see `frame`) can turn an attribute
//! access into "same shape? then index", and instances cost 8 bytes per shape pointer
//! instead of a name per attribute.
//!
//! This file owns the representation and its invariants; it knows nothing of descriptors,
//! `__slots__` errors or `__setattr__` (that is `attr`), nor of the caches themselves.
//!
//! Invariants: `values.len() >= shape.len()`; values past `shape.len()` are `Null`. A
//! position below `shape.nslots()` is a `__slots__` slot and is `Null` while unset; every
//! other position inside the shape holds a live value (deleting a name changes the shape).
//!
//! Dict mode: once Python code takes an instance's `__dict__`, that dict must stay the
//! instance's attribute storage (writes through it are attribute writes, and the other way
//! round), so the instance moves to a shape of its own that holds only the slots and has
//! `dict_mode` set, and its `__dict__` part lives in a real dict stored right after the slots
//! (`values[nslots]`, the one exception to "past the shape is `Null`"). Such a shape is
//! private, so no inline cache ever keys on it: the interpreter's fast paths never see
//! dict-mode instances, and the generic methods below (`get`, `set`, `remove`, `entries`)
//! handle them.

use crate::dict::Table;
use crate::value::{PyStr, Value};
use std::cell::{Cell, RefCell, UnsafeCell};
use std::rc::{Rc, Weak};

/// Most names a shared shape holds. Beyond it an instance gets a shape of its own, so a
/// class used as an open-ended record does not grow one shape per name per instance.
/// (CPython stops sharing keys at 30 as well.)
const MAX_SHARED: usize = 30;
/// Most live successors one shape keeps. More than this means instances add names in many
/// orders; further orders get private shapes instead of filling the tree.
const MAX_CHILDREN: usize = 32;
/// The largest values array a class's instances are given up front (see `Class::attr_hint`).
const MAX_HINT: u32 = 30;

/// The names of an instance's attributes, in insertion order.
pub struct Shape {
    keys: Vec<Rc<PyStr>>,
    /// The first `nslots` keys are `__slots__` names (the class's and its bases').
    nslots: u32,
    /// Shared shapes are reached through `children` and are immutable; a private one
    /// belongs to a single instance and is never put in an inline cache.
    shared: bool,
    /// Keeps the path from the root alive, so the next instance that adds the same names
    /// in the same order finds the same shapes.
    parent: Option<Rc<Shape>>,
    /// Successors by added name. Weak: a shape lives as long as some instance or cache
    /// uses it (or a descendant of it), not as long as its class.
    children: RefCell<Vec<(Rc<PyStr>, Weak<Shape>)>>,
    /// The instance's `__dict__` part is a dict at `values[nslots]` (see the module docs).
    dict_mode: bool,
}

impl Shape {
    /// The root shape of a class whose instances have these `__slots__` slots.
    pub fn root(slots: Vec<Rc<PyStr>>) -> Rc<Shape> {
        Rc::new(Shape {
            nslots: slots.len() as u32,
            keys: slots,
            shared: true,
            parent: None,
            children: RefCell::new(Vec::new()),
            dict_mode: false,
        })
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn keys(&self) -> &[Rc<PyStr>] {
        &self.keys
    }

    pub fn nslots(&self) -> usize {
        self.nslots as usize
    }

    /// Whether `parent` is this shape's parent in the tree.
    pub fn parent_is(&self, parent: &Rc<Shape>) -> bool {
        self.parent.as_ref().is_some_and(|p| Rc::ptr_eq(p, parent))
    }

    /// Whether inline caches may key on this shape's address.
    pub fn is_shared(&self) -> bool {
        self.shared
    }

    /// The position of `name`. Keys are interned, so an interned name is found by address.
    #[inline]
    pub fn index_of(&self, name: &Rc<PyStr>) -> Option<usize> {
        if let Some(i) = self.keys.iter().position(|k| Rc::ptr_eq(k, name)) {
            return Some(i);
        }
        if name.interned.get() {
            return None;
        }
        self.keys.iter().position(|k| k.s == name.s)
    }

    /// The shape with `name` (interned, absent here) appended.
    pub fn with(self: &Rc<Self>, name: &Rc<PyStr>) -> Rc<Shape> {
        if self.shared && self.keys.len() < MAX_SHARED {
            let mut children = self.children.borrow_mut();
            if let Some(s) = children
                .iter()
                .find(|(k, _)| Rc::ptr_eq(k, name))
                .and_then(|(_, w)| w.upgrade())
            {
                return s;
            }
            children.retain(|(_, w)| w.strong_count() > 0);
            let shared = children.len() < MAX_CHILDREN;
            let s = Rc::new(Shape {
                keys: self.appended(name),
                nslots: self.nslots,
                shared,
                parent: shared.then(|| self.clone()),
                children: RefCell::new(Vec::new()),
                dict_mode: false,
            });
            if shared {
                children.push((name.clone(), Rc::downgrade(&s)));
            }
            return s;
        }
        Rc::new(self.private_copy(self.appended(name)))
    }

    /// The shape without the key at `idx` (a non-slot position). Shared shapes go back up
    /// the tree and re-add the later names, so instances that deleted the same name still
    /// share a shape.
    pub fn without(self: &Rc<Self>, idx: usize) -> Rc<Shape> {
        debug_assert!(idx >= self.nslots());
        if self.shared {
            let mut base = self.clone();
            while base.keys.len() > idx {
                match &base.parent {
                    Some(p) => base = p.clone(),
                    None => break,
                }
            }
            if base.keys.len() == idx {
                let mut s = base;
                for k in &self.keys[idx + 1..] {
                    s = s.with(k);
                }
                return s;
            }
        }
        let mut keys = self.keys.clone();
        keys.remove(idx);
        Rc::new(self.private_copy(keys))
    }

    fn appended(&self, name: &Rc<PyStr>) -> Vec<Rc<PyStr>> {
        let mut keys = Vec::with_capacity(self.keys.len() + 1);
        keys.extend(self.keys.iter().cloned());
        keys.push(name.clone());
        keys
    }

    fn private_copy(&self, keys: Vec<Rc<PyStr>>) -> Shape {
        Shape {
            keys,
            nslots: self.nslots,
            shared: false,
            parent: None,
            children: RefCell::new(Vec::new()),
            dict_mode: false,
        }
    }
}

/// The per-class state instance creation needs: the root shape, how many values to
/// allocate up front (the most any instance has needed so far, capped, so `__init__`
/// storing n attributes allocates once rather than n times), and the class's `__new__` and
/// `__init__` as of a class version (see `Vm::call_class`).
pub struct ClassLayout {
    pub root: Rc<Shape>,
    pub hint: Cell<u32>,
    pub ctor: RefCell<Option<Ctor>>,
}

/// `__new__` and `__init__` found on a class (`None`: the native default), valid while the
/// class's version is `version`.
#[derive(Clone)]
pub struct Ctor {
    pub version: u64,
    pub new: Option<Value>,
    pub init: Option<Value>,
}

impl ClassLayout {
    pub fn new(slots: Vec<Rc<PyStr>>) -> Self {
        let n = slots.len() as u32;
        ClassLayout {
            root: Shape::root(slots),
            hint: Cell::new(n),
            ctor: RefCell::new(None),
        }
    }
}

/// Replaces `inner.values` by a larger array with room for position `idx` and returns the
/// old one (all `Null` now) for the caller to drop once its borrow ends. Raises the class's
/// hint, so later instances start out large enough.
fn grow(inner: &mut AttrsInner, hint: &Cell<u32>, idx: usize) -> Values {
    let want = idx as u32 + 1;
    if want <= MAX_HINT && want > hint.get() {
        hint.set(want);
    }
    // To the hint, or geometrically past it (open-ended records).
    let cap = (hint.get() as usize)
        .max(idx + 1)
        .max(inner.values.len() * 2);
    let mut grown: Vec<Value> = Vec::with_capacity(cap);
    grown.extend(inner.values.iter_mut().map(std::mem::take));
    grown.resize_with(cap, || Value::Null);
    std::mem::replace(&mut inner.values, Values::boxed(grown))
}

/// How many values an instance holds in its own allocation. Four fit glibc's 128-byte size
/// class with the rest of the instance (`Rc` counts, class, shape, `Values`, native part):
/// a three-attribute instance used to be a 64-byte instance and a 64-byte values array,
/// two allocations to make and free where this is one (float 10000: the two `_int_malloc`s
/// per point cost about 600 instructions, freeing them at exit about 450).
const INLINE: usize = 4;

/// Where an instance's values are: the `INLINE` slots inside the instance (`Attrs::inline`)
/// once `Attrs::place` has pointed `ptr` at them, or a boxed slice (`spilled`). Derefs to
/// the values as a slice, so the methods below index it as they did a `Box<[Value]>`, and a
/// read costs what it did (a select between the two places on each access cost richards 1
/// 0.7%). Owns the boxed slice only; the inline values belong to `Attrs::inline`.
struct Values {
    ptr: *mut Value,
    len: u32,
    spilled: bool,
}

impl Values {
    /// Storage owning `v`'s values on the heap.
    fn boxed(v: Vec<Value>) -> Values {
        let len = v.len() as u32;
        let ptr = Box::into_raw(v.into_boxed_slice()) as *mut Value;
        Values {
            ptr,
            len,
            spilled: true,
        }
    }
}

impl Drop for Values {
    fn drop(&mut self) {
        if self.spilled {
            // SAFETY: `ptr` and `len` came from `Box::into_raw` of a boxed slice of `len`
            // values (`boxed`) and were not changed since; this is their one owner. Each
            // value is read out once, then the allocation is freed as a vector of that
            // capacity holding nothing (a boxed slice's layout).
            unsafe {
                release_all(self.ptr, self.len as usize);
                drop(Vec::from_raw_parts(self.ptr, 0, self.len as usize));
            }
        }
    }
}

/// Drops the `n` values at `p` through `Value::release`: most attribute values are numbers,
/// `None` or unset, for which the drop glue was an out-of-line call each.
///
/// # Safety
/// `p` points at `n` initialised values, which are not used again.
#[inline(always)]
unsafe fn release_all(p: *mut Value, n: usize) {
    for i in 0..n {
        // SAFETY: the caller's contract; each value is read once.
        unsafe { p.add(i).read() }.release();
    }
}

impl std::ops::Deref for Values {
    type Target = [Value];
    #[inline(always)]
    fn deref(&self) -> &[Value] {
        // SAFETY: `ptr` is valid for `len` initialised values: a boxed slice this owns, the
        // instance's inline array (`Attrs::place`), or dangling with `len` 0.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len as usize) }
    }
}

impl std::ops::DerefMut for Values {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [Value] {
        // SAFETY: as for `deref`; `&mut self` is the only way to these values while it lives
        // (the inline array is reached only through `ptr` once placed, see `Attrs`).
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len as usize) }
    }
}

/// An instance's shape and values. The cell is not a `RefCell`: a borrow flag would add a
/// word to every instance (64 → 80 bytes per allocation with glibc's size classes) and a
/// check to every access. Soundness instead rests on access being confined to the methods
/// below (the field is private to this file), each of which:
/// - holds a reference into the cell only inside its own body and returns owned values;
/// - calls nothing that can reach this instance while that reference is live: only
///   `Rc::clone`/`Value::clone` (reference-count increments, no guest code) and shape
///   methods (which touch shapes, never instances);
/// - moves any value or shape it displaces out of the cell and drops it after the
///   reference ends, because dropping a value can free other objects.
///
/// `Instance` holds `Rc`s, so it is neither `Send` nor `Sync`: no other thread can be in
/// these methods at the same time.
///
/// Inline values: `inline` is reached only through `values.ptr` (or by `drop`), never
/// through a reference to the array while `values` points at it, so the two never alias.
/// `values.ptr` points into the `Attrs` itself, which is therefore never moved: `init_at`
/// builds it where it stays (`Instance::new`, inside the instance's `Rc`), and nothing
/// moves an instance out of its `Rc` (no `Rc::try_unwrap`, `into_inner` or `get_mut` on
/// instances). `Drop` checks this in debug builds.
pub struct Attrs {
    inner: UnsafeCell<AttrsInner>,
    /// Dropped by `Attrs`' own `drop` (see `release_all`).
    inline: UnsafeCell<std::mem::ManuallyDrop<[Value; INLINE]>>,
}

/// An instance's reference to its shape: an `Rc<Shape>` kept as the address
/// `Rc::into_raw` gives, the shape's own. Inline caches key on that address
/// (`Attrs::shape_ptr`); read from a held `Rc` it took an add (the value's offset in the
/// `Rc` allocation) on every cache lookup.
struct ShapeRef(std::ptr::NonNull<Shape>);

impl ShapeRef {
    fn new(shape: Rc<Shape>) -> ShapeRef {
        // SAFETY: `Rc::into_raw` never gives a null pointer.
        ShapeRef(unsafe { std::ptr::NonNull::new_unchecked(Rc::into_raw(shape).cast_mut()) })
    }

    #[inline(always)]
    fn as_ptr(&self) -> *const Shape {
        self.0.as_ptr()
    }

    fn to_rc(&self) -> Rc<Shape> {
        // SAFETY: the pointer came from `Rc::into_raw` and this `ShapeRef` still owns that
        // reference, so the shape is alive; the count raised here is the one the new `Rc`
        // owns.
        unsafe {
            Rc::increment_strong_count(self.as_ptr());
            Rc::from_raw(self.as_ptr())
        }
    }
}

impl std::ops::Deref for ShapeRef {
    type Target = Shape;

    #[inline(always)]
    fn deref(&self) -> &Shape {
        // SAFETY: the reference this `ShapeRef` owns keeps the shape alive while it lives.
        unsafe { self.0.as_ref() }
    }
}

impl Drop for ShapeRef {
    fn drop(&mut self) {
        // SAFETY: gives back the reference `new` took out of its `Rc`, once.
        drop(unsafe { Rc::from_raw(self.as_ptr()) });
    }
}

struct AttrsInner {
    shape: ShapeRef,
    values: Values,
}

impl Drop for Attrs {
    fn drop(&mut self) {
        let inline: *mut Value = self.inline.get().cast();
        debug_assert!({
            let v = &self.inner.get_mut().values;
            v.spilled || std::ptr::eq(v.ptr, inline)
        });
        // SAFETY: the inline array (`ManuallyDrop`, so dropped nowhere else) holds `INLINE`
        // initialised values, unused from here on.
        unsafe { release_all(inline, INLINE) };
    }
}

impl Attrs {
    /// Writes at `dst` the storage for a new instance whose class has this layout: room for
    /// the slots, or for as many attributes as earlier instances ended up with; inline when
    /// that fits. Built in place because inline storage points into itself.
    ///
    /// # Safety
    /// `dst` is valid for writes, and the `Attrs` written there is never moved (see the
    /// type's comment).
    #[inline(always)]
    pub(crate) unsafe fn init_at(dst: *mut Attrs, layout: &ClassLayout) {
        let n = (layout.hint.get() as usize).max(layout.root.nslots());
        // SAFETY: `dst` is valid for writes (the caller's contract): each field is written
        // once, the inline array (transparent wrappers around `[Value; INLINE]`) value by
        // value.
        unsafe {
            let inline: *mut Value = (&raw mut (*dst).inline).cast();
            for i in 0..INLINE {
                inline.add(i).write(Value::Null);
            }
            let values = if n > INLINE {
                // Written directly: `vec![Value::Null; n]` cloned the element n - 1 times
                // through `Value::clone` (about 110 instructions for a handful of slots).
                Values::boxed((0..n).map(|_| Value::Null).collect())
            } else {
                Values {
                    ptr: inline,
                    len: INLINE as u32,
                    spilled: false,
                }
            };
            (&raw mut (*dst).inner).write(UnsafeCell::new(AttrsInner {
                shape: ShapeRef::new(layout.root.clone()),
                values,
            }));
        }
    }

    /// The current shape's address, for inline-cache comparisons.
    #[inline(always)]
    pub fn shape_ptr(&self) -> *const Shape {
        // SAFETY: see the type's comment; a shared read of one pointer, nothing is called.
        unsafe { (*self.inner.get()).shape.as_ptr() }
    }

    pub fn shape(&self) -> Rc<Shape> {
        // SAFETY: see the type's comment; only an `Rc::clone` runs while the reference lives.
        unsafe { (*self.inner.get()).shape.to_rc() }
    }

    /// The value at `idx`, `None` when unset. The caller has checked the shape.
    #[inline(always)]
    pub fn get_at(&self, idx: usize) -> Option<Value> {
        // SAFETY: see the type's comment; only `Value::clone` runs while the reference lives.
        let inner = unsafe { &*self.inner.get() };
        match inner.values.get(idx) {
            Some(Value::Null) | None => None,
            Some(v) => Some(v.clone()),
        }
    }

    /// Where the value at `idx` lies, `None` when unset or past the values array. The caller
    /// has checked the shape, and reads through the pointer before anything else runs
    /// (`ic::AttrIc::load_hit_src`): any method here that changes the values may move them.
    #[inline(always)]
    pub fn value_ptr(&self, idx: usize) -> Option<*const Value> {
        // SAFETY: see the type's comment; only the address is taken, the reference ends here.
        let inner = unsafe { &*self.inner.get() };
        match inner.values.get(idx) {
            Some(Value::Null) | None => None,
            Some(v) => Some(v as *const Value),
        }
    }

    /// Where the attribute outside `__slots__` at `idx` lies, with no test at all.
    ///
    /// # Safety
    /// `idx` is a position of the instance's current shape at or past its `__slots__`
    /// slots (the caller has checked the shape): by the module's invariants it is inside
    /// the values and set. The caller reads through the pointer before anything else runs,
    /// as for `value_ptr`.
    #[inline(always)]
    pub unsafe fn attr_ptr(&self, idx: usize) -> *const Value {
        // SAFETY: see the type's comment; only the address is taken, the reference ends
        // here. In bounds by the caller's contract.
        unsafe {
            let inner = &*self.inner.get();
            debug_assert!(idx >= inner.shape.nslots() && idx < inner.shape.len());
            debug_assert!(!inner.values[idx].is_null());
            inner.values.as_ptr().add(idx)
        }
    }

    /// The value of attribute `name`, `None` when absent or an unset slot.
    #[inline]
    pub fn get(&self, name: &Rc<PyStr>) -> Option<Value> {
        // SAFETY: see the type's comment; `index_of` touches only the shape, and only
        // `Value::clone` runs while the reference lives.
        let inner = unsafe { &*self.inner.get() };
        let Some(idx) = inner.shape.index_of(name) else {
            if inner.shape.dict_mode {
                let d = self.dict_part()?;
                return crate::vm::Vm::table_get_str(&d.borrow(), name);
            }
            return None;
        };
        match &inner.values[idx] {
            Value::Null => None,
            v => Some(v.clone()),
        }
    }

    /// The dict of a dict-mode instance (see the module docs).
    fn dict_part(&self) -> Option<Rc<RefCell<Table>>> {
        // SAFETY: see the type's comment; only an `Rc::clone` runs while the reference lives.
        let inner = unsafe { &*self.inner.get() };
        if !inner.shape.dict_mode {
            return None;
        }
        match inner.values.get(inner.shape.nslots()) {
            Some(Value::Dict(d)) => Some(d.clone()),
            _ => None,
        }
    }

    /// The instance's `__dict__`: moves it to dict mode first (see the module docs), with
    /// a dict of the attributes outside `__slots__`.
    pub fn dict(&self) -> Rc<RefCell<Table>> {
        if let Some(d) = self.dict_part() {
            return d;
        }
        let mut t = Table::new();
        for (k, v) in self.entries(false) {
            crate::vm::Vm::table_set_str(&mut t, k, v);
        }
        let d = Rc::new(RefCell::new(t));
        self.set_dict(d.clone());
        d
    }

    /// Makes `d` the instance's `__dict__` (`obj.__dict__ = d`, or `dict` moving to it):
    /// the attributes outside `__slots__` are replaced by its contents.
    pub fn set_dict(&self, d: Rc<RefCell<Table>>) {
        let shape = self.shape();
        let n = shape.nslots();
        let new_shape = Rc::new(Shape {
            keys: shape.keys[..n].to_vec(),
            nslots: shape.nslots,
            shared: false,
            parent: None,
            children: RefCell::new(Vec::new()),
            dict_mode: true,
        });
        drop(shape);
        let displaced;
        {
            // SAFETY: see the type's comment; values are only moved into a fresh array while
            // the reference lives; the old array and shape are dropped after it ends.
            let inner = unsafe { &mut *self.inner.get() };
            let mut values: Vec<Value> = Vec::with_capacity(n + 1);
            values.extend(inner.values[..n].iter_mut().map(std::mem::take));
            values.push(Value::Dict(d));
            // The rest moved out too: inline ones would otherwise stay in the instance.
            let rest: Vec<Value> = inner.values[n..].iter_mut().map(std::mem::take).collect();
            let old = std::mem::replace(&mut inner.values, Values::boxed(values));
            displaced = (
                old,
                rest,
                std::mem::replace(&mut inner.shape, ShapeRef::new(new_shape)),
            );
        }
        drop(displaced);
    }

    /// Overwrites position `idx`, which the current shape has. Returns the old value for
    /// the caller to drop.
    #[inline(always)]
    pub fn replace_at(&self, idx: usize, value: Value) -> Value {
        // SAFETY: see the type's comment; nothing is called while the reference lives (the
        // old value is returned, not dropped here).
        let inner = unsafe { &mut *self.inner.get() };
        std::mem::replace(&mut inner.values[idx], value)
    }

    /// Moves the value at `src` into position `idx` and returns the value it displaces,
    /// with no test (no panic path, for `store_attr_hit_leaf`). The displaced value comes
    /// back in registers: swapping it into the source slot and reading that back (as this
    /// used to) reloaded two 8-byte stores as one 16-byte load, which the core cannot
    /// forward (perf: a third of STORE_ATTR's samples on richards).
    ///
    /// # Safety
    /// `idx` is a position of the instance's current shape (the caller has checked the
    /// shape), so inside the values. `src` is valid for reads and initialized, and lies
    /// outside this instance's values; its value has been moved out on return, so the
    /// caller must not drop it again.
    #[inline(always)]
    pub unsafe fn take_into(&self, idx: usize, src: *const Value) -> Value {
        // SAFETY: see the type's comment; nothing is called while the reference lives (the
        // old value is returned, not dropped here). `idx` is in bounds and the read of `src`
        // valid by the caller's contract, and `src` is not inside the values array this
        // reference covers.
        unsafe {
            let inner = &mut *self.inner.get();
            debug_assert!(idx < inner.shape.len());
            let slot = inner.values.get_unchecked_mut(idx);
            std::mem::replace(slot, src.read())
        }
    }

    /// Moves to `target` (a child of the current shape whose last key sits at `idx`) and
    /// stores `value` there.
    #[inline]
    pub fn add_at(&self, hint: &Cell<u32>, target: &Rc<Shape>, idx: usize, value: Value) {
        let old_shape;
        {
            // SAFETY: see the type's comment; while the reference lives only `Rc::clone`
            // runs; the displaced shape is dropped after it ends.
            let inner = unsafe { &mut *self.inner.get() };
            if idx >= inner.values.len() {
                // `inner` is not used past this point, so its borrow has ended.
                return self.add_grown(hint, target, idx, value);
            }
            // Past the shape a position is `Null` (see the module docs), which owns
            // nothing: forgotten, not sent through the drop glue (an out-of-line call).
            let old = std::mem::replace(&mut inner.values[idx], value);
            debug_assert!(old.is_null());
            std::mem::forget(old);
            old_shape = std::mem::replace(&mut inner.shape, ShapeRef::new(target.clone()));
        }
        drop(old_shape);
    }

    /// `add_at` when the values array has no position `idx` yet: rare once the class's hint
    /// has learnt its instances' size, and kept out of `add_at` so that the usual store
    /// does not carry the displaced array.
    #[cold]
    #[inline(never)]
    fn add_grown(&self, hint: &Cell<u32>, target: &Rc<Shape>, idx: usize, value: Value) {
        let (old_values, old_shape);
        {
            // SAFETY: see the type's comment; while the reference lives only `Rc::clone` and
            // `grow` (moves into a fresh array) run; the displaced array and shape are
            // dropped after it ends.
            let inner = unsafe { &mut *self.inner.get() };
            old_values = grow(inner, hint, idx);
            debug_assert!(inner.values[idx].is_null());
            inner.values[idx] = value;
            old_shape = std::mem::replace(&mut inner.shape, ShapeRef::new(target.clone()));
        }
        drop(old_shape);
        drop(old_values);
    }

    /// Stores attribute `name` (interned), adding it if new. `hint` is the class's
    /// allocation hint (see `ClassLayout`).
    pub fn set(&self, hint: &Cell<u32>, name: &Rc<PyStr>, value: Value) {
        let shape = self.shape();
        if let Some(idx) = shape.index_of(name) {
            drop(self.replace_at(idx, value));
            return;
        }
        if let Some(d) = self.dict_part() {
            crate::vm::Vm::table_set_str(&mut d.borrow_mut(), name.clone(), value);
            return;
        }
        let idx = shape.len();
        let new_shape = shape.with(name);
        drop(shape);
        let displaced;
        {
            // SAFETY: see the type's comment; the only calls while the reference lives are
            // `Rc::clone` and moves of values into a fresh array; everything displaced (the
            // old array, now all `Null` or moved-from, and the old shape) is dropped after.
            let inner = unsafe { &mut *self.inner.get() };
            let old_values = (idx >= inner.values.len()).then(|| grow(inner, hint, idx));
            inner.values[idx] = value;
            displaced = (
                old_values,
                std::mem::replace(&mut inner.shape, ShapeRef::new(new_shape)),
            );
        }
        drop(displaced);
    }

    /// Removes attribute `name`, returning its value (`None`: absent or an unset slot).
    pub fn remove(&self, name: &Rc<PyStr>) -> Option<Value> {
        let shape = self.shape();
        let Some(idx) = shape.index_of(name) else {
            let d = self.dict_part()?;
            let removed = crate::vm::Vm::table_del_str(&mut d.borrow_mut(), name);
            return removed;
        };
        if idx < shape.nslots() {
            let old = self.replace_at(idx, Value::Null);
            return (!old.is_null()).then_some(old);
        }
        let new_shape = shape.without(idx);
        drop(shape);
        let displaced;
        {
            // SAFETY: see the type's comment; values are only moved while the reference
            // lives; the removed value and the old shape are dropped after it ends.
            let inner = unsafe { &mut *self.inner.get() };
            let removed = std::mem::take(&mut inner.values[idx]);
            // Later names move down one position, as they do in the new shape.
            inner.values[idx..].rotate_left(1);
            displaced = (
                removed,
                std::mem::replace(&mut inner.shape, ShapeRef::new(new_shape)),
            );
        }
        Some(displaced.0)
    }

    /// The attributes, in order: set `__slots__` slots first when `with_slots`, then the
    /// `__dict__` part.
    pub fn entries(&self, with_slots: bool) -> Vec<(Rc<PyStr>, Value)> {
        let shape = self.shape();
        let from = if with_slots { 0 } else { shape.nslots() };
        let mut out: Vec<(Rc<PyStr>, Value)> = (from..shape.len())
            .filter_map(|i| self.get_at(i).map(|v| (shape.keys()[i].clone(), v)))
            .collect();
        if let Some(d) = self.dict_part() {
            for e in d.borrow().iter() {
                if let Value::Str(k) = &e.key {
                    out.push((k.clone(), e.value.clone()));
                }
            }
        }
        out
    }
}
