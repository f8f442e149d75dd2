//! Frames and the dispatch loop. `Vm::run_frame` executes one frame until it returns, yields
//! or creates its generator, and owns exception unwinding through the code object's exception
//! table (including traceback entries and `__context__` chaining). Opcode bodies that are more
//! than a few lines live in `opcodes`; calls in `call`; generators in `gen`.
//!
//! Monitoring: instrumentation is installed from the RESUME arm (the one per-call check the
//! monitoring design allows). The INSTRUMENTED_* twins and overlays are arms of the same match:
//! they fire their events through `mon_before` and then run as their base instruction, so
//! plain bytecode pays no per-instruction instrumentation test.

use crate::dict::Table;
use crate::ops::{BinOp, CmpOp};
use crate::value::*;
use crate::vm::{PyErr, PyResult, Vm};
use std::cell::RefCell;
use std::rc::Rc;
use vigil_compiler::bytecode::{CodeObject, Constant, Instruction, Opcode, op};

/// The head of the overlay arm and the jump/branch twin arms in the dispatch loop's match
/// (every copy runs twin-only words itself, through `Vm::twin_plain`). The plain copies hand the frame (its `pc` back at the word) to
/// the traced copy; the traced copy marks the arm cold, so LLVM keeps the twin opcodes out
/// of the path in front of its jump table (a range test per instruction otherwise), and notes
/// in `met` that this loop iteration met an instrumented word (an iteration without one goes
/// back to a plain copy).
/// `K` is the loop copy's type parameter at the expansion site. Only the monitoring arms use it.
#[cfg(feature = "monitoring")]
macro_rules! twin_arm_entry {
    ($vm:expr, $f:ident, $pc:ident, $met:ident) => {
        if K::TRACED {
            std::hint::cold_path();
        }
        if !K::TRACED {
            $f.pc = $pc;
            return K::to_traced($vm, $f);
        }
        $met = true;
    };
}

/// The end of the dispatch loop's arms for words carrying only their twin: `w` is the
/// base instruction's word to run next, or `TWIN_ERR` (see `Vm::twin_plain`).
#[cfg(feature = "monitoring")]
macro_rules! twin_arm_exit {
    ($vm:expr, $ins:ident, $w:ident) => {
        if $w == crate::monitoring::TWIN_ERR {
            return Err($vm.twin_err());
        }
        $ins = Instruction($w);
        continue;
    };
}

/// Per-code-object values derived once: interned names and constant values.
pub struct CodeCache {
    pub names: Vec<Rc<PyStr>>,
    pub consts: Vec<Value>,
    /// The executed instruction words (instrumented twins are written here) and the
    /// per-code monitoring state.
    pub mon: crate::monitoring::CodeMon,
    /// LOAD_GLOBAL cache per name (see `ic::GlobalIcs`).
    pub globals_cache: crate::ic::GlobalIcs,
    /// Inline caches of the LOAD_ATTR/STORE_ATTR instructions (see `ic`).
    pub attr_ics: crate::ic::AttrIcs,
    /// `code.nlocalsplus()`, which counts cells on every call otherwise.
    pub nlocals: usize,
    /// The positional argument count when the signature is plain positional parameters
    /// (no `*args`, `**kw` or keyword-only ones): a call with exactly that many positional
    /// arguments and no keywords binds them by moving them into the first slots.
    pub simple_argc: Option<usize>,
    /// The names of the parameters a keyword can bind (`varnames[..argcount + kwonly]`),
    /// interned: a call's keyword names are constants interned the same way, so a keyword
    /// finds its parameter by address (see `Vm::call_bind_on_stack`). Filled by the first
    /// call with keywords: most code objects never get one, and interning every parameter
    /// name up front cost each program's start a hash lookup per parameter.
    pub params: std::cell::OnceCell<Vec<Rc<PyStr>>>,
    /// `co_name` and `co_qualname` interned once: MAKE_FUNCTION (every genexpr, lambda and
    /// nested def, each time it runs) starts a function with these, and interning them per
    /// call was two hash lookups.
    pub name: Rc<PyStr>,
    pub qualname: Rc<PyStr>,
    /// For generator, coroutine and async generator code whose prologue is only MAKE_CELL
    /// and COPY_FREE_VARS: the index of its RETURN_GENERATOR. A call then runs the prologue
    /// in `start_generator` instead of entering the dispatch loop for those few words (no
    /// event can fire there: nothing before the first RESUME is instrumented).
    pub gen_start: Option<usize>,
    /// MAKE_FUNCTION's `__module__` (the globals' `__name__`) for the last globals table seen:
    /// (table address, table version, value; `Null` until filled). A table's version changes
    /// on every mutation, to a number no table had before, so a hit is the value a lookup
    /// would find now; without it every genexpr and lambda paid a string-keyed dict lookup.
    pub module_name: RefCell<(usize, u64, Value)>,
}

/// One element of the chain of running frames (see `Vm::running`): lives on the Rust stack
/// of the `run_frame` call that runs `frame`.
pub struct FrameLink {
    // Read only by the Host API's frame views.
    #[cfg_attr(not(feature = "monitoring"), allow(dead_code))]
    pub(crate) frame: *mut Frame,
    pub(crate) prev: *const FrameLink,
}

/// One activation. `repr(C)` fixes the field order with the fields every instruction touches
/// (`pc`, `lasti`, the slots vector) first: the order Rust picked by itself made LLVM keep a
/// second, spilled pointer into the frame for the push path of the dispatch loop (callgrind, a
/// loop of local arithmetic: 18 more instructions per iteration of 13 bytecodes).
#[repr(C)]
pub struct Frame {
    pub pc: usize,
    pub lasti: usize,
    /// CPython's "localsplus" and value stack in one vector: fast locals, cells and free
    /// variables in `[..nlocals]`, the value stack above them. One vector means one pool
    /// round trip and one capacity check per call instead of two.
    pub slots: Vec<Value>,
    /// The running function; the frame reaches its code, code cache and globals through it,
    /// so that entering a frame takes one reference (the caller's, moved in) instead of four.
    /// Module code run by `run_code` gets a function made for the run (see `Frame::module`).
    /// Private and never reassigned after construction: `exec_loop` borrows the code and
    /// cache out of it for the whole activation (see the SAFETY note there).
    func: Rc<Function>,
    /// True for `Frame::module` frames, whose function is only a carrier (frame views show
    /// their namespace, not fast locals). False for a call's frame, so that `Frame::new`
    /// writes nothing but zeros after `func` (LLVM merges those stores; a `true` flag among
    /// them kept one store of its own).
    is_module: bool,
    /// Set while `Vm::exec_traced` runs a plain stretch of this activation through `exec`:
    /// the plain copy's twin arm then clears it and returns to `exec_traced` instead of
    /// calling it (see there). In the padding after `is_module`.
    #[cfg(feature = "monitoring")]
    plain_stretch: bool,
    /// Set while `Vm::sink_step` drains this generator frame: its plain YIELD_VALUE offers
    /// the value to the consumer's buffer (`Vm::sink_offer`) and runs on. A flag here (in
    /// the padding) rather than the frame's address on the VM: one byte test in the arm,
    /// where the compare with a VM field changed the dispatch loop's code for every program
    /// (callgrind, richards 3 +0.5%).
    pub(crate) sinking: bool,
    /// Unused: it fills the byte between the flags above and `obj_id`, so that `Frame::new`
    /// writes the flags and the id (all zero) as one 8-byte store. Across the padding byte
    /// LLVM did not merge them and made three stores on every Python call.
    #[cfg(feature = "monitoring")]
    _spare: bool,
    /// The key of this activation's frame object in `frameobj`'s registry, 0 for none yet
    /// (almost every call: one is made when an exception passes through). An id in the
    /// padding after the flags rather than the object itself: a field that needs dropping
    /// made every Python call's exit test it (callgrind, richards 1: +3M instructions).
    pub(crate) obj_id: std::cell::Cell<u32>,
    /// Where the value stack starts in `slots`.
    pub nlocals: usize,
    /// The namespace of module and class bodies (LOAD_NAME/STORE_NAME).
    pub locals_dict: Option<Rc<RefCell<Table>>>,
}

impl Frame {
    /// A frame for a call of `func`: `slots` holds exactly the bound locals (its length is
    /// the code's nlocalsplus) and has room for the value stack on top.
    #[inline(always)]
    pub fn new(
        func: Rc<Function>,
        slots: Vec<Value>,
        locals_dict: Option<Rc<RefCell<Table>>>,
    ) -> Frame {
        Frame {
            func,
            is_module: false,
            #[cfg(feature = "monitoring")]
            plain_stretch: false,
            sinking: false,
            #[cfg(feature = "monitoring")]
            _spare: false,
            obj_id: std::cell::Cell::new(0),
            pc: 0,
            lasti: 0,
            nlocals: slots.len(),
            slots,
            locals_dict,
        }
    }

    /// A frame for module-level code (`run_code`): `carrier` holds the code and globals but
    /// is not a Python function of the program.
    pub fn module(carrier: Rc<Function>, locals_dict: Rc<RefCell<Table>>) -> Frame {
        let code = &carrier.code;
        let n = code.nlocalsplus();
        let mut slots = Vec::with_capacity(n + code.stacksize as usize);
        slots.resize(n, Value::Null);
        Frame {
            is_module: true,
            ..Frame::new(carrier, slots, Some(locals_dict))
        }
    }

    /// Ends a finished frame, handing back its slots vector for the pool. Taking the frame
    /// apart here lets the caller's code drop the function reference inline; dropping the
    /// whole `Frame` called its out-of-line drop glue once per Python call.
    #[inline(always)]
    pub(crate) fn into_slots(self) -> Vec<Value> {
        let Frame {
            slots,
            func,
            locals_dict,
            ..
        } = self;
        drop(locals_dict);
        drop(func);
        slots
    }

    /// Ends a finished function frame in place and gives its slots vector to the pool
    /// (`Vm::recycle_parts`), in `into_slots`'s order: the function, then the slots. Read
    /// through a reference rather than moved out: `into_slots` then `recycle` copied the
    /// vector twice on the stack on every Python call's way out, and a `self` taken by value
    /// was copied whole. A function's frame has no namespace (`locals_dict` is set only by
    /// `Frame::module` and class bodies, and never assigned afterwards), so none is tested
    /// for here: that was a load, a spill and a branch on every Python call's return.
    ///
    /// # Safety
    /// Everything the frame owns is given up here: the caller must `mem::forget` it right
    /// after, and not use it in between. Its `locals_dict` is `None` (a namespace there
    /// would leak).
    #[inline(always)]
    pub(crate) unsafe fn retire_in_place(&mut self, vm: &mut Vm) {
        debug_assert!(self.locals_dict.is_none());
        let slots = &mut self.slots;
        let (p, len, cap) = (slots.as_mut_ptr(), slots.len(), slots.capacity());
        // SAFETY: each field that owns something is read out exactly once (`locals_dict` is
        // `None`, the caller's contract), and the caller forgets the frame, so none is
        // dropped twice; the slots vector's parts go to `recycle_parts`, which takes over its
        // values and allocation.
        unsafe {
            drop(std::ptr::read(&self.func));
            vm.recycle_parts(p, len, cap);
        }
    }

    /// `into_slots` that also hands back the function reference, for a caller that may keep
    /// the function object (`Vm::retire_function`).
    #[inline(always)]
    pub(crate) fn into_parts(self) -> (Vec<Value>, Rc<Function>) {
        let Frame {
            slots,
            func,
            locals_dict,
            ..
        } = self;
        drop(locals_dict);
        (slots, func)
    }

    /// The fast locals, cells and free variables.
    pub fn locals(&self) -> &[Value] {
        &self.slots[..self.nlocals]
    }

    #[inline(always)]
    pub fn code(&self) -> &Rc<CodeObject> {
        &self.func.code
    }

    #[inline(always)]
    pub fn cache(&self) -> &Rc<CodeCache> {
        &self.func.cache
    }

    #[inline(always)]
    pub fn globals(&self) -> &Rc<RefCell<Table>> {
        &self.func.globals
    }

    /// The Python function this frame runs (`None` for module code).
    #[inline(always)]
    pub fn func(&self) -> Option<&Rc<Function>> {
        (!self.is_module).then_some(&self.func)
    }

    /// The function the frame runs (for a module frame, its carrier), for callers that know
    /// which kind of frame they hold (a generator's is always a function's).
    #[inline(always)]
    pub(crate) fn function(&self) -> &Rc<Function> {
        &self.func
    }
}

/// How a frame stopped running.
pub enum Exit {
    Return(Value),
    Yield(Value),
    /// RETURN_GENERATOR: the caller wraps the frame in a generator object.
    Generator,
}

/// How a copy of the dispatch loop run by `Vm::exec_traced` stopped.
#[cfg(feature = "monitoring")]
enum Leave {
    Exit(Exit),
    /// The traced copy: a loop iteration met no instrumented word, go on in the plain copy.
    Plain,
}

/// The condition of a POP_JUMP_IF_* instruction, from its base or its twin opcode byte (any
/// other byte is taken for IF_FALSE: callers pass only conditional jumps).
#[cfg(feature = "monitoring")]
#[derive(Clone, Copy)]
enum JumpIf {
    None,
    NotNone,
    True,
    False,
}

#[cfg(feature = "monitoring")]
impl JumpIf {
    #[inline(always)]
    fn of_base(byte: u8) -> JumpIf {
        match byte {
            op::POP_JUMP_IF_NONE => JumpIf::None,
            op::POP_JUMP_IF_NOT_NONE => JumpIf::NotNone,
            op::POP_JUMP_IF_TRUE => JumpIf::True,
            _ => JumpIf::False,
        }
    }

    #[inline(always)]
    fn of_twin(byte: u8) -> JumpIf {
        match byte {
            op::INSTRUMENTED_POP_JUMP_IF_NONE => JumpIf::None,
            op::INSTRUMENTED_POP_JUMP_IF_NOT_NONE => JumpIf::NotNone,
            op::INSTRUMENTED_POP_JUMP_IF_TRUE => JumpIf::True,
            _ => JumpIf::False,
        }
    }
}

/// Which copy of the dispatch loop `Vm::exec_loop` is (see `Vm::exec`, `Vm::exec_traced`):
/// what it returns and what it does on switching. The loop's body is the same text for all
/// of them; these items are constants or one-line functions, so each copy compiles to its
/// own code with nothing tested at run time.
// Without the feature only `PlainLoop` exists and never switches.
#[cfg_attr(not(feature = "monitoring"), allow(dead_code))]
trait LoopKind {
    /// Instrumented words fire their events here (else they leave for the traced copy).
    const TRACED: bool;
    type Out;
    fn exit(x: Exit) -> Self::Out;
    /// A plain copy met an instrumented word at `f.pc`.
    fn to_traced(vm: &mut Vm, f: &mut Frame) -> PyResult<Self::Out>;
    /// The traced copy finished a loop iteration that met no instrumented word.
    fn to_plain() -> Self::Out;
}

/// The copy every activation starts in (`Vm::exec`), and the one `Vm::exec_traced` runs its
/// plain stretches in: exactly the loop of a run without tools, so it must not change shape
/// (issue 4's cost clause).
struct PlainLoop;

impl LoopKind for PlainLoop {
    const TRACED: bool = false;
    type Out = Exit;
    #[inline(always)]
    fn exit(x: Exit) -> Exit {
        x
    }
    #[inline(always)]
    fn to_traced(vm: &mut Vm, f: &mut Frame) -> PyResult<Exit> {
        #[cfg(feature = "monitoring")]
        {
            // A plain stretch of `exec_traced`'s: back there, with a placeholder exit it
            // drops (the cleared flag says which it is).
            if f.plain_stretch {
                f.plain_stretch = false;
                return Ok(Exit::Generator);
            }
            vm.exec_traced(f)
        }
        #[cfg(not(feature = "monitoring"))]
        {
            let _ = (vm, f);
            unreachable!("no instrumented words without the monitoring feature")
        }
    }
    fn to_plain() -> Exit {
        unreachable!("only the traced copy switches to plain")
    }
}

#[cfg(feature = "monitoring")]
struct TracedLoop;

#[cfg(feature = "monitoring")]
impl LoopKind for TracedLoop {
    const TRACED: bool = true;
    type Out = Leave;
    #[inline(always)]
    fn exit(x: Exit) -> Leave {
        Leave::Exit(x)
    }
    fn to_traced(_: &mut Vm, _: &mut Frame) -> PyResult<Leave> {
        unreachable!("the traced copy handles instrumented words itself")
    }
    #[inline(always)]
    fn to_plain() -> Leave {
        Leave::Plain
    }
}

impl Vm {
    pub fn code_cache(&mut self, code: &Rc<CodeObject>) -> Rc<CodeCache> {
        let key = Rc::as_ptr(code) as usize;
        if let Some((_, c)) = self.code_caches.get(&key) {
            return c.clone();
        }
        let names = code.names.iter().map(|n| self.intern(n)).collect();
        let consts = code.consts.iter().map(|c| self.const_value(c)).collect();
        let mon = crate::monitoring::CodeMon::new(code);
        let c = Rc::new(CodeCache {
            names,
            consts,
            mon,
            globals_cache: crate::ic::GlobalIcs::new(code.names.len()),
            attr_ics: crate::ic::AttrIcs::new(code),
            nlocals: code.nlocalsplus(),
            simple_argc: {
                use vigil_compiler::bytecode::co_flags;
                let star = co_flags::VARARGS | co_flags::VARKEYWORDS;
                (code.kwonlyargcount == 0 && code.flags & star == 0)
                    .then_some(code.argcount as usize)
            },
            params: std::cell::OnceCell::new(),
            name: self.intern(&code.name),
            qualname: self.intern(&code.qualname),
            gen_start: crate::generator::gen_start(code),
            module_name: RefCell::new((0, 0, Value::Null)),
        });
        self.code_caches.insert(key, (code.clone(), c.clone()));
        c
    }

