//! Frame and traceback objects: what `e.__traceback__`, `sys.exc_info()[2]` and `__exit__`'s
//! third argument give Python code, and the frames (`tb.tb_frame`, `f_back`) they lead to.
//!
//! The interpreter's `Frame` is not a Python object. A `FrameObj` is made for an activation
//! the first time an exception passes through it (and for the activations that called it, for
//! `f_back`), and kept in a registry under an id the `Frame` holds, so every later entry of
//! that activation shares it. While the activation runs, the object reads it live (it is found
//! on the chain of running frames). Raising copies nothing: when the activation ends (or
//! yields), `frame_left` hands its locals and position to the object if anything besides the
//! registry still holds it, so a finished frame shows the state it ended with, as CPython's
//! does. That hook runs where such activations end: an exception that passed through a frame
//! leaves it running inside `unwind_frame`. A caller that only got an object as an `f_back`
//! and then returned normally is not seen ending: it shows its position at the call and no
//! locals. A generator's frame object shows the state of the first yield after the
//! exception from then on, and a later exception in that activation gets a new object:
//! later resumes run the plain path, and a test there on every yield cost generators 60000
//! +2.9M instructions (0.4%), one on every finish coroutines 27 +7.4M (1%).
//!
//! The exception keeps its entries as plain `TbEntry`s until the traceback is read: `tb`
//! turns them into `TbObj`s pushed on the head of the chain, as CPython's unwinder prepends
//! one traceback object per frame, so objects already handed out stay the chain's tail.
//!
//! `sys._getframe` makes objects for running frames no exception reached; such a frame is not
//! seen ending either (unless an exception passes through it later).
//!
//! Not here: writing through `f_locals`, `tb_next` assignment, `frame.clear()`.

use crate::dict::Table;
use crate::frame::Frame;
use crate::value::*;
use crate::vm::{PyResult, Vm};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use vigil_compiler::bytecode::CodeObject;

pub struct FrameObj {
    pub code: Rc<CodeObject>,
    pub globals: Rc<RefCell<Table>>,
    /// The namespace of a module or class body (its `f_locals`).
    pub locals_dict: Option<Rc<RefCell<Table>>>,
    /// The caller's frame object, or `None`.
    pub back: Value,
    /// The instruction last seen (see the module docs).
    lasti: Cell<usize>,
    /// The fast locals the activation ended (or last yielded) with, moved here by
    /// `frame_left`: they live as long as the object, as a CPython frame's do (a generator
    /// among them is closed once the traceback showing it goes).
    locals: RefCell<Vec<Value>>,
}

/// One traceback object: a frame, the instruction running in it, and the next (inner) entry.
pub struct TbObj {
    pub frame: Rc<FrameObj>,
    pub lasti: usize,
    pub next: Value,
}

/// How an activation stops running (see `frame_left`).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Left {
    Returned,
    Yielded,
    /// An exception leaves it: its position stays the one recorded as the exception passed
    /// (a cleanup handler's RERAISE may have run since, as CPython's restores `lasti`).
    Raised,
}

/// `f` ends or yields: if it has a frame object that something besides the registry holds,
/// the object takes its position and locals (moved out of a finished frame, whose slots are
/// about to be released; copied from a suspended one). A finished frame leaves the registry.
#[inline]
pub(crate) fn frame_left(f: &mut Frame, how: Left) {
    if f.obj_id.get() != 0 {
        frame_left_slow(f, how);
    }
}