    pub fn const_value(&mut self, c: &Constant) -> Value {
        match c {
            Constant::None => Value::None,
            Constant::Bool(b) => Value::Bool(*b),
            Constant::Int(i) => Value::Int(*i),
            Constant::BigInt(b) => Value::from_bigint(b.clone()),
            Constant::Float(f) => Value::Float(*f),
            Constant::Complex(re, im) => Value::complex(*re, *im),
            Constant::Str(s) => Value::Str(self.intern(s)),
            Constant::Bytes(b) => Value::Bytes(Rc::new(b.to_vec())),
            Constant::Tuple(t) => Value::tuple(t.iter().map(|x| self.const_value(x)).collect()),
            Constant::FrozenSet(t) => {
                // CPython's compiler folds the members into a frozenset and, when it merges
                // equal constants, builds the frozenset again from that one's iteration
                // order; iterating the constant (`for x in {3, 11, 19}`, SET_UPDATE of a set
                // display) follows the second table, so this builds both.
                let items: Vec<Value> = t.iter().map(|x| self.const_value(x)).collect();
                let first = self.build_set(items).unwrap_or_default();
                let again: Vec<Value> = first.iter().map(|(k, _)| k.clone()).collect();
                let tb = self.build_set(again).unwrap_or_default();
                Value::FrozenSet(Rc::new(tb))
            }
            Constant::Code(code) => Value::Code(code.clone()),
            Constant::Ellipsis => Value::Ellipsis,
        }
    }

    /// Runs `f` from its current pc. `pending` raises an exception at the current position
    /// first (used by `generator.throw`). Inlined into its callers (function calls, generator
    /// resumption, module and class bodies), so a Python call costs one Rust call level fewer.
    #[inline(always)]
    pub fn run_frame(&mut self, f: &mut Frame, pending: Option<PyErr>) -> PyResult<Exit> {
        // `f` joins the chain of running frames (see `Vm::running`) for exactly as long as
        // this call runs: the link is a local of this call (of its caller's Rust frame once
        // inlined, which lives at least as long), and every way out of
        // `run_frame_inner` (return, exception, generator yield) comes back here, where the
        // previous head is put back. A panic skips the restore; the one place that catches
        // panics around running Python code (`run_main_inner`) resets the head before anything
        // can read it again.
        let link = FrameLink {
            frame: f as *mut Frame,
            prev: self.running,
        };
        self.running = &link;
        let r = self.run_frame_inner(f, pending);
        self.running = link.prev;
        r
    }

    /// RESUME's slow path: sync instrumentation (firing PY_START / PY_RESUME) as needed, then
    /// CPython's eval-breaker check at entry and after `yield` (not at a generator's resume
    /// point, `arg` ≥ 2), then stamp the code object if it is now current.
    #[cold]
    #[inline(never)]
    fn resume_slow(&mut self, f: &mut Frame, cache: &Rc<CodeCache>, arg: usize) -> PyResult<()> {
        // Read before syncing: if a callback moves the epoch meanwhile, the stamp stays
        // behind and the next RESUME looks again.
        let word = crate::limits::word();
        #[cfg(feature = "monitoring")]
        self.mon_resume(f, cache)?;
        if arg < 2 && word & crate::limits::BREAKER_BITS != 0 {
            self.service_breaker()?;
        }
        #[cfg(feature = "monitoring")]
        if cache.mon.m.version.get() == self.monitoring.s.version {
            cache.mon.m.stamp.set(word & !crate::limits::BREAKER_BITS);
        }
        #[cfg(not(feature = "monitoring"))]
        let _ = (f, cache);
        Ok(())
    }

    /// `run_frame` proper: the dispatch loop, with exception unwinding out of line. This is
    /// inlined into every Python call (`run_function`) and every generator resume, so the
    /// common way out (the frame returns or yields) is all it holds: with the unwinding loop
    /// inlined too, its locals and calls made the callers' native frames larger and their
    /// prologues save more registers on every call.
    #[inline(always)]
    pub(crate) fn run_frame_inner(
        &mut self,
        f: &mut Frame,
        pending: Option<PyErr>,
    ) -> PyResult<Exit> {
        if let Some(e) = pending {
            return self.unwind_frame(f, e, false);
        }
        match self.exec(f) {
            Ok(x) => Ok(x),
            Err(e) => {
                let reraise = std::mem::take(&mut self.reraising);
                self.unwind_frame(f, e, reraise)
            }
        }
    }

    /// An exception raised in `f` (or thrown into it): record it, look for a handler, and run
    /// on from there until the frame returns, yields, or lets an exception out. `reraise`
    /// (RERAISE, a bare `raise`) means no new traceback entry.
    #[cold]
    #[inline(never)]
    #[cfg_attr(
        not(feature = "monitoring"),
        allow(unused_assignments, unused_variables)
    )]
    fn unwind_frame(&mut self, f: &mut Frame, mut err: PyErr, mut reraise: bool) -> PyResult<Exit> {
        // Set for an exception from a failing EXCEPTION_HANDLED callback: no RAISE event.
        let mut was_quiet = false;
        loop {
            if !reraise {
                self.note_raise(&err, f);
            }
            // C_RAISE, RAISE / RERAISE (a raising callback replaces the exception).
            #[cfg(feature = "monitoring")]
            if !was_quiet && self.monitoring.active() {
                err = self.mon_raise(f, err, reraise);
            }
            // Through the field, not `code()`, so the borrow is of `f.func` alone.
            match f.func.code.handler_for(f.lasti as u32) {
                Some(h) => {
                    f.slots.truncate(f.nlocals + h.depth as usize);
                    if h.push_lasti {
                        f.slots.put(Value::Int(f.lasti as i64));
                    }
                    f.slots.put(err.0);
                    f.pc = h.handler as usize;
                    #[cfg(feature = "monitoring")]
                    if self.monitoring.active()
                        && let Err(e) = self.mon_handled(f)
                    {
                        // The new exception unwinds without another RAISE from the
                        // instruction before the handler, as CPython 3.13's unwinder looks
                        // up the code unit before `next_instr`: usually the end of the try
                        // body, so this handler is entered again with the new exception;
                        // otherwise it leaves the try. (Looking up the handler itself found
                        // its cleanup entry, whose stack layout is not there yet.)
                        f.slots.pop();
                        f.lasti = f.pc.saturating_sub(1);
                        err = e;
                        reraise = true;
                        was_quiet = true;
                        continue;
                    }
                }
                None => {
                    #[cfg(feature = "monitoring")]
                    if self.monitoring.active() {
                        err = self.mon_unwind(f, err);
                    }
                    crate::frameobj::frame_left(f, crate::frameobj::Left::Raised);
                    return Err(err);
                }
            }
            // A frame an exception passed through has a frame object, and runs to its end
            // (or next yield) here: the object keeps the state it ends with.
            match self.exec(f) {
                Ok(x) => {
                    let how = match x {
                        Exit::Yield(_) => crate::frameobj::Left::Yielded,
                        _ => crate::frameobj::Left::Returned,
                    };
                    crate::frameobj::frame_left(f, how);
                    return Ok(x);
                }
                Err(e) => {
                    err = e;
                    reraise = std::mem::take(&mut self.reraising);
                    was_quiet = false;
                }
            }
        }
    }

    /// Records a traceback entry for frame `f` and chains `__context__`.
    fn note_raise(&mut self, err: &PyErr, f: &Frame) {
        if let Value::Instance(i) = &err.0
            && let Some(exc) = i.exc()
        {
            let frame = self.frame_object(f);
            exc.traceback
                .borrow_mut()
                .push(TbEntry { frame, pc: f.lasti });
            let cur = self.handled_exc();
            if !cur.is_null() && !cur.is(&err.0) && exc.context.borrow().is_null() {
                // Avoid creating a cycle: do not chain if `err` is already in cur's chain.
                let mut probe = cur.clone();
                let mut cyc = false;
                for _ in 0..100 {
                    let next = match &probe {
                        Value::Instance(pi) => match pi.exc() {
                            Some(pe) => pe.context.borrow().clone(),
                            None => Value::Null,
                        },
                        _ => Value::Null,
                    };
                    if next.is_null() || next.is_none() {
                        break;
                    }
                    if next.is(&err.0) {
                        cyc = true;
                        break;
                    }
                    probe = next;
                }
                if !cyc {
                    *exc.context.borrow_mut() = cur;
                }
            }
        }
    }

    /// Runs `f` until it returns, yields or raises, starting with plain dispatch: the first
    /// instrumented word moves the rest of this activation to `exec_traced` (or, when this
    /// is a plain stretch of `exec_traced`'s, `Frame::plain_stretch`, returns there).
    fn exec(&mut self, f: &mut Frame) -> PyResult<Exit> {
        self.exec_loop::<PlainLoop>(f)
    }

    /// The dispatch loop once an instrumented word was met. A second copy of the loop, so
    /// that the plain copy (`exec`) carries nothing for instrumentation beyond arms that
    /// leave for here or call out of line (`Vm::twin_plain`, for words carrying only their
    /// twin): with monitoring compiled in and no tool it compiles to nearly the same code as
    /// with monitoring compiled out (issue 4's cost clause). The traced copy is for LINE and
    /// INSTRUCTION overlays and the jump/branch twins.
    ///
    /// The traced copy costs more per instruction than the plain one. When a loop iteration
    /// met no instrumented word (the tool DISABLEd them, or the loop never had any), the
    /// activation goes on in the plain copy, `exec` itself, with `Frame::plain_stretch` set:
    /// its twin arm then comes back here at the next instrumented word instead of calling
    /// this function again. Without that, a long activation (a main loop, a module body)
    /// that met one instrumented word early paid the traced copy to its end for events it no
    /// longer gets. Switching is a return to this loop, never a call from one copy into the
    /// other that stays on the stack, so the Rust stack stays flat however often an
    /// activation switches; and `exec`'s copy keeps its shape (making its twin arm come back
    /// after the traced copy returned cost 4–6% of every run without tools, callgrind
    /// richards 1 and fannkuch 7: LLVM then put a range test in front of its jump table).
    ///
    /// The plain stretches used to run in a third copy of the loop that returned a one-byte
    /// code. Its machine code was not `exec`'s: LLVM allocated registers differently in it,
    /// and which way moved with unrelated edits (callgrind, nbody 2000 with line coverage,
    /// whose main loop runs there: from 0.4% to 2.4% dearer per instruction than `exec`).
    /// Making that copy the only plain one cost every run without tools 1–4% (parking the
    /// exit value, a call level; richards 1 +2.6%). With `exec` in both roles a plain stretch
    /// costs exactly what a run without tools does.
    #[cfg(feature = "monitoring")]
    #[inline(never)]
    fn exec_traced(&mut self, f: &mut Frame) -> PyResult<Exit> {
        loop {
            match self.exec_loop::<TracedLoop>(f)? {
                Leave::Exit(x) => return Ok(x),
                Leave::Plain => {}
            }
            f.plain_stretch = true;
            let r = self.exec(f);
            if f.plain_stretch {
                // The activation returned, yielded or raised in the plain stretch.
                f.plain_stretch = false;
                return r;
            }
            // The twin arm cleared the flag: an instrumented word at `f.pc`, and `r` is its
            // placeholder.
            debug_assert!(matches!(r, Ok(Exit::Generator)));
        }
    }

    /// The dispatch loop; `K` says which copy (see `LoopKind`).
    #[inline(always)]
    fn exec_loop<K: LoopKind>(&mut self, f: &mut Frame) -> PyResult<K::Out> {
        // SAFETY: `f.func` is private to this module and never reassigned once the frame is
        // built, and `f` stays mutably borrowed by this call, so no one can drop or replace
        // the frame meanwhile: the `Rc` it holds keeps the function (and through it the code
        // and cache) alive and unmoved for the whole activation. The function lives in its
        // own heap allocation, so these shared borrows do not overlap the `&mut Frame`.
        // This replaces two refcount round trips (code, cache) per frame entry.
        let func: &Function = unsafe { &*Rc::as_ptr(&f.func) };
        let cache = &func.cache;
        let instrs = &cache.mon.instrs[..];
        // Traced copy: an instrumented word ran since the last backward jump.
        #[cfg(feature = "monitoring")]
        let mut met = false;
        let frame_ptr: *mut Frame = f;
        'dispatch: loop {
            // The frame reference is re-derived at each instruction from a pointer LLVM cannot
            // see through (`opaque`). Otherwise it hoists the addresses of the frame's fields
            // (`&f.slots.len`, `&f.slots.ptr`, `&f.pc`, ...) out of the loop as separate values,
            // runs out of registers for them in this large function and spills them, so every
            // stack access loaded a spilled pointer and then the field through it.
            // The traced copy does without `opaque`: there its result got a stack slot of its
            // own, stored at every backward edge and loaded at every dispatch, while the plain
            // pointer stays in a register (callgrind, count every event on richards 1: the
            // dispatch went from 13 instructions to 9, the traced copy −47M of 1150M). The
            // plain copy's code is unchanged by this (`K::TRACED` is a constant).
            // SAFETY: `frame_ptr` (unchanged by `opaque`) came from the exclusive borrow `f`
            // of this call; `f` itself is not used again, and the reference made here is the
            // only one to the frame until the next iteration makes the next.
            let f: &mut Frame = if K::TRACED {
                unsafe { &mut *frame_ptr }
            } else {
                unsafe { &mut *opaque(frame_ptr) }
            };
            let pc = f.pc;
            #[allow(unused_mut)]
            // SAFETY: `pc` is in range: it is 0 at entry, or was set by the previous word to
            // the next one (never past a last word, which cannot fall through; a word that
            // runs the one or two after it, as COMPARE_OP with its jump or the augmented
            // subscript's COPY and SWAP, continues past words that fall through), to a jump
            // argument (FOR_ITER's plus two) or to a handler, all checked in range when the
            // code's `instrs` were made (`CodeMon::new`); a generator resumes where it
            // stopped. The bounds check was 2 of every instruction's ~13 dispatch
            // instructions (callgrind, nbody).
            let mut ins = unsafe { instrs.get_unchecked(pc) }.get();
            f.pc = pc + 1;
            // Twins and overlays are arms of the match below. In the plain copy their arm
            // hands the frame to the traced copy; there they fire their event first and then
            // come round once more as the base instruction. Plain bytecode therefore pays no
            // per-instruction test for instrumentation, only the jump table it takes anyway.
            // Arms that finish early leave with `continue 'dispatch`, never a bare `continue`.
            // Every arm starts with `f.lasti = pc` (the running instruction, for tracebacks,
            // handlers and frame views) rather than one store before the match: the twins'
            // arm reads the old value first (LINE depends on the instruction executed before),
            // and with one shared store every plain instruction would keep that old value
            // alive across the dispatch just for it (issue 4: no tool, no cost).
            #[allow(clippy::never_loop)]
            loop {
                let arg = ins.arg() as usize;
                match ins.op_byte() {
                    // LINE's overlay (with possibly more under it): `mon_line_word` fires LINE
                    // and answers the base instruction, or runs the word itself when it has
                    // more than LINE (see there).
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_LINE => {
                        // In the plain copy `lasti` still names the previous instruction, as the
                        // traced copy's LINE check needs; it starts again at this word.
                        twin_arm_entry!(self, f, pc, met);
                        match self.mon_line_word(f, cache, pc)? {
                            Some(w) => {
                                ins = w;
                                // The base instruction is never a twin, so this repeats at
                                // most once.
                                continue;
                            }
                            None => continue 'dispatch,
                        }
                    }
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_INSTRUCTION => {
                        twin_arm_entry!(self, f, pc, met);
                        // `mon_before` works on the instruction at `f.pc`, with `lasti` still
                        // the previous one (LINE is due by the previous instruction's line;
                        // it sets `lasti` itself).
                        f.pc = pc;
                        let mut post = crate::monitoring::Post::None;
                        ins = self.mon_before(f, cache, &mut post)?;
                        f.lasti = pc;
                        f.pc = pc + 1;
                        // An event after the instruction (BRANCH/JUMP to where it went,
                        // C_RETURN): this arm runs the base instruction itself and then fires
                        // it, so plain instructions never carry a "post" flag to test.
                        if !matches!(post, crate::monitoring::Post::None) {
                            self.exec_then_post(f, cache, ins, post)?;
                            continue 'dispatch;
                        }
                        // The base instruction is never a twin, so this repeats at most once.
                        continue;
                    }
                    // Any other word carrying only its twin (the overlays above may sit on
                    // these instructions too): its events before the instruction, without
                    // `mon_before`'s layer tests, then the instruction as above. Every copy
                    // fires these out of line and runs the base instruction itself
                    // (CPython's shape): a short function whose RESUME, CALLs and returns
                    // carry twins (the profiler) never leaves the plain copy, and in the
                    // traced copy such a word does not count as met.
                    //
                    // The five twins with a function of their own have an arm each, so that
                    // this jump table takes them there (`Vm::twin_plain`'s second dispatch
                    // was ~12 instructions per event; callgrind, profiler on generators).
                    // RESUME's and the returns' twins then run their base instruction right
                    // here (a copy of its arm below) when that is what the twin function
                    // answers, rather than by a second pass through the jump table (~8
                    // instructions per event); any other answer (`TWIN_ERR`) goes the
                    // common way.
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_RESUME => {
                        let w = self.twin_resume(f, cache, pc, ins);
                        if Instruction(w).op_byte() != op::RESUME {
                            let w = self.twin_settle(f, cache, pc, ins, w);
                            twin_arm_exit!(self, ins, w);
                        }
                        f.lasti = pc;
                        if crate::limits::word() != cache.mon.resume_stamp() {
                            self.resume_slow(f, cache, arg)?;
                        }
                    }
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_RETURN_VALUE => {
                        let w = self.twin_leave::<false>(f, cache, pc, ins);
                        if Instruction(w).op_byte() != op::RETURN_VALUE {
                            let w = self.twin_settle(f, cache, pc, ins, w);
                            twin_arm_exit!(self, ins, w);
                        }
                        f.lasti = pc;
                        let v = pop(f);
                        return Ok(K::exit(Exit::Return(v)));
                    }
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_YIELD_VALUE => {
                        let w = self.twin_leave::<true>(f, cache, pc, ins);
                        if Instruction(w).op_byte() != op::YIELD_VALUE {
                            let w = self.twin_settle(f, cache, pc, ins, w);
                            twin_arm_exit!(self, ins, w);
                        }
                        f.lasti = pc;
                        let v = pop(f);
                        return Ok(K::exit(Exit::Yield(v)));
                    }
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_RETURN_CONST => {
                        let w = self.twin_return_const(f, cache, pc, ins);
                        if Instruction(w).op_byte() != op::RETURN_CONST {
                            let w = self.twin_settle(f, cache, pc, ins, w);
                            twin_arm_exit!(self, ins, w);
                        }
                        f.lasti = pc;
                        return Ok(K::exit(Exit::Return(cache.consts[arg].clone())));
                    }
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_CALL => {
                        let w = self.twin_call(f, cache, pc, ins);
                        twin_arm_exit!(self, ins, w);
                    }
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_CALL_KW
                    | op::INSTRUMENTED_CALL_FUNCTION_EX
                    | op::INSTRUMENTED_LOAD_SUPER_ATTR
                    | op::INSTRUMENTED_END_FOR
                    | op::INSTRUMENTED_END_SEND => {
                        let w = self.twin_plain(f, cache, pc, ins);
                        twin_arm_exit!(self, ins, w);
                    }
                    // A jump or conditional jump carrying only its twin (no LINE or
                    // INSTRUCTION overlay, which go through `mon_before` above): nothing
                    // fires before it, so the arm runs the jump and fires its JUMP/BRANCH
                    // itself, without `mon_before`'s layer tests and `exec_then_post`'s
                    // second decode (callgrind, count every event on richards 1: ~100
                    // instructions per event through those two).
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_JUMP_FORWARD | op::INSTRUMENTED_JUMP_BACKWARD => {
                        twin_arm_entry!(self, f, pc, met);
                        f.lasti = pc;
                        f.pc = arg;
                        if ins.op_byte() == op::INSTRUMENTED_JUMP_BACKWARD
                            && crate::limits::pending()
                        {
                            self.service_breaker()?;
                        }
                        self.mon_branch_after(f, vigil_monitoring::Event::Jump, pc)?;
                    }
                    // The two bool jumps test their operand where it lies, as their plain
                    // arms do (`pop_truth`), rather than moving it out first.
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_POP_JUMP_IF_FALSE | op::INSTRUMENTED_POP_JUMP_IF_TRUE => {
                        twin_arm_entry!(self, f, pc, met);
                        f.lasti = pc;
                        let t = self.pop_truth(f)?;
                        if t == (ins.op_byte() == op::INSTRUMENTED_POP_JUMP_IF_TRUE) {
                            f.pc = arg;
                        }
                        self.mon_branch_after(f, vigil_monitoring::Event::Branch, pc)?;
                    }
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_POP_JUMP_IF_NONE
                    | op::INSTRUMENTED_POP_JUMP_IF_NOT_NONE
                    | op::INSTRUMENTED_FOR_ITER => {
                        twin_arm_entry!(self, f, pc, met);
                        f.lasti = pc;
                        let byte = ins.op_byte();
                        if byte == op::INSTRUMENTED_FOR_ITER {
                            self.op_for_iter(f, cache, pc, arg, false, false)?;
                        } else {
                            let v = pop(f);
                            let jumped = self.pop_jump_taken(&v, JumpIf::of_twin(byte))?;
                            v.discard();
                            if jumped {
                                f.pc = arg;
                            }
                        }
                        self.mon_branch_after(f, vigil_monitoring::Event::Branch, pc)?;
                    }
                    // A branch that every BRANCH tool has seen go one way (see
                    // `Vm::branch_one_way`): every copy runs it, so a loop with a branch that
                    // never goes the other way stays in the plain copy. Only the plain copy
                    // tries the quiet path first: in the traced copy it moved registers
                    // around the whole loop (callgrind, richards 1 under the counter, which
                    // never runs this word: +26 M).
                    #[cfg(feature = "monitoring")]
                    op::INSTRUMENTED_BRANCH_ONE_WAY => {
                        f.lasti = pc;
                        if K::TRACED || !self.quiet_one_way(f, cache, pc, arg) {
                            self.branch_one_way(f, cache, pc)?;
                        }
                    }
                    op::NOP => {
                        f.lasti = pc;
                    }
                    op::RESUME => {
                        f.lasti = pc;
                        // One compare for the eval breaker (SIGINT, memory ceiling, step
                        // budget; see `limits`) and the code's instrumentation version: the
                        // word equals the code's stamp only when nothing is pending and the
                        // code was up to date at the current monitoring epoch.
                        if crate::limits::word() != cache.mon.resume_stamp() {
                            self.resume_slow(f, cache, arg)?;
                        }
                    }
                    op::POP_TOP | op::END_FOR => {
                        f.lasti = pc;
                        // Dropping a suspended generator may queue its close (see `generator`).
                        match pop(f) {
                            Value::Gen(g) => {
                                drop(g);
                                self.drain_abandoned();
                            }
                            v => v.discard(),
                        }
                    }
                    op::PUSH_NULL => {
                        f.lasti = pc;
                        f.slots.put(Value::Null);
                    }
                    op::END_SEND => {
                        f.lasti = pc;
                        let v = pop(f);
                        let recv = pop(f);
                        self.retire(recv);
                        f.slots.put(v);
                    }
                    op::COPY => {
                        f.lasti = pc;
                        if arg == 2 && copy_copy_subscr(f, instrs, pc) {
                            continue 'dispatch;
                        }
                        f.slots.push_copy(f.slots.len() - arg);
                    }
                    op::SWAP => {
                        f.lasti = pc;
                        if arg == 3 && swap_swap_store_subscr(f, instrs, pc) {
                            continue 'dispatch;
                        }
                        // Through two disjoint borrows, which swap in registers;
                        // `slice::swap` went through a temporary in memory. (SWAP 1 swaps
                        // nothing: index `n - 1` is past `below`.)
                        if let Some((top, below)) = f.slots.split_last_mut()
                            && let Some(x) = below.get_mut((below.len() + 1).wrapping_sub(arg))
                        {
                            std::mem::swap(x, top);
                        }
                    }
                    op::UNARY_NEGATIVE => {
                        f.lasti = pc;
                        let v = pop(f);
                        let r = self.unary_neg(&v)?;
                        f.slots.put(r);
                    }
                    op::UNARY_INVERT => {
                        f.lasti = pc;
                        let v = pop(f);
                        let r = self.unary_invert(&v)?;
                        f.slots.put(r);
                    }
                    op::UNARY_NOT => {
                        f.lasti = pc;
                        // In place for a bool (after TO_BOOL, always), as TO_BOOL does.
                        if let Some(Value::Bool(b)) = f.slots.last_mut() {
                            *b = !*b;
                            continue 'dispatch;
                        }
                        let v = pop(f);
                        let b = self.truthy(&v)?;
                        f.slots.put(Value::Bool(!b));
                    }
                    op::TO_BOOL => {
                        f.lasti = pc;
                        // A bool (the usual operand: comparisons, predicates) stays where it
                        // is. Popping it and pushing `Value::Bool(b)` back wrote the value to
                        // the native stack as two stores (tag, byte) and reloaded it as one
                        // 16-byte load, which the core cannot forward from two stores: perf
                        // put about a tenth of `exec`'s samples on richards on that reload.
                        if let Some(Value::Bool(_)) = f.slots.last() {
                            continue 'dispatch;
                        }
                        let v = pop(f);
                        let b = self.truthy(&v)?;
                        v.discard();
                        f.slots.put(Value::Bool(b));
                    }
                    op::BINARY_OP => {
                        f.lasti = pc;
                        // Ints and floats in place: the result overwrites the left operand's
                        // slot and the stack shortens by one, with no pops, pushes or drops.
                        // `binop_fast` is only `Some` for int/float operands, which own
                        // nothing, so forgetting the replaced and the popped one leaks nothing.
                        if let [.., a, b] = &mut f.slots[..]
                            && let Some(r) = crate::ops::binop_fast(a, b, arg)
                        {
                            std::mem::forget(std::mem::replace(a, r));
                            // SAFETY: the stack holds the two operands (the pattern matched);
                            // the top one owns nothing, so shortening past it leaks nothing.
                            // (`pop` tested the length again and moved the value out. The
                            // length taken before the match instead made LLVM compute its
                            // address in the arm's head, on every path: more, not fewer.)
                            unsafe { f.slots.set_len(f.slots.len() - 1) };
                            continue 'dispatch;
                        }
                        // `s += t` / `s = s + t` on strs, stored straight back into `s`.
                        if (arg == NB_ADD || arg == NB_INPLACE_ADD)
                            && let next = next_word(instrs, pc)
                            && let Some(local) = match next.op_byte() {
                                op::STORE_FAST => Some(next.arg() as usize),
                                op::STORE_FAST_LOAD_FAST | op::STORE_FAST_STORE_FAST => {
                                    Some(next.arg() as usize >> 4)
                                }
                                _ => None,
                            }
                            && str_append_in_place(&mut f.slots, local)
                        {
                            continue 'dispatch;
                        }
                        let b = pop(f);
                        let a = pop(f);
                        let (op, inplace) = binop_of(arg);
                        let r = self.binary_op(&a, &b, op, inplace)?;
                        a.discard();
                        b.discard();
                        f.slots.put(r);
                    }
                    op::COMPARE_OP => {
                        f.lasti = pc;
                        // Ints and floats without pops or pushes (`compare_fast` is only
                        // `Some` for operands that own nothing, so dropping them by shortening
                        // the stack leaks nothing). When the next word is a plain
                        // POP_JUMP_IF_FALSE/TRUE (`if a < b:`, `while ...:`), it runs here too:
                        // an instrumented jump or a LINE/INSTRUCTION overlay has another byte
                        // and is dispatched as usual. `lasti` names the jump, as if it had
                        // been dispatched.
                        if let [.., a, b] = &f.slots[..]
                            && let Some(t) = crate::ops::compare_fast(a, b, arg >> 5)
                        {
                            let n = f.slots.len();
                            let next = next_word(instrs, pc);
                            let jump = match next.op_byte() {
                                op::POP_JUMP_IF_FALSE => Some(!t),
                                op::POP_JUMP_IF_TRUE => Some(t),
                                _ => None,
                            };
                            // SAFETY (both `set_len`s): the stack holds the two operands
                            // (`n >= 2`), which own nothing, so shortening past them leaks
                            // nothing.
                            if let Some(taken) = jump {
                                unsafe { f.slots.set_len(n - 2) };
                                f.lasti = pc + 1;
                                f.pc = if taken { next.arg() as usize } else { pc + 2 };
                            } else {
                                std::mem::forget(std::mem::replace(
                                    &mut f.slots[n - 2],
                                    Value::Bool(t),
                                ));
                                unsafe { f.slots.set_len(n - 1) };
                            }
                            continue 'dispatch;
                        }
                        let b = pop(f);
                        let a = pop(f);
                        let op = match arg >> 5 {
                            0 => CmpOp::Lt,
                            1 => CmpOp::Le,
                            2 => CmpOp::Eq,
                            3 => CmpOp::Ne,
                            4 => CmpOp::Gt,
                            _ => CmpOp::Ge,
                        };
                        let r = self.compare(&a, &b, op)?;
                        a.discard();
                        b.discard();
                        if arg & 16 != 0 && !matches!(r, Value::Bool(_)) {
                            let t = self.truthy(&r)?;
                            f.slots.put(Value::Bool(t));
                        } else {
                            f.slots.put(r);
                        }
                    }
                    op::IS_OP => {
                        f.lasti = pc;
                        let b = pop(f);
                        let a = pop(f);
                        let r = a.is(&b) != (arg == 1);
                        a.discard();
                        b.discard();
                        f.slots.put(Value::Bool(r));
                    }
                    op::CONTAINS_OP => {
                        f.lasti = pc;
                        let b = pop(f);
                        let a = pop(f);
                        let r = self.contains(&b, &a)?;
                        f.slots.put(Value::Bool(r != (arg == 1)));
                    }
                    op::BINARY_SUBSCR => {
                        f.lasti = pc;
                        // list[int] in place: the item takes the list's slot and the index
                        // (an int, which owns nothing) goes by shortening the stack.
                        if let [.., c, Value::Int(i)] = &mut f.slots[..]
                            && let Value::List(l) = &*c
                            // SAFETY: the items are only read, and only until the clone below
                            // (a count increment, which runs no code that could borrow the
                            // list mutably); a list borrowed mutably right now is `Err` here
                            // and takes the general path. No borrow flag is written: its
                            // increment and decrement were a load, a compare with the
                            // overflow limit and two stores per subscript.
                            && let Ok(items) = unsafe { l.try_borrow_unguarded() }
                        {
                            let Some(j) = crate::iter::index_in(*i, items.len()) else {
                                return Err(self.index_error("list index out of range"));
                            };
                            let item = items[j].clone();
                            // SAFETY: `l` is the `Rc` in slot `c`, read out once here and
                            // dropped below, the slot then overwritten without dropping its
                            // old content (moved out). The stack holds at least `c` and the
                            // int above it, which owns nothing and goes by shortening the
                            // stack. In place: `mem::replace` and `pop` moved both values
                            // through stack temporaries.
                            unsafe {
                                let list = std::ptr::read(l);
                                std::ptr::write(c, item);
                                let n = f.slots.len();
                                f.slots.set_len(n - 1);
                                drop(list);
                            }
                            continue 'dispatch;
                        }
                        // tuple[int] in range likewise (nqueens' `pool[i]`, `vec[i]`).
                        if let [.., c, Value::Int(i)] = &mut f.slots[..]
                            && let Value::Tuple(t) = &*c
                            && let Some(j) = crate::iter::index_in(*i, t.len())
                        {
                            let item = t[j].clone();
                            // SAFETY: as for the list just above.
                            unsafe {
                                let tuple = std::ptr::read(t);
                                std::ptr::write(c, item);
                                let n = f.slots.len();
                                f.slots.set_len(n - 1);
                                drop(tuple);
                            }
                            continue 'dispatch;
                        }
                        let k = pop(f);
                        let c = pop(f);
                        let r = self.getitem(&c, &k)?;
                        k.discard();
                        f.slots.put(r);
                    }
                    op::STORE_SUBSCR => {
                        f.lasti = pc;
                        // list[int] = v in place: the value moves from its stack slot into
                        // the list, the list reference is given up inline, and the index is
                        // an int (owns nothing), so one length update removes all three.
                        // The old item is dropped last, from registers. (Swapping it into
                        // the value's slot and then popping the three, as before, tested
                        // the length and the list's tag again: 8 instructions more, nbody.)
                        if let [.., v, c, Value::Int(i)] = &mut f.slots[..]
                            && let Value::List(l) = &*c
                        {
                            let mut lb = l.borrow_mut();
                            if let Some(j) = crate::iter::index_in(*i, lb.len()) {
                                // SAFETY: `v` and `l` are read out of their slots once each,
                                // and the length update right after gives up the three top
                                // slots (the pattern matched them), so each value is owned
                                // exactly once: the new item by the list, the list reference
                                // by `list`; the int owns nothing.
                                unsafe {
                                    let old = std::mem::replace(&mut lb[j], std::ptr::read(v));
                                    drop(lb);
                                    let list = std::ptr::read(l);
                                    f.slots.set_len(f.slots.len() - 3);
                                    drop(list);
                                    old.discard();
                                }
                                continue 'dispatch;
                            }
                        }
                        let k = pop(f);
                        let c = pop(f);
                        let v = pop(f);
                        self.setitem(&c, &k, v)?;
                    }
                    op::DELETE_SUBSCR => {
                        f.lasti = pc;
                        let k = pop(f);
                        let c = pop(f);
                        self.delitem(&c, &k)?;
                    }
                    op::BINARY_SLICE => {
                        f.lasti = pc;
                        self.op_binary_slice(f)?;
                    }
                    op::STORE_SLICE => {
                        f.lasti = pc;
                        self.op_store_slice(f)?;
                    }
                    op::BUILD_SLICE => {
                        f.lasti = pc;
                        self.op_build_slice(f, next_word(instrs, pc), pc, arg);
                    }
                    op::GET_ITER => {
                        f.lasti = pc;
                        let v = pop(f);
                        let it = self.get_iter(&v)?;
                        f.slots.put(it);
                    }
                    op::GET_YIELD_FROM_ITER => {
                        f.lasti = pc;
                        let v = pop(f);
                        let it = match &v {
                            Value::Gen(_) => v.clone(),
                            _ => self.get_iter(&v)?,
                        };
                        f.slots.put(it);
                    }
                    // A plain FOR_ITER word is a warm one (see `monitoring::executed`): CPython
                    // 3.13 runs it specialized (G6).
                    op::FOR_ITER => {
                        f.lasti = pc;
                        self.op_for_iter(f, cache, pc, arg, true, true)?;
                    }
                    #[cfg(feature = "monitoring")]
                    op::FOR_ITER_COLD => {
                        f.lasti = pc;
                        self.for_iter_cold(f, cache, pc, arg)?;
                    }
                    op::SEND => {
                        f.lasti = pc;
                        let v = pop(f);
                        // Borrowed where it sits (no refcount round trip per value passed
                        // through a `yield from`): nothing the delegate runs can reach this
                        // frame's value stack, and SEND is the only one to pop it.
                        let recv = f.slots.last().unwrap_or(&Value::Null);
                        // A generator or coroutine delegate is resumed here directly.
                        let step = match recv {
                            Value::Gen(g) => self.gen_resume(g, v, None),
                            _ => self.send_to(recv, v),
                        };
                        match step? {
                            GenStep::Yield(y) => f.slots.put(y),
                            GenStep::Return(r) => {
                                // A real generator/coroutine delegate returned: STOP_ITERATION
                                // at END_SEND (monitoring).
                                #[cfg(feature = "monitoring")]
                                if self.monitoring.s.send_stop_any.get()
                                    && matches!(f.slots.last(), Some(Value::Gen(_)))
                                {
                                    self.mon_send_returned(f, &r);
                                }
                                f.slots.put(r);
                                f.pc = arg;
                            }
                        }
                    }
                    op::YIELD_VALUE => {
                        f.lasti = pc;
                        let v = pop(f);
                        // A frame drained by `sink_step` hands the value to the consumer's
                        // buffer and runs on as if resumed with `None` (see `Sink`): no exit
                        // and re-entry of this loop per value.
                        if f.sinking {
                            match self.sink_offer(v) {
                                None => {
                                    f.slots.put(Value::None);
                                    continue 'dispatch;
                                }
                                Some(v) => return Ok(K::exit(Exit::Yield(v))),
                            }
                        }
                        return Ok(K::exit(Exit::Yield(v)));
                    }
                    op::RETURN_VALUE => {
                        f.lasti = pc;
                        let v = pop(f);
                        return Ok(K::exit(Exit::Return(v)));
                    }
                    op::RETURN_CONST => {
                        f.lasti = pc;
                        return Ok(K::exit(Exit::Return(cache.consts[arg].clone())));
                    }
                    op::RETURN_GENERATOR => {
                        f.lasti = pc;
                        // On resume the frame continues at the next instruction, which pops the
                        // value sent by the first send (None).
                        return Ok(K::exit(Exit::Generator));
                    }
                    op::GET_AWAITABLE => {
                        f.lasti = pc;
                        let v = pop(f);
                        let a = self.get_awaitable(v)?;
                        f.slots.put(a);
                    }
                    op::CLEANUP_THROW => {
                        f.lasti = pc;
                        let exc = pop(f);
                        let _last = pop(f);
                        let _sub = pop(f);
                        if self.exc_matches(&exc, "StopIteration") {
                            let n = self.intern("value");
                            let val = self.get_attr(&exc, &n)?;
                            f.slots.put(Value::None);
                            f.slots.put(val);
                        } else {
                            self.reraising = true;
                            return Err(PyErr(exc));
                        }
                    }
                    op::LOAD_CONST => {
                        f.lasti = pc;
                        f.slots.push_clone(&cache.consts[arg]);
                    }
                    op::LOAD_FAST => {
                        f.lasti = pc;
                        f.slots.push_copy(arg);
                    }
                    op::LOAD_FAST_CHECK => {
                        f.lasti = pc;
                        let v = f.slots[arg].clone();
                        if v.is_null() {
                            return Err(self.unbound_local(&func.code, arg as u32));
                        }
                        f.slots.put(v);
                    }
                    op::LOAD_FAST_AND_CLEAR => {
                        f.lasti = pc;
                        let v = std::mem::take(&mut f.slots[arg]);
                        f.slots.put(v);
                    }
                    op::LOAD_FAST_LOAD_FAST => {
                        f.lasti = pc;
                        f.slots.push_copy2(arg >> 4, arg & 15);
                    }
                    op::STORE_FAST => {
                        f.lasti = pc;
                        if store_fast_in_place(&mut f.slots, arg) {
                            continue 'dispatch;
                        }
                        let v = pop(f);
                        let old = std::mem::replace(&mut f.slots[arg], v);
                        self.drop_local(old);
                    }
                    op::STORE_FAST_LOAD_FAST => {
                        f.lasti = pc;
                        let v = pop(f);
                        let old = std::mem::replace(&mut f.slots[arg >> 4], v);
                        self.drop_local(old);
                        f.slots.push_copy(arg & 15);
                    }
                    op::STORE_FAST_STORE_FAST => {
                        f.lasti = pc;
                        let v = pop(f);
                        // Each store closes a generator it drops before the next one, as
                        // two STORE_FASTs would.
                        let old = std::mem::replace(&mut f.slots[arg >> 4], v);
                        self.drop_local(old);
                        let w = pop(f);
                        let old = std::mem::replace(&mut f.slots[arg & 15], w);
                        self.drop_local(old);
                    }
                    op::DELETE_FAST => {
                        f.lasti = pc;
                        if f.slots[arg].is_null() {
                            return Err(self.unbound_local(&func.code, arg as u32));
                        }
                        if let Value::Gen(g) = std::mem::take(&mut f.slots[arg]) {
                            drop(g);
                            self.drain_abandoned();
                        }
                    }
                    op::LOAD_GLOBAL => {
                        f.lasti = pc;
                        // A hit is copied from the cache straight into its stack slot (one
                        // 16-byte load and store); through `PyResult<Value>` it was built on
                        // the native stack in two halves and reloaded whole, a store that
                        // cannot be forwarded.
                        if !cache.globals_cache.push_hit(
                            arg >> 1,
                            &func.globals,
                            &self.builtins,
                            &mut f.slots,
                        ) {
                            let v = self.load_global_miss(f, cache, arg >> 1)?;
                            f.slots.put(v);
                        }
                        if arg & 1 == 1 {
                            f.slots.put(Value::Null);
                        }
                    }
                    op::STORE_GLOBAL => {
                        f.lasti = pc;
                        let v = pop(f);
                        Vm::table_set_str(
                            &mut f.globals().borrow_mut(),
                            cache.names[arg].clone(),
                            v,
                        );
                        // The old value may have been a suspended generator: close it now.
                        self.drain_abandoned();
                    }
                    op::DELETE_GLOBAL => {
                        f.lasti = pc;
                        let name = &cache.names[arg];
                        if Vm::table_del_str(&mut f.globals().borrow_mut(), name).is_none() {
                            return Err(self.name_error(name));
                        }
                        // `del g` of a suspended generator closes it here, as CPython does.
                        self.drain_abandoned();
                    }
                    op::LOAD_NAME => {
                        f.lasti = pc;
                        let name = &cache.names[arg];
                        let local = f
                            .locals_dict
                            .as_ref()
                            .and_then(|d| Vm::table_get_str(&d.borrow(), name));
                        let v = match local {
                            Some(v) => v,
                            None => self.load_global(f, name)?,
                        };
                        f.slots.put(v);
                    }
                    op::STORE_NAME => {
                        f.lasti = pc;
                        let v = pop(f);
                        let d = f.locals_dict.clone().unwrap_or_else(|| f.globals().clone());
                        Vm::table_set_str(&mut d.borrow_mut(), cache.names[arg].clone(), v);
                        self.drain_abandoned();
                    }
                    op::DELETE_NAME => {
                        f.lasti = pc;
                        let name = &cache.names[arg];
                        let d = f.locals_dict.clone().unwrap_or_else(|| f.globals().clone());
                        if Vm::table_del_str(&mut d.borrow_mut(), name).is_none() {
                            return Err(self.name_error(name));
                        }
                        // `del g` of a suspended generator closes it here, as CPython does.
                        self.drain_abandoned();
                    }
                    op::LOAD_DEREF => {
                        f.lasti = pc;
                        let v = match &f.slots[arg] {
                            Value::Cell(c) => c.borrow().clone(),
                            other => other.clone(),
                        };
                        if v.is_null() {
                            return Err(self.unbound_deref(&func.code, arg as u32));
                        }
                        f.slots.put(v);
                    }
                    op::STORE_DEREF => {
                        f.lasti = pc;
                        self.op_store_deref(f, arg);
                    }
                    op::DELETE_DEREF => {
                        f.lasti = pc;
                        if let Value::Cell(c) = &f.slots[arg] {
                            if c.borrow().is_null() {
                                return Err(self.unbound_deref(&func.code, arg as u32));
                            }
                            *c.borrow_mut() = Value::Null;
                        }
                        self.drain_abandoned();
                    }
                    op::LOAD_FROM_DICT_OR_DEREF => {
                        f.lasti = pc;
                        let d = pop(f);
                        let name = func.code.slot_name(arg as u32);
                        let n = self.intern(&name);
                        let found = match &d {
                            Value::Dict(t) => Vm::table_get_str(&t.borrow(), &n),
                            _ => None,
                        };
                        let v = match found {
                            Some(v) => v,
                            None => match &f.slots[arg] {
                                Value::Cell(c) => c.borrow().clone(),
                                other => other.clone(),
                            },
                        };
                        if v.is_null() {
                            return Err(self.unbound_deref(&func.code, arg as u32));
                        }
                        f.slots.put(v);
                    }
                    op::LOAD_FROM_DICT_OR_GLOBALS => {
                        f.lasti = pc;
                        let d = pop(f);
                        let name = &cache.names[arg];
                        let found = match &d {
                            Value::Dict(t) => Vm::table_get_str(&t.borrow(), name),
                            _ => None,
                        };
                        let v = match found {
                            Some(v) => v,
                            None => self.load_global(f, name)?,
                        };
                        f.slots.put(v);
                    }
                    op::MAKE_CELL => {
                        f.lasti = pc;
                        make_cell(&mut f.slots[arg]);
                    }
                    op::COPY_FREE_VARS => {
                        f.lasti = pc;
                        // Module code's carrier function has no closure (and no free vars).
                        let n = f.nlocals;
                        copy_free_vars(&mut f.slots[..n], &func.closure.borrow(), arg);
                    }
                    op::LOAD_ATTR => {
                        f.lasti = pc;
                        if let Err(e) = self.op_load_attr(f, pc, arg) {
                            return Err(*e);
                        }
                    }
                    op::STORE_ATTR => {
                        f.lasti = pc;
                        if let Err(e) = self.op_store_attr(f, pc) {
                            return Err(*e);
                        }
                    }
                    op::DELETE_ATTR => {
                        f.lasti = pc;
                        let obj = pop(f);
                        self.del_attr(&obj, &cache.names[arg])?;
                    }
                    op::LOAD_SUPER_ATTR => {
                        f.lasti = pc;
                        self.op_load_super_attr(f, cache, arg)?;
                    }
                    op::LOAD_BUILD_CLASS => {
                        f.lasti = pc;
                        let n = self.intern("__build_class__");
                        let v = Vm::table_get_str(&self.builtins.borrow(), &n).unwrap_or_default();
                        f.slots.put(v);
                    }
                    op::LOAD_LOCALS => {
                        f.lasti = pc;
                        let d = f.locals_dict.clone().unwrap_or_else(|| f.globals().clone());
                        f.slots.put(Value::Dict(d));
                    }
                    op::LOAD_ASSERTION_ERROR => {
                        f.lasti = pc;
                        f.slots.put(Value::Class(self.exc_class("AssertionError")));
                    }
                    op::BUILD_TUPLE => {
                        f.lasti = pc;
                        self.op_build_tuple(f, arg);
                    }
                    op::BUILD_LIST => {
                        f.lasti = pc;
                        let items = f.slots.split_off(f.slots.len() - arg);
                        f.slots.put(Value::list(items));
                    }
                    op::BUILD_SET => {
                        f.lasti = pc;
                        let n = f.slots.len() - arg;
                        let t = self.build_set_value(f.slots.drain(n..))?;
                        f.slots.put(t);
                    }
                    op::BUILD_MAP => {
                        f.lasti = pc;
                        let items = f.slots.split_off(f.slots.len() - 2 * arg);
                        let d = Rc::new(RefCell::new(Table::new()));
                        let mut it = items.into_iter();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            self.table_set(&d, k, v)?;
                        }
                        f.slots.put(Value::Dict(d));
                    }
                    op::BUILD_CONST_KEY_MAP => {
                        f.lasti = pc;
                        let keys = pop(f);
                        let vals = f.slots.split_off(f.slots.len() - arg);
                        let d = Rc::new(RefCell::new(Table::new()));
                        if let Value::Tuple(ks) = keys {
                            for (k, v) in ks.iter().zip(vals) {
                                self.table_set(&d, k.clone(), v)?;
                            }
                        }
                        f.slots.put(Value::Dict(d));
                    }
                    op::BUILD_STRING => {
                        f.lasti = pc;
                        let s = crate::format::build_string(&mut f.slots, arg);
                        f.slots.put(s);
                    }
                    op::LIST_APPEND => {
                        f.lasti = pc;
                        let v = pop(f);
                        if let Value::List(l) = &f.slots[f.slots.len() - arg] {
                            l.borrow_mut().push(v);
                        }
                    }
                    op::SET_ADD => {
                        f.lasti = pc;
                        let v = pop(f);
                        if let Value::Set(s) = f.slots[f.slots.len() - arg].clone() {
                            self.set_insert(&s, v)?;
                        }
                    }
                    op::MAP_ADD => {
                        f.lasti = pc;
                        let v = pop(f);
                        let k = pop(f);
                        if let Value::Dict(d) = f.slots[f.slots.len() - arg].clone() {
                            self.table_set(&d, k, v)?;
                        }
                    }
                    op::LIST_EXTEND => {
                        f.lasti = pc;
                        let v = pop(f);
                        let items = self.collect(&v)?;
                        if let Value::List(l) = &f.slots[f.slots.len() - arg] {
                            l.borrow_mut().extend(items);
                        }
                    }
                    op::SET_UPDATE => {
                        f.lasti = pc;
                        let v = pop(f);
                        if let Value::Set(s) = f.slots[f.slots.len() - arg].clone() {
                            self.set_update(&s, &v)?;
                        }
                    }
                    op::DICT_UPDATE | op::DICT_MERGE => {
                        f.lasti = pc;
                        let v = pop(f);
                        let target = f.slots[f.slots.len() - arg].clone();
                        let is_merge = ins.op() == Opcode::DICT_MERGE;
                        self.dict_update_from(&target, &v, is_merge, f)?;
                    }
                    op::UNPACK_SEQUENCE => {
                        f.lasti = pc;
                        if unpack_exact(&mut f.slots, arg) {
                            continue 'dispatch;
                        }
                        let v = pop(f);
                        let items: Option<&[Value]> = match &v {
                            Value::Tuple(t) => Some(t),
                            // SAFETY: the items are read only while `push_rev_clones` clones
                            // them (count increments: no code runs that could borrow the
                            // list mutably). A list borrowed mutably now is `Err` and takes
                            // the general path; no borrow flag is written.
                            Value::List(l) => unsafe { l.try_borrow_unguarded() }
                                .ok()
                                .map(|items| &items[..]),
                            _ => None,
                        };
                        match items {
                            Some(items) if items.len() == arg => {
                                push_rev_clones(&mut f.slots, items);
                            }
                            _ => {
                                let items = self.unpack(&v, arg)?;
                                for x in items.into_iter().rev() {
                                    f.slots.put(x);
                                }
                            }
                        }
                    }
                    op::UNPACK_EX => {
                        f.lasti = pc;
                        let v = pop(f);
                        let before = arg & 0xFF;
                        let after = arg >> 8;
                        let items = self.collect(&v)?;
                        if items.len() < before + after {
                            return Err(self.value_error(format!(
                                "not enough values to unpack (expected at least {}, got {})",
                                before + after,
                                items.len()
                            )));
                        }
                        let mid_end = items.len() - after;
                        for x in items[mid_end..].iter().rev() {
                            f.slots.put(x.clone());
                        }
                        f.slots.put(Value::list(items[before..mid_end].to_vec()));
                        for x in items[..before].iter().rev() {
                            f.slots.put(x.clone());
                        }
                    }
                    op::CALL => {
                        f.lasti = pc;
                        let base = f.slots.len() - arg - 2;
                        self.call_positional(f, base, arg)?;
                    }
                    op::CALL_KW => {
                        f.lasti = pc;
                        let kwnames = pop(f);
                        let base = f.slots.len() - arg - 2;
                        self.call_keywords(f, base, arg, Some(kwnames))?;
                    }
                    op::CALL_FUNCTION_EX => {
                        f.lasti = pc;
                        self.op_call_function_ex(f, arg)?;
                    }
                    op::MAKE_FUNCTION => {
                        f.lasti = pc;
                        let c = pop(f);
                        let func = self.make_function(c, f)?;
                        f.slots.put(func);
                    }
                    op::SET_FUNCTION_ATTRIBUTE => {
                        f.lasti = pc;
                        let func = pop(f);
                        let v = pop(f);
                        if let Value::Function(fun) = &func {
                            match arg {
                                1 => *fun.defaults.borrow_mut() = self.into_vec(v)?,
                                2 => *fun.kwdefaults.borrow_mut() = v,
                                4 => {
                                    let d = self.new_dict();
                                    if let (Value::Dict(t), Value::Tuple(items)) = (&d, &v) {
                                        for pair in items.chunks(2) {
                                            if pair.len() == 2 {
                                                self.table_set(
                                                    t,
                                                    pair[0].clone(),
                                                    pair[1].clone(),
                                                )?;
                                            }
                                        }
                                    }
                                    *fun.annotations.borrow_mut() = d;
                                }
                                8 => self.set_closure(fun, v)?,
                                _ => {}
                            }
                        }
                        f.slots.put(func);
                    }
                    op::CALL_INTRINSIC_1 => {
                        f.lasti = pc;
                        let v = pop(f);
                        let r = self.intrinsic1(arg as u32, v, f)?;
                        f.slots.put(r);
                    }
                    op::CALL_INTRINSIC_2 => {
                        f.lasti = pc;
                        return Err(self.err("SystemError", "unsupported intrinsic"));
                    }
                    op::FORMAT_SIMPLE => {
                        f.lasti = pc;
                        let v = pop(f);
                        let r = match v {
                            Value::Str(_) => v,
                            _ => self.format_simple(&v)?,
                        };
                        f.slots.put(r);
                    }
                    op::FORMAT_WITH_SPEC => {
                        f.lasti = pc;
                        let spec = pop(f);
                        let v = pop(f);
                        let spec = match &spec {
                            Value::Str(s) => &*s.s,
                            _ => "",
                        };
                        let s = self.format_value(&v, spec)?;
                        f.slots.put(Value::string(s));
                    }
                    op::CONVERT_VALUE => {
                        f.lasti = pc;
                        let v = pop(f);
                        let s = match arg {
                            1 => self.to_str(&v)?,
                            2 => self.repr(&v)?,
                            _ => {
                                let r = self.repr(&v)?;
                                vigil_support::ascii_escape(&r)
                            }
                        };
                        f.slots.put(Value::string(s));
                    }
                    op::JUMP_FORWARD | op::JUMP_BACKWARD_NO_INTERRUPT => {
                        f.lasti = pc;
                        f.pc = arg;
                    }
                    op::JUMP_BACKWARD => {
                        f.lasti = pc;
                        f.pc = arg;
                        // The eval-breaker check of every loop iteration (see `limits`).
                        if crate::limits::pending() {
                            self.service_breaker()?;
                        }
                        // A whole iteration without an instrumented word: on in a plain
                        // copy (see `exec_traced`).
                        #[cfg(feature = "monitoring")]
                        if K::TRACED {
                            if !met {
                                return Ok(K::to_plain());
                            }
                            met = false;
                        }
                    }
                    op::POP_JUMP_IF_FALSE => {
                        f.lasti = pc;
                        let t = self.pop_truth(f)?;
                        if !t {
                            f.pc = arg;
                        }
                    }
                    op::POP_JUMP_IF_TRUE => {
                        f.lasti = pc;
                        let t = self.pop_truth(f)?;
                        if t {
                            f.pc = arg;
                        }
                    }
                    op::POP_JUMP_IF_NONE => {
                        f.lasti = pc;
                        let v = pop(f);
                        if v.is_none() {
                            f.pc = arg;
                        }
                        v.discard();
                    }
                    op::POP_JUMP_IF_NOT_NONE => {
                        f.lasti = pc;
                        let v = pop(f);
                        if !v.is_none() {
                            f.pc = arg;
                        }
                        v.discard();
                    }
                    op::RAISE_VARARGS => {
                        f.lasti = pc;
                        return Err(self.do_raise(f, arg));
                    }
                    op::RERAISE => {
                        f.lasti = pc;
                        let e = pop(f);
                        self.reraising = true;
                        return Err(PyErr(e));
                    }
                    op::PUSH_EXC_INFO => {
                        f.lasti = pc;
                        let e = pop(f);
                        let prev = std::mem::replace(&mut self.cur_exc, e.clone());
                        f.slots
                            .push(if prev.is_null() { Value::None } else { prev });
                        f.slots.put(e);
                    }
                    op::POP_EXCEPT => {
                        f.lasti = pc;
                        let prev = pop(f);
                        self.cur_exc = prev;
                    }
                    op::CHECK_EXC_MATCH => {
                        f.lasti = pc;
                        let t = pop(f);
                        let e = f.slots.last().cloned().unwrap_or_default();
                        let m = self.exception_match(&e, &t)?;
                        f.slots.put(Value::Bool(m));
                    }
                    op::WITH_EXCEPT_START => {
                        f.lasti = pc;
                        let n = f.slots.len();
                        let exc = f.slots[n - 1].clone();
                        let exit = f.slots[n - 4].clone();
                        let t = Value::Class(self.type_of(&exc));
                        let tb = self.exc_traceback(&exc);
                        let r = self.call(&exit, vec![t, exc, tb], vec![])?;
                        f.slots.put(r);
                    }
                    op::BEFORE_WITH => {
                        f.lasti = pc;
                        let mgr = pop(f);
                        let (exit, enter_r) = self.before_with(&mgr)?;
                        f.slots.put(exit);
                        f.slots.put(enter_r);
                    }
                    op::IMPORT_NAME => {
                        f.lasti = pc;
                        let fromlist = pop(f);
                        let level = pop(f);
                        let name = cache.names[arg].clone();
                        let m = self.import_name(&name.s, &fromlist, &level)?;
                        f.slots.put(m);
                    }
                    op::IMPORT_FROM => {
                        f.lasti = pc;
                        let m = f.slots.last().cloned().unwrap_or_default();
                        let name = &cache.names[arg];
                        let v = match self.get_attr_opt(&m, name)? {
                            Some(v) => v,
                            None => {
                                let sub = match &m {
                                    Value::Module(md) => format!("{}.{}", md.name, name.s),
                                    _ => String::new(),
                                };
                                match self.import_module(&sub) {
                                    Ok(Some(v)) => v,
                                    _ => {
                                        let mn = match &m {
                                            Value::Module(md) => md.name.clone(),
                                            _ => "?".into(),
                                        };
                                        return Err(self.err(
                                        "ImportError",
                                        format!("cannot import name '{}' from '{mn}' (unknown location)", name.s),
                                    ));
                                    }
                                }
                            }
                        };
                        f.slots.put(v);
                    }
                    op::SETUP_ANNOTATIONS => {
                        f.lasti = pc;
                        let d = f.locals_dict.clone().unwrap_or_else(|| f.globals().clone());
                        let n = self.intern("__annotations__");
                        if Vm::table_get_str(&d.borrow(), &n).is_none() {
                            let nd = self.new_dict();
                            Vm::table_set_str(&mut d.borrow_mut(), n, nd);
                        }
                    }
                    op::GET_LEN => {
                        f.lasti = pc;
                        let v = f.slots.last().cloned().unwrap_or_default();
                        let n = self.len(&v)?;
                        f.slots.put(Value::Int(n as i64));
                    }
                    // The `match` statement: rare, so one arm that calls out of line (see
                    // `patma`), leaving the loop's code for the other arms as it was.
                    op::MATCH_MAPPING | op::MATCH_SEQUENCE | op::MATCH_KEYS | op::MATCH_CLASS => {
                        f.lasti = pc;
                        self.exec_match_op(f, ins.op_byte(), arg)?;
                    }
                    op::END_ASYNC_FOR => {
                        f.lasti = pc;
                        return Err(self.err("SystemError", "async for is not supported"));
                    }
                    // Bytes that name no opcode, listed one by one rather than left to a
                    // `_` arm: with every byte a case, LLVM's jump table needs no range test
                    // in front of it (a `_` arm costs 3 instructions per dispatch). They are
                    // never written (the compiler and the instrumenter only write valid
                    // bytes). The match has no `_` arm, so an opcode without an arm does not
                    // compile, and one given a byte of this list makes that literal an
                    // unreachable pattern (a warning, an error under clippy's `-D warnings`).
                    0 | 110 | 111 | 112 | 113 | 114 | 115 | 116 | 117 | 118 | 119 | 120 | 121
                    | 122 | 123 | 124 | 125 | 126 | 127 | 128 | 129 | 130 | 131 | 132 | 133
                    | 134 | 135 | 136 | 137 | 138 | 139 | 140 | 141 | 142 | 143 | 144 | 145
                    | 146 | 147 | 148 | 149 | 150 | 151 | 152 | 153 | 154 | 155 | 156 | 157
                    | 158 | 159 | 160 | 161 | 162 | 163 | 164 | 165 | 166 | 167 | 168 | 169
                    | 170 | 171 | 172 | 173 | 174 | 175 | 176 | 177 | 178 | 179 | 180 | 181
                    | 182 | 183 | 184 | 185 | 186 | 187 | 188 | 189 | 191 | 192 | 193 | 194
                    | 195 | 196 | 197 | 198 | 199 | 220 | 221 | 222 | 223 | 224 | 225 | 226
                    | 227 | 228 | 229 | 230 | 231 | 232 | 233 | 234 | 235 | 236 | 237 | 238
                    | 239 | 240 | 241 | 242 | 243 | 244 | 245 | 246 | 247 | 248 | 249 | 250
                    | 251 | 252 | 253 | 254 | 255 => {
                        f.lasti = pc;
                        return Err(self.err("SystemError", "unexpected opcode byte"));
                    }
                    // The twins and the cold FOR_ITER, never written when monitoring is
                    // compiled out.
                    #[cfg(not(feature = "monitoring"))]
                    op::FOR_ITER_COLD | 200..=219 => {
                        f.lasti = pc;
                        return Err(self.err("SystemError", "unexpected opcode byte"));
                    }
                }
                break;
            }
        }
    }

    /// LOAD_ATTR. Out of line, like STORE_ATTR's: inlined into the dispatch loop, the
    /// arm's registers and spills shifted the code LLVM made for the rest of the loop
    /// (callgrind: nbody, which never runs it, +3%). The usual cache hit is handled here by
    /// `load_attr_hit_leaf`, which calls nothing, and everything else by a tail call to a
    /// second, cold function: so this one saves no registers (a hit that could call, to
    /// free the instance or grow the stack, made it push and pop six). It finds the code
    /// cache from the frame itself: the dispatch loop keeps the cache's address spilled,
    /// and reloading it there for the call took three instructions to this one's one.
    #[inline(never)]
    fn op_load_attr(&mut self, f: &mut Frame, pc: usize, arg: usize) -> AttrOpResult {
        // SAFETY: as in `load_attr_general`.
        let cache = unsafe { &(*Rc::as_ptr(&f.func)).cache };
        // One copy of the leaf per form: with the form a constant, neither keeps the flag
        // in a register, and the hit fits in the call-clobbered ones.
        let hit = if arg & 1 == 1 {
            // Any receiver but an instance (`s.add(x)`, `l.append(x)`) goes to a function of
            // its own by a tail call: tried here after the instance leaf, its hit kept
            // `self` alive past that leaf and this function saved a register (callgrind:
            // richards 3, +0.5%).
            if !matches!(f.slots.last(), Some(Value::Instance(_))) {
                return self.load_method_other(f);
            }
            load_attr_hit_leaf::<true>(f, cache, pc)
        } else {
            load_attr_hit_leaf::<false>(f, cache, pc)
        };
        if hit {
            return Ok(());
        }
        self.load_attr_general(f)
    }

    /// LOAD_ATTR, method form, on anything but an instance: a builtin receiver's remembered
    /// method (`s.add(x)`, `l.append(x)`) is pushed unbound by `builtin_method_leaf`, which
    /// calls nothing (~30 instructions; through `load_attr_general` and `load_method_ic`
    /// it was ~140); the rest goes to `load_attr_general`. Finds the code cache and `pc` from
    /// the frame, as `load_attr_general` does, so that `op_load_attr` passes it only what it
    /// passes that one (with two more arguments to keep, it saved a register).
    #[inline(never)]
    fn load_method_other(&mut self, f: &mut Frame) -> AttrOpResult {
        // SAFETY: as in `load_attr_general`.
        let func: &Function = unsafe { &*Rc::as_ptr(&f.func) };
        // SAFETY: `f.lasti` is the running LOAD_ATTR of `func`'s code (its arm set it).
        if unsafe { self.builtin_method_leaf(&mut f.slots, &func.cache, f.lasti) } {
            return Ok(());
        }
        self.load_attr_general(f)
    }

    /// LOAD_ATTR when `op_load_attr`'s leaf hit declined. It finds the code cache, the
    /// instruction (`f.lasti`, which the arm set) and its argument again from the frame, so
    /// that `op_load_attr` need not keep them alive for this call: with only the return
    /// slot, `self` and `f` live across its hit path, that path fits in the registers a
    /// call may clobber and the function saves none.
    #[cold]
    #[inline(never)]
    fn load_attr_general(&mut self, f: &mut Frame) -> AttrOpResult {
        self.load_attr_general_py(f).map_err(Box::new)
    }

    #[inline(always)]
    fn load_attr_general_py(&mut self, f: &mut Frame) -> PyResult<()> {
        // SAFETY: as in `exec_loop`: `f.func` is never reassigned once the frame is built and
        // `f` stays mutably borrowed by this call, so the `Rc` it holds keeps the function,
        // its code and its cache alive and unmoved until this returns; the function is its
        // own heap allocation, so this shared borrow does not overlap the `&mut Frame`.
        let func: &Function = unsafe { &*Rc::as_ptr(&f.func) };
        let cache = &func.cache;
        let pc = f.lasti;
        // The original word: executed words differ from it only in the opcode byte.
        let ins = func.code.instructions[pc];
        debug_assert!(ins.op() == vigil_compiler::bytecode::Opcode::LOAD_ATTR);
        let arg = ins.arg() as usize;
        // The hits the leaf path declined: the instance's last reference, a full stack, a
        // function to bind into a method object.
        if load_attr_hit(f, cache, pc, arg) {
            return Ok(());
        }
        let obj = pop(f);
        let name = &cache.names[arg >> 1];
        if arg & 1 == 1 {
            let (m, s) = self.load_method_ic(cache, pc, obj, name)?;
            f.slots.put(m);
            f.slots.put(s);
        } else {
            let v = self.load_attr_ic(cache, pc, &obj, name)?;
            f.slots.put(v);
        }
        Ok(())
    }

    /// STORE_DEREF, out of line. The value it replaces, when it is a tuple nothing else
    /// refers to (nqueens' `for vec in permutations(cols)`, each `vec` a fresh 8-tuple), goes
    /// emptied to `tuple_pool` (`recycle_tuple`) for the next `tuple(genexpr)` or
    /// BUILD_TUPLE instead of being freed.
    #[inline(never)]
    fn op_store_deref(&mut self, f: &mut Frame, arg: usize) {
        let v = pop(f);
        match &f.slots[arg] {
            Value::Cell(c) => {
                let old = std::mem::replace(&mut *c.borrow_mut(), v);
                self.recycle_tuple(old);
            }
            _ => f.slots[arg] = Value::Cell(Rc::new(RefCell::new(v))),
        }
        self.drain_abandoned();
    }

    /// A tuple value nothing else refers to goes, emptied (its buffer kept, at most 64
    /// slots), to `tuple_pool`; anything else is dropped. Emptying it may drop the last
    /// reference to other objects, none of which can reach this tuple.
    pub(crate) fn recycle_tuple(&mut self, v: Value) {
        if let Value::Tuple(mut t) = v {
            if self.tuple_pool.len() < TUPLE_POOL
                && let Some(items) = Rc::get_mut(&mut t)
                && items.capacity() <= 64
            {
                items.clear();
                self.tuple_pool.push(t);
            }
        } else {
            v.discard();
        }
    }

    /// BUILD_TUPLE, out of line: the tuple object (and its buffer) comes from `tuple_pool`
    /// when there is one, else it is made as before.
    #[inline(never)]
    fn op_build_tuple(&mut self, f: &mut Frame, arg: usize) {
        let at = f.slots.len() - arg;
        if let Some(mut t) = self.tuple_pool.pop()
            && let Some(items) = Rc::get_mut(&mut t)
        {
            items.extend(f.slots.drain(at..));
            f.slots.put(Value::Tuple(t));
            return;
        }
        let items = f.slots.split_off(at);
        f.slots.put(Value::tuple(items));
    }

    /// SET_FUNCTION_ATTRIBUTE's closure (flag 8). A tuple nothing else holds (the one
    /// BUILD_TUPLE just made) trades buffers with the function's closure: the function gets
    /// the cells, and the tuple object goes, emptied, to `tuple_pool` with the closure's old
    /// buffer (kept by `retire_function` when the function was pooled) for the next
    /// BUILD_TUPLE. Any other tuple is unpacked as before.
    #[inline(never)]
    fn set_closure(&mut self, fun: &Rc<Function>, v: Value) -> PyResult<()> {
        if let Value::Tuple(mut t) = v {
            if let Some(items) = Rc::get_mut(&mut t) {
                let mut cl = fun.closure.borrow_mut();
                cl.clear();
                std::mem::swap(&mut *cl, items);
                drop(cl);
                if self.tuple_pool.len() < TUPLE_POOL {
                    self.tuple_pool.push(t);
                }
                return Ok(());
            }
            *fun.closure.borrow_mut() = self.into_vec(Value::Tuple(t))?;
            return Ok(());
        }
        *fun.closure.borrow_mut() = self.into_vec(v)?;
        Ok(())
    }

    /// BINARY_SLICE (`c[a:b]`), out of line. The slice's parts are passed as they are: no
    /// slice object is built. Int or `None` parts of a list, tuple, str or range go straight to
    /// `slice_build` (no `get_slice` dispatch, no `slice_indices` call), and parts that own
    /// nothing are let go without the drop glue of the three-value temporary.
    #[inline(never)]
    fn op_binary_slice(&mut self, f: &mut Frame) -> PyResult<()> {
        let (c, start, stop) = pop_sliced(f);
        if let Some((a, b, st)) = crate::iter::int_slice(&start, &stop, &Value::None) {
            let clen = match &c {
                Value::List(l) => Some(l.borrow().len()),
                Value::Tuple(t) => Some(t.len()),
                Value::Str(s) => Some(s.nchars),
                Value::Range(r) => Some(crate::ops::range_len(r.0, r.1, r.2) as usize),
                _ => None,
            };
            if let Some(clen) = clen {
                let (a, _, st, count) = crate::iter::norm_slice(a, b, st, clen as i64);
                let r = self.slice_build(&c, a, st, count, false);
                // `int_slice` accepted them: ints, bools or `None`, which own nothing.
                std::mem::forget(start);
                std::mem::forget(stop);
                drop(c);
                f.slots.put(r);
                return Ok(());
            }
        }
        let r = with_slice_parts(start, stop, |s| self.get_slice(&c, s));
        drop(c);
        f.slots.put(r?);
        Ok(())
    }

    /// STORE_SLICE (`c[a:b] = v`), out of line; int or `None` parts are let go without the
    /// drop glue of the three-value temporary.
    #[inline(never)]
    fn op_store_slice(&mut self, f: &mut Frame) -> PyResult<()> {
        let (c, start, stop) = pop_sliced(f);
        let v = pop(f);
        if let Value::List(l) = &c {
            let r = with_slice_parts(start, stop, |s| self.set_list_slice(l, s, v));
            drop(c);
            r
        } else {
            let s = Value::Slice(Rc::new((start, stop, Value::None)));
            self.setitem(&c, &s, v)
        }
    }

    /// BUILD_SLICE, out of line: with the fused subscript below in the arm, every other
    /// program got 0.4-3.4% worse by the layout of the loop (callgrind; nbody +3.4%,
    /// richards +2.7%), as a session-2 attempt had found; as a call they stay within 0.3%.
    #[inline(never)]
    fn op_build_slice(&mut self, f: &mut Frame, next: Instruction, pc: usize, arg: usize) {
        // A plain BINARY_SUBSCR next (an overlay has another byte) runs here too.
        if next.op_byte() == op::BINARY_SUBSCR && self.slice_subscr(f, arg) {
            f.lasti = pc + 1;
            f.pc = pc + 2;
            return;
        }
        let step = if arg == 3 { pop(f) } else { Value::None };
        let stop = pop(f);
        let start = pop(f);
        f.slots.put(Value::Slice(Rc::new((start, stop, step))));
    }

    /// BUILD_SLICE and the BINARY_SUBSCR after it in one, for a list, tuple or str sliced
    /// by ints or `None`: the result is taken with the parts where they lie on the stack and
    /// replaces the container, with no slice object allocated and freed and no `getitem`
    /// dispatch. `false`, with nothing changed, for anything else (the two instructions then
    /// run as usual). Nothing here can fail or run Python code, so there is no error path.
    #[inline(always)]
    fn slice_subscr(&mut self, f: &mut Frame, arg: usize) -> bool {
        let n = if arg == 3 { 3 } else { 2 };
        let len = f.slots.len();
        if len < n + 1 {
            return false;
        }
        let top = &f.slots[len - n - 1..];
        let step = if n == 3 { &top[3] } else { &Value::None };
        let Some((start, stop, step)) = crate::iter::int_slice(&top[1], &top[2], step) else {
            return false;
        };
        let clen = match &top[0] {
            Value::List(l) => l.borrow().len(),
            Value::Tuple(t) => t.len(),
            Value::Str(s) => s.nchars,
            _ => return false,
        };
        let (start, _, step, count) = crate::iter::norm_slice(start, stop, step, clen as i64);
        // The pooled lists go to these three-part slices (`p[k::-1]`), the usual source of a
        // slice assignment, which gives its list back (`recycle_list`). BINARY_SLICE's copies
        // (`perm = perm1[:]`) usually live on: taking pooled lists for them drained the pool,
        // and the fresh small lists that replaced them were regrown by `reserve` on about
        // a third of fannkuch's flips.
        let r = self.slice_build(&top[0], start, step, count, true);
        // The parts are ints, bools or `None` (`int_slice` checked): they own nothing, so
        // forgetting them leaks nothing.
        for _ in 0..n {
            std::mem::forget(f.slots.pop());
        }
        if let Some(c) = f.slots.last_mut() {
            drop(std::mem::replace(c, r));
        }
        true
    }

    /// STORE_ATTR: the cache hit here (`store_attr_hit_leaf`), the rest in cold functions.
    /// Finds the code cache from the frame, as `op_load_attr` does.
    #[inline(never)]
    fn op_store_attr(&mut self, f: &mut Frame, pc: usize) -> AttrOpResult {
        // SAFETY: as in `load_attr_general`.
        let cache = unsafe { &(*Rc::as_ptr(&f.func)).cache };
        match store_attr_hit_leaf(f, cache, pc) {
            StoreAttrLeaf::Done => Ok(()),
            StoreAttrLeaf::Last => drop_displaced(f),
            StoreAttrLeaf::Add(e) => self.store_attr_add(f, e),
            StoreAttrLeaf::Miss => self.store_attr_general(f),
        }
    }

    /// STORE_ATTR's cache hit for a store that adds the name (once per attribute per
    /// instance, in `__init__`), after `store_attr_hit_leaf` found it: a tail call, so that
    /// `op_store_attr` keeps nothing alive across it.
    #[inline(never)]
    fn store_attr_add(&mut self, f: &mut Frame, e: crate::ic::AddEntry<'_>) -> AttrOpResult {
        let len = f.slots.len();
        let added = match &mut f.slots[len - 2..] {
            [v, Value::Instance(inst)] => e.add_store(inst, v),
            _ => false,
        };
        if !added {
            return self.store_attr_general(f);
        }
        let obj = pop(f);
        // The value's slot, left `Null` (owns nothing).
        std::mem::forget(f.slots.pop());
        drop_instance(obj);
        Ok(())
    }

    /// STORE_ATTR when `op_store_attr`'s leaf hit declined; finds its cache, instruction and
    /// argument from the frame, as `load_attr_general` does and for the same reason.
    #[cold]
    #[inline(never)]
    fn store_attr_general(&mut self, f: &mut Frame) -> AttrOpResult {
        self.store_attr_general_py(f).map_err(Box::new)
    }

    #[inline(always)]
    fn store_attr_general_py(&mut self, f: &mut Frame) -> PyResult<()> {
        // SAFETY: as in `load_attr_general`.
        let func: &Function = unsafe { &*Rc::as_ptr(&f.func) };
        let cache = &func.cache;
        let pc = f.lasti;
        let ins = func.code.instructions[pc];
        debug_assert!(ins.op() == vigil_compiler::bytecode::Opcode::STORE_ATTR);
        let arg = ins.arg() as usize;
        // The hits the leaf path declined: the instance's last reference, a store that
        // adds the name.
        if store_attr_hit(f, cache, pc) {
            return Ok(());
        }
        let obj = pop(f);
        let v = pop(f);
        self.store_attr_ic(cache, pc, &obj, &cache.names[arg], v)
    }

    /// FOR_ITER (shared by its `exec` arm and `exec_then_post`).
    ///
    /// `pairs`: the plain copy's FOR_ITER, which may take a following UNPACK_SEQUENCE 2 with
    /// it: `for a, b in enumerate(..) / zip(x, y) / d.items()` pushes the pair's two parts as
    /// UNPACK_SEQUENCE would leave them and skips that word, so no pair tuple is made and
    /// taken apart. An instrumented UNPACK_SEQUENCE (a LINE or INSTRUCTION overlay) has
    /// another byte and runs as usual; `lasti` names it, as if it had been dispatched. Never
    /// for an instrumented FOR_ITER, whose BRANCH event needs `f.pc` as FOR_ITER left it.
    ///
    /// `spec`: this step runs as CPython 3.13's specialized FOR_ITER (a warm plain word,
    /// see `monitoring::executed`), which decides how a generator's return or raise ends
    /// the loop for a tool (G6). Nothing is recorded per step: only the exhausted and the
    /// failed step pass it on.
    #[inline(always)]
    #[cfg_attr(not(feature = "monitoring"), allow(unused_variables))]
    fn op_for_iter(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        arg: usize,
        pairs: bool,
        spec: bool,
    ) -> PyResult<()> {
        // The iterator is borrowed where it sits (no refcount round trip per
        // step): nothing below can reach this frame's stack.
        let null = Value::Null;
        let it = f.slots.last().unwrap_or(&null);
        let next = match it {
            Value::Iter(st) => {
                let mut s = st.borrow_mut();
                match &mut *s {
                    IterState::Range { cur, stop, step } => {
                        match crate::iter::range_step(cur, *stop, *step) {
                            Some(i) => {
                                drop(s);
                                f.slots.put_int(i);
                                return Ok(());
                            }
                            None => None,
                        }
                    }
                    IterState::Seq {
                        seq: Value::List(l),
                        idx,
                    } => {
                        let l = l.borrow();
                        if *idx < l.len() {
                            *idx += 1;
                            Some(l[*idx - 1].clone())
                        } else {
                            None
                        }
                    }
                    IterState::Enumerate { .. }
                    | IterState::Zip { .. }
                    | IterState::DictKeys { what: 2, .. }
                        if pairs
                            && next_word(&cache.mon.instrs, pc)
                                == Instruction::new(Opcode::UNPACK_SEQUENCE, 2) =>
                    {
                        drop(s);
                        match self.next_pair(st)? {
                            crate::iter::Pair::Item(a, b) => {
                                f.slots.put(b);
                                f.slots.put(a);
                                f.lasti = pc + 1;
                                f.pc = pc + 2;
                                return Ok(());
                            }
                            crate::iter::Pair::Done => None,
                            crate::iter::Pair::Other => self.next(it)?,
                        }
                    }
                    _ => {
                        drop(s);
                        self.next(it)?
                    }
                }
            }
            // Generators and Python iterators.
            _ => match self.next(it) {
                Ok(v) => v,
                Err(e) => {
                    // A generator raising into this loop: its RAISE offset here depends on
                    // `spec` (`mon_raise`).
                    #[cfg(feature = "monitoring")]
                    self.mon_for_iter_failed(spec);
                    return Err(e);
                }
            },
        };
        match next {
            Some(v) => f.slots.put(v),
            None => {
                #[allow(unused_variables)]
                let it = pop(f);
                f.pc = arg + 2;
                // Only a generator or a Python iterator ends the loop with an event (the
                // test is here so that exhausted ranges and lists skip the call).
                #[cfg(feature = "monitoring")]
                if self.monitoring.active() && matches!(it, Value::Gen(_) | Value::Instance(_)) {
                    self.mon_for_iter_exit(f, cache, &it, spec)?;
                }
            }
        }
        Ok(())
    }

    /// FOR_ITER_COLD: the location's first plain run since its code object was made or lost
    /// its instrumentation. It becomes FOR_ITER before the step, so that the same loop run
    /// again inside this step (a recursive generator) is the warm one, as CPython counts
    /// the run when it starts; this step is CPython's unspecialized FOR_ITER. Out of line:
    /// it runs once per location.
    #[cfg(feature = "monitoring")]
    #[inline(never)]
    fn for_iter_cold(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        arg: usize,
    ) -> PyResult<()> {
        let w = &cache.mon.instrs[pc];
        w.set(w.get().with_op(vigil_compiler::bytecode::Opcode::FOR_ITER));
        self.op_for_iter(f, cache, pc, arg, true, false)
    }

    /// CALL_FUNCTION_EX (shared by its `exec` arm and `exec_then_post`).
    #[inline(always)]
    fn op_call_function_ex(&mut self, f: &mut Frame, arg: usize) -> PyResult<()> {
        let kwargs = if arg & 1 == 1 { pop(f) } else { Value::Null };
        let args = pop(f);
        let selfv = pop(f);
        let callable = pop(f);
        let mut pos = Vec::new();
        if !selfv.is_null() {
            pos.push(selfv);
        }
        pos.extend(self.collect(&args)?);
        let mut kw = Vec::new();
        if let Value::Dict(d) = &kwargs {
            for e in d.borrow().iter() {
                if let Value::Str(s) = &e.key {
                    kw.push((s.clone(), e.value.clone()));
                }
            }
        }
        let r = self.call(&callable, pos, kw)?;
        f.slots.put(r);
        Ok(())
    }

    /// LOAD_SUPER_ATTR (shared by its `exec` arm and `exec_then_post`).
    #[inline(always)]
    fn op_load_super_attr(&mut self, f: &mut Frame, cache: &CodeCache, arg: usize) -> PyResult<()> {
        let selfv = pop(f);
        let cls = pop(f);
        let _sup = pop(f);
        let name = &cache.names[arg >> 2];
        let cls = match cls {
            Value::Class(c) => c,
            _ => {
                return Err(
                    self.type_error("super(type, obj): obj must be an instance or subtype of type")
                );
            }
        };
        let sup = Value::Super(Rc::new((cls, selfv.clone())));
        let v = self.get_attr(&sup, name)?;
        if arg & 1 == 1 {
            f.slots.put(v);
            f.slots.put(Value::Null);
        } else {
            f.slots.put(v);
        }
        Ok(())
    }

    /// Runs `ins`, the base instruction of an instrumented word whose events continue after
    /// it (`post`: BRANCH/JUMP with the destination it took, C_RETURN after a C call), then
    /// fires those. Only the instructions `mon_before` gives a `Post` for come here; each
    /// runs the same code as its arm in `exec` (shared helpers where the body is long). An
    /// instruction that fails fires nothing after it (C_RAISE is the unwinder's).
    #[cfg(feature = "monitoring")]
    #[inline(never)]
    pub(crate) fn exec_then_post(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        ins: vigil_compiler::bytecode::Instruction,
        post: crate::monitoring::Post,
    ) -> PyResult<()> {
        let arg = ins.arg() as usize;
        let pc = f.lasti;
        // By its byte, as the loop matches: `op()` is two table lookups.
        match ins.op_byte() {
            op::JUMP_FORWARD => f.pc = arg,
            op::JUMP_BACKWARD => {
                f.pc = arg;
                // The eval-breaker check of every loop iteration (see `limits`).
                if crate::limits::pending() {
                    self.service_breaker()?;
                }
            }
            op::POP_JUMP_IF_FALSE => {
                let v = pop(f);
                let t = match v {
                    Value::Bool(b) => b,
                    _ => self.truthy(&v)?,
                };
                v.discard();
                if !t {
                    f.pc = arg;
                }
            }
            op::POP_JUMP_IF_TRUE => {
                let v = pop(f);
                let t = match v {
                    Value::Bool(b) => b,
                    _ => self.truthy(&v)?,
                };
                v.discard();
                if t {
                    f.pc = arg;
                }
            }
            op::POP_JUMP_IF_NONE => {
                let v = pop(f);
                if v.is_none() {
                    f.pc = arg;
                }
                v.discard();
            }
            op::POP_JUMP_IF_NOT_NONE => {
                let v = pop(f);
                if !v.is_none() {
                    f.pc = arg;
                }
                v.discard();
            }
            op::FOR_ITER => self.op_for_iter(f, cache, pc, arg, false, false)?,
            op::CALL => {
                let base = f.slots.len() - arg - 2;
                self.call_positional(f, base, arg)?;
            }
            op::CALL_KW => {
                let kwnames = pop(f);
                let base = f.slots.len() - arg - 2;
                self.call_keywords(f, base, arg, Some(kwnames))?;
            }
            op::CALL_FUNCTION_EX => self.op_call_function_ex(f, arg)?,
            op::LOAD_SUPER_ATTR => self.op_load_super_attr(f, cache, arg)?,
            _ => {
                return Err(self.err(
                    "SystemError",
                    format!("no after-event for opcode {}", ins.op().name()),
                ));
            }
        }
        self.mon_after(f, post)
    }

    /// Whether a conditional jump whose operand `v` was popped goes to its target. The
    /// traced copy's twin arm and `branch_one_way` decide the same way from different
    /// opcode bytes (see `JumpIf`).
    #[cfg(feature = "monitoring")]
    #[inline(always)]
    fn pop_jump_taken(&mut self, v: &Value, kind: JumpIf) -> PyResult<bool> {
        Ok(match kind {
            JumpIf::None => v.is_none(),
            JumpIf::NotNone => !v.is_none(),
            JumpIf::True | JumpIf::False => {
                let t = match v {
                    Value::Bool(b) => *b,
                    _ => self.truthy(v)?,
                };
                t == matches!(kind, JumpIf::True)
            }
        })
    }

    /// INSTRUMENTED_BRANCH_ONE_WAY: the conditional jump or FOR_ITER of the code object at
    /// `pc`, then
    /// its BRANCH event unless it went the way every BRANCH tool has silenced
    /// (`Vm::one_way_silenced`). This is CPython 3.14's shape for branch coverage (each
    /// direction instrumented on its own) on 3.13's events: before, such a branch kept its
    /// twin, and every pass left the plain copy for the traced one, fired nothing and paid
    /// `mon_before`, `exec_then_post` and `branch_silenced` (≈ 257 instructions a pass in
    /// callgrind, richards with branch coverage). The direction is tested after the jump
    /// ran, so `__bool__` runs once; an instruction that fails fires nothing (as in
    /// `exec_then_post`).
    #[cfg(feature = "monitoring")]
    #[inline(never)]
    fn branch_one_way(&mut self, f: &mut Frame, cache: &Rc<CodeCache>, pc: usize) -> PyResult<()> {
        let orig = f.func.code.instructions[pc];
        if orig.op_byte() == op::FOR_ITER {
            return self.for_iter_one_way(f, cache, pc, orig.arg() as usize);
        }
        let v = pop(f);
        // `relayer` writes this opcode over FOR_ITER and the four conditional jumps only.
        let jumped = self.pop_jump_taken(&v, JumpIf::of_base(orig.op_byte()))?;
        v.discard();
        if jumped {
            f.pc = orig.arg() as usize;
        }
        if self.one_way_silenced(cache, pc, jumped) {
            return Ok(());
        }
        self.mon_after(
            f,
            crate::monitoring::Post::Branch(vigil_monitoring::Event::Branch, pc),
        )
    }

    /// `branch_one_way`'s common passes, in the dispatch loop: POP_JUMP_IF_TRUE/FALSE on a
    /// bool, POP_JUMP_IF_NONE/NOT_NONE, or FOR_ITER (`for_iter_quiet`), going the silenced
    /// way. Anything else (another operand, the way that fires, a stale code object) is left
    /// untouched for `branch_one_way`: `false`. Callgrind, richards with branch coverage: a
    /// pass through `branch_one_way` alone cost about 80 instructions (its register saves,
    /// the operand's truth test through `truthy`).
    #[cfg(feature = "monitoring")]
    #[inline(always)]
    fn quiet_one_way(&self, f: &mut Frame, cache: &CodeCache, pc: usize, arg: usize) -> bool {
        let Some(top) = f.slots.last() else {
            return false;
        };
        let jumped = match (f.func.code.instructions[pc].op_byte(), top) {
            (op::POP_JUMP_IF_TRUE, Value::Bool(b)) => *b,
            (op::POP_JUMP_IF_FALSE, Value::Bool(b)) => !*b,
            (op::POP_JUMP_IF_NONE, v) => v.is_none(),
            (op::POP_JUMP_IF_NOT_NONE, v) => !v.is_none(),
            (op::FOR_ITER, Value::Iter(_)) => return self.for_iter_quiet(f, cache, pc),
            _ => return false,
        };
        if !self.one_way_silenced(cache, pc, jumped) {
            return false;
        }
        pop(f).release();
        if jumped {
            f.pc = arg;
        }
        true
    }

    /// `quiet_one_way` for a FOR_ITER: a loop over a range or a list that goes on, the way a
    /// loop's coverage silences first (its exit comes once, at the end). The next item without
    /// the general step, in a function of its own that keeps the dispatch loop's code as it
    /// was (inlined there, the plain copy's own instruction counts moved by up to 0.4 %) and
    /// saves few registers (callgrind, float with branch coverage: about 80 instructions a
    /// pass, where `branch_one_way` and `for_iter_one_way` took 130).
    #[cfg(feature = "monitoring")]
    #[inline(never)]
    fn for_iter_quiet(&self, f: &mut Frame, cache: &CodeCache, pc: usize) -> bool {
        let Some(Value::Iter(st)) = f.slots.last() else {
            return false;
        };
        if !self.one_way_silenced(cache, pc, false) {
            return false;
        }
        let mut s = st.borrow_mut();
        match &mut *s {
            IterState::Range { cur, stop, step } => {
                let Some(i) = crate::iter::range_step(cur, *stop, *step) else {
                    return false;
                };
                drop(s);
                f.slots.put_int(i);
            }
            IterState::Seq {
                seq: Value::List(l),
                idx,
            } => {
                let Some(v) = l.borrow().get(*idx).cloned() else {
                    return false;
                };
                *idx += 1;
                drop(s);
                f.slots.put(v);
            }
            _ => return false,
        }
        true
    }

    /// `branch_one_way` for a FOR_ITER ("taken" is leaving the loop, see `branch_targets`).
    /// Its own function: with the iterator step inlined, the shared one saved and restored
    /// every callee-saved register on each pass over a plain conditional jump too.
    #[cfg(feature = "monitoring")]
    #[inline(never)]
    fn for_iter_one_way(
        &mut self,
        f: &mut Frame,
        cache: &Rc<CodeCache>,
        pc: usize,
        arg: usize,
    ) -> PyResult<()> {
        self.op_for_iter(f, cache, pc, arg, false, false)?;
        if self.one_way_silenced(cache, pc, f.pc != pc + 1) {
            return Ok(());
        }
        self.mon_after(
            f,
            crate::monitoring::Post::Branch(vigil_monitoring::Event::Branch, pc),
        )
    }

    /// POP_JUMP_IF_FALSE/TRUE's operand as a truth value: a bool read where it lies
    /// (`pop_bool`), anything else popped and tested.
    #[inline(always)]
    fn pop_truth(&mut self, f: &mut Frame) -> PyResult<bool> {
        if let Some(b) = pop_bool(f) {
            return Ok(b);
        }
        let v = pop(f);
        let t = self.truthy(&v)?;
        v.discard();
        Ok(t)
    }

    /// LOAD_GLOBAL when the cache does not answer: the lookup, then the cache learns it.
    #[inline(never)]
    fn load_global_miss(&mut self, f: &Frame, cache: &CodeCache, idx: usize) -> PyResult<Value> {
        let gver = f.globals().borrow().version();
        let bver = self.builtins.borrow().version();
        let v = self.load_global(f, &cache.names[idx])?;
        cache.globals_cache.fill(idx, gver, bver, &v);
        Ok(v)
    }

    fn load_global(&mut self, f: &Frame, name: &Rc<PyStr>) -> PyResult<Value> {
        if let Some(v) = Vm::table_get_str(&f.globals().borrow(), name) {
            return Ok(v);
        }
        if let Some(v) = Vm::table_get_str(&self.builtins.borrow(), name) {
            return Ok(v);
        }
        Err(self.name_error(name))
    }

    pub fn name_error(&mut self, name: &PyStr) -> PyErr {
        let e = self.err("NameError", format!("name '{}' is not defined", name.s));
        if let Value::Instance(i) = &e.0 {
            let n = self.intern("name");
            crate::attr::inst_set(i, &n, Value::str(&name.s));
        }
        e
    }

    fn unbound_local(&mut self, code: &CodeObject, slot: u32) -> PyErr {
        let n = code.slot_name(slot);
        self.err(
            "UnboundLocalError",
            format!("cannot access local variable '{n}' where it is not associated with a value"),
        )
    }

    fn unbound_deref(&mut self, code: &CodeObject, slot: u32) -> PyErr {
        let n = code.slot_name(slot);
        let first_free = code.nlocalsplus() - code.freevars.len();
        if (slot as usize) >= first_free {
            self.err(
                "NameError",
                format!("cannot access free variable '{n}' where it is not associated with a value in enclosing scope"),
            )
        } else {
            self.unbound_local(code, slot)
        }
    }
}