#[cold]
#[inline(never)]
fn frame_left_slow(f: &mut Frame, how: Left) {
    let id = f.obj_id.get();
    // A suspended generator leaves the registry too: were its id kept, every generator's
    // finish would have to test it (`gen_finished`, callgrind coroutines 27: +7.4M even
    // with the test on the frame's parts), so the object keeps the state of this yield.
    f.obj_id.set(0);
    let o = REGISTRY.with(|r| r.borrow_mut().remove(id));
    let Some(o) = o else { return };
    // Nothing but `o` holds it: nothing can read it.
    if Rc::strong_count(&o) == 1 {
        return;
    }
    if how != Left::Raised {
        o.lasti.set(f.lasti);
    }
    if o.locals_dict.is_some() {
        return;
    }
    let n = f.nlocals;
    let vals: Vec<Value> = if how == Left::Yielded {
        f.slots[..n].to_vec()
    } else {
        // The slots are released next: move the values rather than count them twice.
        f.slots[..n].iter_mut().map(std::mem::take).collect()
    };
    // Dropped after the borrow ends: the old values may be the last references to anything.
    let old = std::mem::replace(&mut *o.locals.borrow_mut(), vals);
    drop(old);
}

/// The source line of instruction `pc` of `code` (`None` for an instruction without one).
pub(crate) fn line_of(code: &CodeObject, pc: usize) -> Value {
    match code.locations.get(pc).and_then(|l| l.line()) {
        Some(n) => Value::Int(n as i64),
        None => Value::None,
    }
}

/// Bits of a `Frame::obj_id` that index the registry's slots (plus one: 0 means none); the
/// bits above count the slot's reuses, so an id left on a frame whose object was swept does
/// not find the object that has the slot now.
const INDEX_BITS: u32 = 20;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;

/// Frame objects by `Frame::obj_id`: a slab, so a raise finds its frame's object by one
/// indexed load (an `FxHashMap` cost about 45 instructions a lookup and 130 an insert).
/// Entries only the registry holds are swept when it is full: nothing can tell such an object
/// from a new one, so a running activation whose object went simply gets another. (Held
/// weakly, the objects of a loop raising in one activation were made again on every raise,
/// with their `f_back` chains: twice the instructions per raise.)
struct Registry {
    /// Each slot's current id (0 while never used) and object.
    slots: Vec<(u32, Option<Rc<FrameObj>>)>,
    free: Vec<u32>,
    /// The number of slots at which the next sweep runs.
    limit: usize,
}

impl Registry {
    fn get(&self, id: u32, f: &Frame) -> Option<&Rc<FrameObj>> {
        let (sid, o) = self
            .slots
            .get(((id & INDEX_MASK) as usize).wrapping_sub(1))?;
        // The code check guards against a reuse count that wrapped.
        o.as_ref()
            .filter(|o| *sid == id && Rc::ptr_eq(&o.code, f.code()))
    }

    fn remove(&mut self, id: u32) -> Option<Rc<FrameObj>> {
        let i = ((id & INDEX_MASK) as usize).wrapping_sub(1);
        let (sid, o) = self.slots.get_mut(i)?;
        if *sid != id {
            return None;
        }
        let o = o.take();
        if o.is_some() {
            self.free.push(i as u32);
        }
        o
    }

    /// A free slot's index, sweeping or growing as needed; `None` when every index is taken.
    fn vacant(&mut self) -> Option<usize> {
        if self.free.is_empty() && self.slots.len() >= self.limit {
            for (i, (_, o)) in self.slots.iter_mut().enumerate() {
                if o.as_ref().is_some_and(|o| Rc::strong_count(o) == 1) {
                    *o = None;
                    self.free.push(i as u32);
                }
            }
            self.limit = ((self.slots.len() - self.free.len()) * 2).max(64);
        }
        if let Some(i) = self.free.pop() {
            return Some(i as usize);
        }
        if self.slots.len() >= INDEX_MASK as usize {
            return None;
        }
        self.slots.push((0, None));
        Some(self.slots.len() - 1)
    }
}

thread_local! {
    static REGISTRY: RefCell<Registry> = const {
        RefCell::new(Registry {
            slots: Vec::new(),
            free: Vec::new(),
            limit: 64,
        })
    };
}

/// The frame object registered for `f`, if any.
fn registered(f: &Frame) -> Option<Rc<FrameObj>> {
    let id = f.obj_id.get();
    if id == 0 {
        return None;
    }
    REGISTRY.with(|r| r.borrow().get(id, f).cloned())
}