/// MAKE_CELL: the local in `slot` moves into a new cell (also run by `start_generator`).
#[inline(always)]
pub(crate) fn make_cell(slot: &mut Value) {
    let v = std::mem::take(slot);
    *slot = Value::Cell(Rc::new(RefCell::new(v)));
}

/// COPY_FREE_VARS: the first `n` closure cells become the last `n` of `locals` (the fast
/// locals, cells and free variables; also run by `start_generator`). A missing cell leaves
/// `Null`.
#[inline(always)]
pub(crate) fn copy_free_vars(locals: &mut [Value], closure: &[Value], n: usize) {
    let first = locals.len() - n;
    for i in 0..n {
        locals[first + i] = closure.get(i).cloned().unwrap_or_default();
    }
}

/// The word after `pc`, for an arm of a word that falls through and looks at its successor
/// (COMPARE_OP's fused jump, BINARY_OP's `s += t`, BUILD_SLICE's subscript, FOR_ITER's
/// pair unpacking). Unchecked: a bounds check here kept the
/// code's length live in `exec` (loaded and spilled at every activation's entry) and cost a
/// compare and a branch per such word.
#[inline(always)]
fn next_word(instrs: &[std::cell::Cell<Instruction>], pc: usize) -> Instruction {
    debug_assert!(pc + 1 < instrs.len());
    // SAFETY: the word at `pc` falls through (the callers are arms of such words), and the
    // last word of a code object never does (`assert_targets_in_range`, checked when its
    // `instrs` were made), so `pc` is not the last word and `pc + 1` is in range.
    unsafe { instrs.get_unchecked(pc + 1) }.get()
}

/// `p`, unchanged, through an empty `asm!` block: the optimizer cannot tell the result from
/// any other pointer, so nothing computed from it is hoisted above the block (see its use in
/// `exec_loop`). Costs no instruction.
#[inline(always)]
fn opaque<T>(mut p: *mut T) -> *mut T {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    // The pointer is only passed through a register; nothing reads or writes through it.
    #[allow(clippy::pointers_in_nomem_asm_block)]
    // SAFETY: the assembly is empty: it touches no memory, no stack and no flags, and leaves
    // the register holding `p` as it was.
    unsafe {
        std::arch::asm!("/* {0} */", inout(reg) p, options(nomem, nostack, preserves_flags));
    }
    p
}

/// How many emptied tuple objects `Vm::tuple_pool` keeps.
pub(crate) const TUPLE_POOL: usize = 16;

/// Pushes onto a frame's value stack. `Vec::push` keeps its grow call on the same path as the
/// write, so the value is first spilled to the native stack in parts (tag, payload) and then
/// reloaded whole for the copy: a store-forwarding stall on nearly every instruction. Frames are
/// created with `code.stacksize` capacity, so growing is the cold path here and the value is
/// written straight into its slot.
pub(crate) trait StackPush {
    fn put(&mut self, v: Value);
    /// Pushes a clone of `v` (LOAD_CONST), making room first: the value is made after the
    /// only call on this path (the cold grow), so it need not be kept in memory across it. A
    /// method rather than a closure the caller passes: with the plain copy's twin arm running
    /// its events itself, LLVM left LOAD_CONST's closure out of line in `exec` (a call per
    /// LOAD_CONST; callgrind, fannkuch 7: +1.5%).
    fn push_clone(&mut self, v: &Value);
    /// Pushes a copy of slot `i` (LOAD_FAST, COPY), making room first as `push_clone` does.
    fn push_copy(&mut self, i: usize);
    /// Pushes copies of slots `i` and `j` (LOAD_FAST_LOAD_FAST) with one capacity check and
    /// one length update.
    fn push_copy2(&mut self, i: usize, j: usize);
    /// Pushes an int in one 16-byte store (see `value::write_int_whole`).
    fn put_int(&mut self, i: i64);
}