/// Registers `o` as the frame object of `f` (when the registry is full, `f` keeps none and
/// gets a new object next time).
fn register(f: &Frame, o: &Rc<FrameObj>) {
    REGISTRY.with(|r| {
        let reg = &mut *r.borrow_mut();
        let Some(i) = reg.vacant() else { return };
        let slot = &mut reg.slots[i];
        let uses = (slot.0 >> INDEX_BITS).wrapping_add(1) & (u32::MAX >> INDEX_BITS);
        slot.0 = (uses << INDEX_BITS) | (i as u32 + 1);
        slot.1 = Some(o.clone());
        f.obj_id.set(slot.0);
    });
}

/// Whether `o` is the frame object registered for `f`.
fn is_object_of(f: &Frame, o: &FrameObj) -> bool {
    registered(f).is_some_and(|x| std::ptr::eq(&*x, o))
}

impl Vm {
    /// The frame object of `f`, a running frame, made (with those of its callers that have
    /// none yet) if needed.
    pub(crate) fn frame_object(&mut self, f: &Frame) -> Rc<FrameObj> {
        if let Some(o) = registered(f) {
            o.lasti.set(f.lasti);
            return o;
        }
        let mut missing: Vec<*const Frame> = vec![f as *const Frame];
        let mut back = Value::None;
        // SAFETY: every link on the chain of running frames lives on the Rust stack of a
        // `run_frame` call that is still running, and its frame is borrowed by that call for
        // as long as it runs, so neither moves nor drops while this reads them; only the
        // `obj_id` cell of each is written, and no Python code runs here.
        unsafe {
            let mut link = self.running;
            while !link.is_null() && !std::ptr::eq((*link).frame, f) {
                link = (*link).prev;
            }
            if !link.is_null() {
                link = (*link).prev;
            }
            while !link.is_null() {
                let g: &Frame = &*(*link).frame;
                if let Some(o) = registered(g) {
                    back = Value::FrameObj(o);
                    break;
                }
                missing.push(g);
                link = (*link).prev;
            }
            for &g in missing.iter().rev() {
                let g: &Frame = &*g;
                let o = Rc::new(FrameObj {
                    code: g.code().clone(),
                    globals: g.globals().clone(),
                    locals_dict: g.locals_dict.clone(),
                    back: std::mem::take(&mut back),
                    lasti: Cell::new(g.lasti),
                    locals: RefCell::new(Vec::new()),
                });
                register(g, &o);
                back = Value::FrameObj(o);
            }
        }
        match back {
            Value::FrameObj(o) => o,
            _ => unreachable!("made at least the frame object of f"),
        }
    }

    /// `sys._getframe(depth)`: the frame object of the running frame `depth` calls up from
    /// the caller (a negative depth counts as 0).
    pub(crate) fn getframe(&mut self, depth: i64) -> PyResult<Value> {
        let mut link = self.running;
        let mut left = depth.max(0);
        // SAFETY: as in `frame_object`; the frame is only read, and no Python code runs
        // before `frame_object` is done with it.
        unsafe {
            while !link.is_null() && left > 0 {
                link = (*link).prev;
                left -= 1;
            }
            if link.is_null() {
                return Err(self.value_error("call stack is not deep enough"));
            }
            let f: &Frame = &*(*link).frame;
            Ok(Value::FrameObj(self.frame_object(f)))
        }
    }

    /// The running frame whose object is `o`, if its activation still runs.
    fn live_frame(&self, o: &FrameObj) -> Option<&Frame> {
        let mut link = self.running;
        // SAFETY: as in `frame_object`; the reference is only read, by the caller, before
        // any Python code runs.
        unsafe {
            while !link.is_null() {
                let g: &Frame = &*(*link).frame;
                if is_object_of(g, o) {
                    return Some(g);
                }
                link = (*link).prev;
            }
        }
        None
    }