impl StackPush for Vec<Value> {
    #[inline(always)]
    fn put_int(&mut self, i: i64) {
        if self.len() == self.capacity() {
            grow_stack(self);
        }
        let len = self.len();
        // SAFETY: `len < capacity` was ensured just above, so slot `len` is allocated, aligned
        // and unused; it is initialized by the write before the length covers it.
        unsafe {
            crate::value::write_int_whole(self.as_mut_ptr().add(len), i);
            self.set_len(len + 1);
        }
    }

    #[inline(always)]
    fn put(&mut self, v: Value) {
        if self.len() == self.capacity() {
            grow_stack(self);
        }
        let n = self.len();
        // SAFETY: `n < capacity` was ensured just above, so slot `n` is allocated and unused;
        // it becomes initialized by the write before the length covers it.
        unsafe {
            self.as_mut_ptr().add(n).write(v);
            self.set_len(n + 1);
        }
    }

    #[inline(always)]
    fn push_clone(&mut self, v: &Value) {
        if self.len() == self.capacity() {
            grow_stack(self);
        }
        // The slot's address and the length are read before the clone: its count increment
        // is a store LLVM cannot tell apart from the vector's fields, so read after it they
        // were loaded again (two loads per push of a heap value).
        let n = self.len();
        let dst = self.as_mut_ptr().wrapping_add(n);
        let v = v.clone();
        // SAFETY: `n < capacity` was ensured above, so `dst` is slot `n`, allocated and
        // unused; in between only `clone` ran, which raises a reference count and cannot
        // reach this exclusively borrowed vector (`v` is not one of its slots: the borrow
        // checker keeps `v` from pointing into it). The write initializes the slot before
        // the length covers it.
        unsafe {
            dst.write(v);
            self.set_len(n + 1);
        }
    }