    /// `f_lasti` as an instruction index.
    fn frame_lasti(&self, o: &FrameObj) -> usize {
        match self.live_frame(o) {
            Some(f) => f.lasti,
            None => o.lasti.get(),
        }
    }

    /// `f_locals`: the namespace of a module or class body, else a new dict of the fast
    /// locals, cells and free variables that are bound.
    fn frame_locals(&mut self, o: &FrameObj) -> Value {
        if let Some(d) = &o.locals_dict {
            return Value::Dict(d.clone());
        }
        let vals: Vec<Value> = match self.live_frame(o) {
            Some(f) => f.locals().to_vec(),
            None => o.locals.borrow().clone(),
        };
        let mut t = Table::new();
        for (i, v) in vals.into_iter().enumerate() {
            let v = match v {
                Value::Cell(c) => c.borrow().clone(),
                other => other,
            };
            if !v.is_null() {
                let k = self.intern(&o.code.slot_name(i as u32));
                Vm::table_set_str(&mut t, k, v);
            }
        }
        Value::Dict(Rc::new(RefCell::new(t)))
    }

    pub(crate) fn frame_attr(&mut self, o: &Rc<FrameObj>, name: &str) -> Option<Value> {
        Some(match name {
            "f_code" => Value::Code(o.code.clone()),
            "f_globals" => Value::Dict(o.globals.clone()),
            "f_locals" => self.frame_locals(o),
            "f_back" => o.back.clone(),
            "f_lineno" => line_of(&o.code, self.frame_lasti(o)),
            "f_lasti" => Value::Int(2 * self.frame_lasti(o) as i64),
            "f_builtins" => Value::Dict(self.builtins.clone()),
            "f_trace" => Value::None,
            _ => return None,
        })
    }

    pub(crate) fn frame_repr(&self, v: &Value, o: &FrameObj) -> String {
        let line = match line_of(&o.code, self.frame_lasti(o)) {
            Value::Int(n) => n.to_string(),
            _ => "None".into(),
        };
        format!(
            "<frame at {:#x}, file '{}', line {line}, code {}>",
            v.ptr().unwrap_or(0),
            o.code.filename,
            o.code.name
        )
    }

    /// `exc.__traceback__`: `None` or the head of its chain of traceback objects.
    pub fn exc_traceback(&self, exc: &Value) -> Value {
        match exc {
            Value::Instance(i) => i.exc().map_or(Value::None, tb),
            _ => Value::None,
        }
    }

    /// Sets `exc.__traceback__` (`with_traceback`, assignment): a traceback object or None.
    pub(crate) fn set_exc_traceback(&mut self, x: &ExcData, v: Value) -> PyResult<()> {
        if !matches!(v, Value::None | Value::Traceback(_)) {
            return Err(self.type_error("__traceback__ must be a traceback or None"));
        }
        x.traceback.borrow_mut().clear();
        *x.tb.borrow_mut() = v;
        Ok(())
    }
}

/// The head of `x`'s traceback, turning its pending entries into objects first.
pub(crate) fn tb(x: &ExcData) -> Value {
    let pending = x.traceback.borrow_mut().take();
    let mut head = x.tb.borrow_mut();
    if head.is_null() {
        *head = Value::None;
    }
    for e in pending {
        let next = std::mem::take(&mut *head);
        *head = Value::Traceback(Rc::new(TbObj {
            frame: e.frame,
            lasti: e.pc,
            next,
        }));
    }
    head.clone()
}

pub(crate) fn tb_attr(t: &TbObj, name: &str) -> Option<Value> {
    Some(match name {
        "tb_frame" => Value::FrameObj(t.frame.clone()),
        "tb_lineno" => line_of(&t.frame.code, t.lasti),
        "tb_lasti" => Value::Int(2 * t.lasti as i64),
        "tb_next" => t.next.clone(),
        _ => return None,
    })
}