    #[inline(always)]
    fn push_copy(&mut self, i: usize) {
        if self.len() == self.capacity() {
            grow_stack(self);
        }
        // Address and length before the clone, as in `push_clone`.
        let n = self.len();
        let dst = self.as_mut_ptr().wrapping_add(n);
        let v = self[i].clone();
        // SAFETY: `n < capacity` was ensured above, so `dst` is slot `n`, allocated and
        // unused; in between only `clone` ran, which raises a reference count and cannot
        // reach this exclusively borrowed vector. The write initializes the slot before the
        // length covers it.
        unsafe {
            dst.write(v);
            self.set_len(n + 1);
        }
    }

    #[inline(always)]
    fn push_copy2(&mut self, i: usize, j: usize) {
        if self.capacity() - self.len() < 2 {
            grow_stack(self);
        }
        // Address and length before the clones, as in `push_clone`.
        let n = self.len();
        let p = self.as_mut_ptr().wrapping_add(n);
        let (a, b) = (self[i].clone(), self[j].clone());
        // SAFETY: `grow_stack` reserves 8, so at least two slots past `n` (from `p` on) are
        // allocated and unused; in between only `clone` ran (a reference-count increment that
        // cannot reach this exclusively borrowed vector). Both are written before the length
        // covers them.
        unsafe {
            p.write(a);
            p.add(1).write(b);
            self.set_len(n + 2);
        }
    }
}

/// Out of line so the hot push path carries no call that forces its value into memory.
#[cold]
#[inline(never)]
fn grow_stack(s: &mut Vec<Value>) {
    s.reserve(8);
}

/// UNPACK_SEQUENCE of a tuple or list of the right length: pushes clones of `items`, the
/// last first, after making room for all of them once (one length update, no capacity
/// check per value). The generic `extend` of a reversed cloning iterator it replaces cost
/// about 90 instructions for three values (callgrind, nbody's `for (([x1, y1, z1], v1, m1),
/// ...) in pairs`).
#[inline(never)]
fn push_rev_clones(slots: &mut Vec<Value>, items: &[Value]) {
    let (n, k) = (slots.len(), items.len());
    slots.reserve(k);
    // Read after `reserve` (which may move the buffer) and before the clones, whose count
    // increments would otherwise make LLVM load the vector's fields again.
    let dst = slots.as_mut_ptr().wrapping_add(n);
    // SAFETY: `reserve` left room for at least `k` values past `n`, so `dst..dst + k` is
    // allocated and unused; each arm writes exactly `k` values there (the last item first),
    // and the clones in between only raise counts, which cannot reach `slots`. (Were `clone`
    // to unwind, the length would stay `n` and the written clones would only leak.) Two
    // and three items (pairs, nbody's coordinates and bodies) are written straight: the
    // general loop's reversed zip cost about twice their instructions.
    unsafe {
        match items {
            [a, b] => {
                dst.write(b.clone());
                dst.add(1).write(a.clone());
            }
            [a, b, c] => {
                dst.write(c.clone());
                dst.add(1).write(b.clone());
                dst.add(2).write(a.clone());
            }
            _ => {
                for (i, x) in items.iter().rev().enumerate() {
                    dst.add(i).write(x.clone());
                }
            }
        }
        slots.set_len(n + k);
    }
}

/// UNPACK_SEQUENCE of a tuple or list of exactly `arg` items (nbody's `for (([x1, y1, z1],
/// v1, m1), ...) in pairs`): the sequence is taken off the stack where it lies and its
/// reference given up inline, a count decrement with the drop glue only for the last one.
/// Popping it as a `Value` and dropping that went through the drop glue's call and its
/// dispatch over every variant at each unpack. `false`, with the stack untouched, for
/// anything else.
#[inline(always)]
fn unpack_exact(slots: &mut Vec<Value>, arg: usize) -> bool {
    let n = slots.len();
    let fits = match slots.last() {
        Some(Value::Tuple(t)) => t.len() == arg,
        // SAFETY: only the length is read, and the borrow ends here.
        Some(Value::List(l)) => unsafe { l.try_borrow_unguarded() }.is_ok_and(|i| i.len() == arg),
        _ => false,
    };
    if !fits {
        return false;
    }
    // SAFETY: slot `n - 1` is initialized (`last` found it); once the length is `n - 1` the
    // vector no longer owns it, so reading it out moves the sequence here exactly once.
    let v = unsafe {
        slots.set_len(n - 1);
        std::ptr::read(slots.as_ptr().add(n - 1))
    };
    match v {
        Value::Tuple(t) => {
            push_rev_clones(slots, &t);
            drop(t);
        }
        Value::List(l) => {
            // SAFETY: as in the arm before this fast path: the items are read only while
            // `push_rev_clones` clones them (count increments, no code that could borrow the
            // list mutably); `fits` found the list not borrowed mutably, and nothing ran
            // since.
            if let Ok(items) = unsafe { l.try_borrow_unguarded() } {
                push_rev_clones(slots, items);
            }
            drop(l);
        }
        // `fits` admitted only the two above.
        _ => unreachable!(),
    }
    true
}

/// The word `COPY 2`, or `SWAP 2` (opcode byte, argument above it).
const COPY_2: u32 = (2 << 8) | op::COPY as u32;
const SWAP_2: u32 = (2 << 8) | op::SWAP as u32;

/// Whether the word at `pc + 1` is `first` and the one at `pc + 2` has the opcode byte
/// `second`, for a word at `pc` that falls through (COPY, SWAP).
#[inline(always)]
fn next_two_are(
    instrs: &[std::cell::Cell<Instruction>],
    pc: usize,
    first: u32,
    second: u8,
) -> bool {
    // SAFETY: the word at `pc` falls through, so `pc + 1` is in range, and when that word is
    // `first` (a COPY or a SWAP, which fall through too) so is `pc + 2`: `CodeMon::new`
    // checked that the last word cannot fall through. (`get` cost 4 instructions more.)
    unsafe {
        instrs.get_unchecked(pc + 1).get().0 == first
            && instrs.get_unchecked(pc + 2).get().op_byte() == second
    }
}

/// An augmented subscript's read (`v[i] -= x` compiles to `COPY 2; COPY 2; BINARY_SUBSCR`)
/// of a list at an int index in range, as one step: the item is pushed above the list and
/// the index, where the three words would have left it, without the two copies (and their
/// count round trip on the list) and two dispatches. Plain words only: an instrumented or
/// overlaid word has another byte, and then the three run one by one, as when the read
/// could fail (any other container or index); so this never raises and fires nothing.
/// `lasti` names the BINARY_SUBSCR, as if it had been dispatched.
#[inline(always)]
fn copy_copy_subscr(f: &mut Frame, instrs: &[std::cell::Cell<Instruction>], pc: usize) -> bool {
    if !next_two_are(instrs, pc, COPY_2, op::BINARY_SUBSCR) {
        return false;
    }
    let [.., Value::List(l), Value::Int(i)] = &f.slots[..] else {
        return false;
    };
    // SAFETY: the items are only read, until the clone below (a count increment, which runs
    // no code); a list borrowed mutably now is `Err` and takes the plain words.
    let Ok(items) = (unsafe { l.try_borrow_unguarded() }) else {
        return false;
    };
    let Some(j) = crate::iter::index_in(*i, items.len()) else {
        return false;
    };
    let item = items[j].clone();
    f.slots.put(item);
    f.lasti = pc + 2;
    f.pc = pc + 3;
    true
}

/// An augmented subscript's store (`SWAP 3; SWAP 2; STORE_SUBSCR` over the list, the index
/// and the new value) into a list at an int index in range, as one step: the value moves
/// into the list where it lies on the stack, the three slots go by one length update, and
/// the list reference and the old item are given up after. Plain words only, and nothing
/// that could fail, as for `copy_copy_subscr`; `lasti` names the STORE_SUBSCR.
#[inline(always)]
fn swap_swap_store_subscr(
    f: &mut Frame,
    instrs: &[std::cell::Cell<Instruction>],
    pc: usize,
) -> bool {
    if !next_two_are(instrs, pc, SWAP_2, op::STORE_SUBSCR) {
        return false;
    }
    let [.., Value::List(l), Value::Int(i), v] = &mut f.slots[..] else {
        return false;
    };
    let Ok(mut lb) = l.try_borrow_mut() else {
        return false;
    };
    let Some(j) = crate::iter::index_in(*i, lb.len()) else {
        return false;
    };
    // SAFETY: `v` and `l` are read out of their slots once each, and the length update right
    // after gives up the three top slots (the pattern matched them), so each value is owned
    // exactly once: the new item by the list, the list reference by `list`; the int owns
    // nothing.
    unsafe {
        let old = std::mem::replace(&mut lb[j], std::ptr::read(v));
        drop(lb);
        let list = std::ptr::read(l);
        f.slots.set_len(f.slots.len() - 3);
        drop(list);
        old.discard();
    }
    f.lasti = pc + 2;
    f.pc = pc + 3;
    true
}

/// BINARY_OP's `+` and `+=` (CPython's NB_ADD and NB_INPLACE_ADD).
const NB_ADD: usize = 0;
const NB_INPLACE_ADD: usize = 13;

/// `s + t` on two strs whose result the next word, a plain STORE_FAST (or a superinstruction
/// starting with one), stores into the local that holds `s`, when that local and the left
/// operand are the only references to `s`. The local lets go of it first (the store about
/// to run refills it), so the operand's reference is the only one, and `t` is appended to
/// `s` in place: one `realloc`, which usually grows the block where it is. Building a string
/// by `+=` in a loop is then linear, as in CPython (its BINARY_OP_INPLACE_ADD_UNICODE does
/// the same), where copying `s` every time made it quadratic. A shared `s` (a constant,
/// interned, in a container or another variable), or any other case, is `false`, with
/// nothing changed.
#[inline(never)]
fn str_append_in_place(slots: &mut Vec<Value>, local: usize) -> bool {
    let n = slots.len();
    if n < 2 || local >= n - 2 {
        return false;
    }
    match (&slots[n - 2], &slots[n - 1], &slots[local]) {
        (Value::Str(a), Value::Str(_), Value::Str(l))
            if Rc::ptr_eq(a, l) && Rc::strong_count(a) == 2 && Rc::weak_count(a) == 0 => {}
        _ => return false,
    }
    // The local's reference goes (a str owns nothing that could run code when released).
    slots[local] = Value::Null;
    let Some(Value::Str(t)) = slots.pop() else {
        unreachable!("matched as a str above")
    };
    let Some(Value::Str(a)) = slots.last_mut() else {
        unreachable!("matched as a str above")
    };
    let Some(s) = Rc::get_mut(a) else {
        unreachable!("the operand's reference is the only one left")
    };
    s.s.append(&t.s);
    s.nchars += t.nchars;
    s.hash.set(-1);
    true
}

/// BINARY_SLICE's and STORE_SLICE's top three: the container, then the start and the stop.
#[inline(always)]
fn pop_sliced(f: &mut Frame) -> (Value, Value, Value) {
    let stop = pop(f);
    let start = pop(f);
    (pop(f), start, stop)
}

/// Runs `f` on a slice's `(start, stop, None)` parts held in a temporary, then lets the parts
/// go without the three-value temporary's drop glue (`discard`: nothing to do for ints and
/// `None`, the usual parts).
#[inline(always)]
fn with_slice_parts<R>(
    start: Value,
    stop: Value,
    f: impl FnOnce(&(Value, Value, Value)) -> R,
) -> R {
    let s = (start, stop, Value::None);
    let r = f(&s);
    let (start, stop, _) = s;
    start.discard();
    stop.discard();
    r
}

#[inline]
fn pop(f: &mut Frame) -> Value {
    f.slots.pop().unwrap_or_default()
}

/// Pops the top of the stack when it is a bool and returns it; `None`, with nothing
/// changed, for anything else. Reads the tag and the byte where they lie instead of moving
/// the whole value out: a 16-byte load of a slot its producer wrote as two smaller stores
/// (tag, byte) cannot be forwarded from them and waits for both to retire.
#[inline(always)]
fn pop_bool(f: &mut Frame) -> Option<bool> {
    let b = match f.slots.last() {
        Some(Value::Bool(b)) => *b,
        _ => return None,
    };
    // SAFETY: the stack is not empty (its last slot was just read), and a bool owns
    // nothing, so dropping the slot by shortening the length leaks nothing.
    unsafe { f.slots.set_len(f.slots.len() - 1) };
    Some(b)
}

/// LOAD_ATTR on an instance with a cache hit (see `ic`), or `false` for the general path:
/// the result overwrites the instance's stack slot (for a method, the instance moves up one
/// as `self`), with no pop, no push of the instance and no `Result` to unpack. A small
/// function of its own: inlined into the dispatch loop, its registers and spills shifted the
/// code LLVM made for the rest of the loop (callgrind: nbody, which never runs it, +3%).
#[inline(always)]
fn load_attr_hit(f: &mut Frame, cache: &CodeCache, pc: usize, arg: usize) -> bool {
    let Some(top) = f.slots.last_mut() else {
        return false;
    };
    let Value::Instance(inst) = &*top else {
        return false;
    };
    if arg & 1 == 0 {
        let Some(v) = cache.attr_ics.attr_hit(pc, inst) else {
            return false;
        };
        drop_instance(std::mem::replace(top, v));
    } else {
        let Some((m, keep)) = cache.attr_ics.method_hit(pc, inst) else {
            return false;
        };
        let obj = std::mem::replace(top, m);
        if keep {
            f.slots.put(obj);
        } else {
            drop_instance(obj);
            f.slots.put(Value::Null);
        }
    }
    true
}

/// LOAD_ATTR's cache hit (see `ic`) when it can finish without calling anything, else
/// `false` with nothing changed: the instance on the stack is not its last reference (so
/// giving it up is a decrement, not a free), the method form has room for its second value,
/// and the cache answers without a bound method to allocate.
///
/// The values are copied into their stack slots whole (`copy_whole`: one 16-byte load and
/// store). Written as tag and payload from two registers, as a moved `Value` was, the next
/// instruction's 16-byte read of the slot (STORE_FAST's or RETURN_VALUE's pop, CALL's take
/// of the callable) could not be forwarded from the two stores and waited for them.
#[inline(always)]
fn load_attr_hit_leaf<const METHOD: bool>(f: &mut Frame, cache: &CodeCache, pc: usize) -> bool {
    // SAFETY: `pc` is the running instruction of this code (`op_load_attr`'s caller).
    let ic = unsafe { cache.attr_ics.instruction_ic(pc) };
    let len = f.slots.len();
    let method = METHOD;
    if len == 0 || (method && len == f.slots.capacity()) {
        return false;
    }
    // SAFETY: `len >= 1`, so this is the stack's last slot, initialized and exclusively ours
    // through `f`.
    let top: *mut Value = unsafe { f.slots.as_mut_ptr().add(len - 1) };
    // SAFETY: a shared view of the slot, ended before the slot is written below.
    let Value::Instance(rc) = (unsafe { &*top }) else {
        return false;
    };
    if Rc::strong_count(rc) < 2 {
        return false;
    }
    // SAFETY: the instance itself lives on the heap, held by the slot's `Rc` (and at least
    // one other): this view stays valid after the slot is overwritten below, since the
    // reference it held is then owned by `obj` or by the slot above.
    let inst: &Instance = unsafe { &*Rc::as_ptr(rc) };
    let Some(src) = ic.load_hit_src(inst, method) else {
        return false;
    };
    if method {
        // The method form's hit, a function on the class (`load_hit_src` takes no other).
        // SAFETY: `src` points at the entry's function, not this stack, and nothing has run
        // since it was found; the clone is forgotten (or the count raised by `try_retain`),
        // for the copy written below. The method form checked `len < capacity` above, so
        // slot `len` is allocated: the instance's slot is copied there whole (its
        // reference now owned by that slot, the one at `top` is then overwritten without a
        // drop) and the length covers it.
        unsafe {
            if let Value::Function(func) = &*src {
                std::mem::forget(func.clone());
            } else if !(*src).try_retain() {
                return false;
            }
            copy_whole(top, top.add(1));
            f.slots.set_len(len + 1);
            copy_whole(src, top);
        }
        return true;
    }
    // SAFETY: `src` points at an initialized value in the instance's values or in the
    // cache entry, neither of which is this stack, and nothing has run since it was found.
    // `try_retain` raises the count for the copy written below (with `clone`, the abort
    // on a full count was a call, which made this function align its stack on every
    // hit). The instance's `Rc` is moved out of `top` by the read before `top` is
    // overwritten, so the reference is owned exactly once, by `obj`, which gives it up.
    unsafe {
        if !(*src).try_retain() {
            return false;
        }
        let obj: Rc<Instance> = std::ptr::read(rc);
        release_shared_instance(obj);
        copy_whole(src, top);
    }
    true
}

/// STORE_FAST when the local is below the top of the stack and holds no generator (whose
/// last reference must close it at once, `Vm::drop_local`): the local's old value is let go
/// where it lies (`Value::release`: nothing for a number, `None` or an unset local, a count
/// decrement for a value held elsewhere too) and the top is copied over it whole, then the
/// stack shrinks by one. Moved out and swapped as values, both went through stack
/// temporaries and the new value was read back whole from two smaller stores. `false`,
/// with nothing changed, for the general path.
#[inline(always)]
fn store_fast_in_place(slots: &mut Vec<Value>, i: usize) -> bool {
    let n = slots.len();
    if n == 0 || i >= n - 1 {
        return false;
    }
    // SAFETY: `i < n - 1`, so the local and the top are distinct initialized slots. The old
    // value is moved out exactly once (`read`, then released) before the top's bits are
    // copied over it, and the top slot is then cut off by the length, so the moved value is
    // owned once, by the local.
    unsafe {
        let p = slots.as_mut_ptr();
        let dst = p.add(i);
        if matches!(*dst, Value::Gen(_)) {
            return false;
        }
        std::ptr::read(dst).release();
        copy_words(p.add(n - 1), dst);
        slots.set_len(n - 1);
    }
    true
}

/// Copies the value at `src` to `dst` with one 16-byte load and one 16-byte store, without
/// taking it apart into tag and payload registers (see `load_attr_hit_leaf`). A bitwise copy:
/// the caller settles who owns the reference a heap value carries.
///
/// # Safety
/// Both point at `Value`-sized memory, `src` initialized; they do not overlap.
#[inline(always)]
unsafe fn copy_whole(src: *const Value, dst: *mut Value) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `Value` is 16 bytes (checked below) and the unaligned forms ask no more
    // alignment than a `Value`'s; the caller's contract covers the accesses. Through
    // `MaybeUninit`: a variant without a payload (`None`, `Null`) leaves
    // its second word uninitialized, which a plain `__m128i` may not hold.
    unsafe {
        use std::arch::x86_64::__m128i;
        use std::mem::MaybeUninit;
        const _: () = assert!(std::mem::size_of::<Value>() == 16);
        let v = src.cast::<MaybeUninit<__m128i>>().read_unaligned();
        dst.cast::<MaybeUninit<__m128i>>().write_unaligned(v);
    }
    #[cfg(not(target_arch = "x86_64"))]
    // SAFETY: the caller's contract.
    unsafe {
        std::ptr::copy_nonoverlapping(src, dst, 1);
    }
}

/// Copies the value at `src` to `dst` as two 8-byte words (tag, payload). For a source its
/// producer has just written as two 8-byte stores (BINARY_OP's number, a pushed bool): a
/// 16-byte load of it cannot be forwarded from them and waits until both have retired, while
/// each 8-byte load is forwarded from its store (and from a 16-byte store too). A bitwise
/// copy, as `copy_whole`.
///
/// # Safety
/// Both point at `Value`-sized memory, `src` initialized; they do not overlap.
#[inline(always)]
unsafe fn copy_words(src: *const Value, dst: *mut Value) {
    use std::mem::MaybeUninit;
    // SAFETY: the caller's contract; `Value` is 16 bytes aligned to 8 (checked in
    // `copy_whole`). Through `MaybeUninit`: a variant without a payload leaves its second
    // word uninitialized.
    unsafe {
        let (s, d) = (
            src.cast::<MaybeUninit<u64>>(),
            dst.cast::<MaybeUninit<u64>>(),
        );
        let (tag, payload) = (s.read_volatile(), s.add(1).read_volatile());
        d.write(tag);
        d.add(1).write(payload);
    }
}

/// Gives up a reference to an instance whose count the caller tested to be at least 2,
/// with nothing run since that could lower it.
#[inline(always)]
fn release_shared_instance(obj: Rc<Instance>) {
    // SAFETY: the callers (`load_attr_hit_leaf`, `store_attr_hit_leaf`) checked the count
    // was at least 2, and between that check and here only clones ran (the looked-up
    // value's increment, possibly of this same instance) or values were moved without
    // being dropped, neither of which lowers it; so this drop is a decrement to at least 1
    // and does not free the instance. Telling LLVM so removes the free's call from the
    // path (in LOAD_ATTR's; in STORE_ATTR's the stores in between keep LLVM from using it).
    unsafe { std::hint::assert_unchecked(Rc::strong_count(&obj) >= 2) };
    drop(obj);
}

/// STORE_ATTR's cache hit over an attribute the instance has, when the instance on the
/// stack is not its last reference (`Done`); a hit that adds the name is handed back for
/// `Vm::store_attr_add`, anything else is `Miss`, with nothing changed. The calls left on
/// the path are the drops of the displaced value or the instance when either was the last
/// reference.
#[inline(always)]
fn store_attr_hit_leaf<'c>(f: &mut Frame, cache: &'c CodeCache, pc: usize) -> StoreAttrLeaf<'c> {
    // SAFETY: `pc` is the running instruction of this code (`op_store_attr`'s caller).
    let ic = unsafe { cache.attr_ics.instruction_ic(pc) };
    let len = f.slots.len();
    if len < 2 {
        return StoreAttrLeaf::Miss;
    }
    let base = f.slots.as_mut_ptr();
    // SAFETY: `len >= 2`, so both are initialized slots of the stack, exclusively ours
    // through `f`; the shared view of the instance's slot ends before the slot is given up.
    let (v_slot, inst_slot) = unsafe { (base.add(len - 2), base.add(len - 1)) };
    let Value::Instance(inst) = (unsafe { &*inst_slot }) else {
        return StoreAttrLeaf::Miss;
    };
    if Rc::strong_count(inst) < 2 {
        return StoreAttrLeaf::Miss;
    }
    let idx = match ic.store_slot_leaf(inst) {
        crate::ic::StoreLeaf::Slot(idx) => idx,
        crate::ic::StoreLeaf::Add(e) => return StoreAttrLeaf::Add(e),
        crate::ic::StoreLeaf::Miss => return StoreAttrLeaf::Miss,
    };
    // SAFETY: the entry matched, so `idx` is a position of the instance's shape;
    // `v_slot` is an initialized stack slot, not part of the instance's values; its value
    // has moved into the instance and the slot is given up below without a drop.
    let old = unsafe { inst.attrs.take_into(idx, v_slot) };
    // SAFETY: the value's slot was moved out of by `take_into` and the instance's slot holds
    // `Value::Instance(inst)`, moved out by the read; the length drops past both at once, so
    // each is owned exactly once. The instance's count was at least 2 when tested above and
    // `take_into` since moved values without dropping any, so `release_shared_instance`
    // holds.
    unsafe {
        let obj: Rc<Instance> = std::ptr::read(inst);
        f.slots.set_len(len - 2);
        release_shared_instance(obj);
    }
    // Most stored-over values are ints, floats, bools or `None` (richards: 85%): one tag
    // test. The last reference to a heap value is left in the value's old stack slot, just
    // past the stack's end now, for `op_store_attr`'s tail call to `drop_displaced`, so
    // that no path here calls anything (a call made this function save a register and
    // align its stack on every hit, and a value handed to a call goes through memory).
    if let Some(last) = old.release_shared() {
        // SAFETY: `v_slot` is the slot at the stack's new length, allocated and no longer
        // covered by it (its value moved out above): writing it drops nothing, and it
        // owns `last` until `drop_displaced` reads it back.
        unsafe { v_slot.write(last) };
        return StoreAttrLeaf::Last;
    }
    StoreAttrLeaf::Done
}

/// What `op_load_attr` and `op_store_attr` (and the functions they end in) return: the
/// error boxed, so that the result is one word, in a register. As a `PyResult<()>` (two
/// words) it went through memory: the dispatch loop passed a slot's address, every hit
/// stored `Ok` there and the loop loaded it back to test it.
type AttrOpResult = Result<(), Box<PyErr>>;

/// Drops the last reference to a value STORE_ATTR displaced, which
/// `store_attr_hit_leaf` left in the slot just past the stack's end.
#[inline(never)]
fn drop_displaced(f: &mut Frame) -> AttrOpResult {
    let len = f.slots.len();
    debug_assert!(len < f.slots.capacity());
    // SAFETY: `store_attr_hit_leaf` wrote the value at index `len` (inside the capacity,
    // outside the length) and nothing has touched the stack since; it is moved out once,
    // here, and the slot stays outside the length.
    let v = unsafe { f.slots.as_ptr().add(len).read() };
    drop(v);
    Ok(())
}

enum StoreAttrLeaf<'c> {
    Done,
    /// Done, but the displaced value was its last reference, left just past the stack's
    /// end for `drop_displaced`.
    Last,
    /// A hit that adds the name: `Vm::store_attr_add`.
    Add(crate::ic::AddEntry<'c>),
    Miss,
}

/// STORE_ATTR on an instance with a cache hit (see `ic`), or `false` for the general
/// path: the value moves from its stack slot into the instance.
#[inline(always)]
fn store_attr_hit(f: &mut Frame, cache: &CodeCache, pc: usize) -> bool {
    let [.., v, Value::Instance(inst)] = &mut f.slots[..] else {
        return false;
    };
    let Some(old) = cache.attr_ics.store_hit(pc, inst, v) else {
        return false;
    };
    let obj = pop(f);
    // The value's slot, left `Null` (owns nothing).
    std::mem::forget(f.slots.pop());
    drop_instance(obj);
    old.discard();
    true
}

/// Drops a value the caller knows is an instance: the reference-count decrement inline,
/// not the drop glue's call and dispatch over every variant.
#[inline(always)]
fn drop_instance(v: Value) {
    match v {
        Value::Instance(i) => drop(i),
        other => drop(other),
    }
}

pub enum GenStep {
    Yield(Value),
    Return(Value),
}

pub fn binop_of(arg: usize) -> (BinOp, bool) {
    let op = match arg % 13 {
        0 => BinOp::Add,
        1 => BinOp::And,
        2 => BinOp::FloorDiv,
        3 => BinOp::LShift,
        4 => BinOp::MatMul,
        5 => BinOp::Mul,
        6 => BinOp::Mod,
        7 => BinOp::Or,
        8 => BinOp::Pow,
        9 => BinOp::RShift,
        10 => BinOp::Sub,
        11 => BinOp::TrueDiv,
        _ => BinOp::Xor,
    };
    (op, arg >= 13)
}
