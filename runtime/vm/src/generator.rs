//! Generators and coroutines: `send`, `throw` (delegating to a `yield from`/`await` target
//! first, as CPython's `_gen_throw` does), `close`, and the SEND helper used by the loop.
//! The generator owns its boxed frame; while running, the frame is taken out of the object so
//! a re-entrant call sees "generator already executing".

use crate::frame::{Exit, Frame, GenStep, StackPush};
use crate::value::*;
use crate::vm::{PyErr, PyResult, Vm};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use vigil_compiler::bytecode::Opcode;

/// How many values a consumer's buffer takes in `sink_step` before one is handed back the
/// ordinary way: the consumers' own limit (`collect`'s MemoryError past 2**28 values) then
/// applies as before.
const SINK_MAX: usize = 1 << 28;

/// Values whose hash and equality with one another run no Python code and cannot fail (exact
/// ints, floats, strings, bools, `None`; an instance of a subclass would be a
/// `Value::Instance`): a set built from them looks the same whether each was added as it was
/// yielded or a little later.
pub(crate) fn hashes_natively(v: &Value) -> bool {
    matches!(
        v,
        Value::Int(_)
            | Value::Big(_)
            | Value::Float(_)
            | Value::Str(_)
            | Value::Bool(_)
            | Value::None
    )
}

/// The drain `Vm::sink_step` runs: while the drained frame (marked `Frame::sinking`) runs,
/// its plain YIELD_VALUE pushes each value `accepts` admits onto `buf` and dispatch goes on
/// at the RESUME after it, with `None` as the sent value, instead of leaving the dispatch
/// loop for `sink_step` to push the value and enter the loop again. Yields of other frames
/// (a generator the drained one resumes with `next`, a `yield from` delegate) leave as
/// usual. A nested drain (a consumer inside the drained frame) saves the outer one and puts
/// it back.
#[derive(Default)]
pub(crate) struct Sink {
    buf: Vec<Value>,
    /// Admit only values that hash natively (`set`'s drain).
    pure: bool,
}

impl Sink {
    /// Whether `v` goes onto `buf`: room without growing it (a full buffer hands the value
    /// back to the consumer, which empties it), under `SINK_MAX`, and native when `pure`.
    #[inline(always)]
    pub(crate) fn accepts(&self, v: &Value) -> bool {
        self.buf.len() < self.buf.capacity()
            && self.buf.len() < SINK_MAX
            && (!self.pure || hashes_natively(v))
    }
}

impl Vm {
    /// YIELD_VALUE of a frame being drained (`Frame::sinking`): takes `v` into the
    /// consumer's buffer (`None`, the frame runs on) or hands it back for an ordinary yield.
    /// Out of line on purpose: written into the dispatch loop, the push changed the loop's
    /// register allocation and every instruction paid (callgrind, nqueens 8: +10M in `exec`,
    /// more than it saved).
    #[cold]
    #[inline(never)]
    pub(crate) fn sink_offer(&mut self, v: Value) -> Option<Value> {
        if self.sink.accepts(&v) {
            self.sink.buf.push(v);
            None
        } else {
            Some(v)
        }
    }
}

impl Vm {
    /// Resumes `g` with `sent` (or by raising `throw` at its suspension point). The common
    /// cases (a suspended generator, or a just-created one started with `None`) run here; the
    /// errors and a throw into a just-created generator are in `gen_resume_cold`.
    pub fn gen_resume(
        &mut self,
        g: &Rc<Generator>,
        sent: Value,
        throw: Option<PyErr>,
    ) -> PyResult<GenStep> {
        let st = g.state.get();
        if st != GenState::Suspended
            && (st != GenState::Created || throw.is_some() || !sent.is_none())
        {
            return self.gen_resume_cold(g, sent, throw);
        }
        let Some(mut frame) = g.frame.take() else {
            return Err(self.stop_iteration(Value::Null));
        };
        if self.depth >= self.recursion_limit {
            g.frame.set(Some(frame));
            return Err(self.err("RecursionError", "maximum recursion depth exceeded"));
        }
        g.state.set(GenState::Running);
        self.depth += 1;
        let pending = match throw {
            // The exception appears at the yield instruction that suspended the frame.
            Some(e) => {
                frame.lasti = frame.pc.saturating_sub(1);
                Some(e)
            }
            None => {
                frame.slots.put(sent);
                None
            }
        };
        // The frame handles its own exception state (CPython's `gi_exc_state`); the resumer's
        // stays reachable on `exc_outer` for `handled_exc` (a generator handling none of its
        // own sees its consumer's).
        // An empty resumer's state (`Null`/`None`, the only inline values it holds: exceptions
        // are objects) is left off the chain: `handled_exc` would skip it anyway, and the
        // common case then pays no push and no pop.
        let outer = std::mem::replace(&mut self.cur_exc, g.exc.take());
        let linked = !outer.is_inline();
        if linked {
            self.link_outer_exc(outer);
        } else {
            // Inline: nothing to drop, and no drop glue call for the compiler to keep.
            std::mem::forget(outer);
        }
        // PY_THROW at the RESUME after the suspending yield (monitoring).
        #[cfg(feature = "monitoring")]
        let pending = pending.map(|e| self.mon_throw(&mut frame, e));
        let r = self.run_frame(&mut frame, pending);
        let outer = if linked {
            self.exc_outer.pop().unwrap_or_default()
        } else {
            Value::Null
        };
        // What the frame handles at its yield is its own state until the next resume. Usually
        // `Null`: `discard` skips the drop glue call for that.
        let own = std::mem::replace(&mut self.cur_exc, outer);
        self.depth -= 1;
        if let Ok(Exit::Yield(v)) = r {
            // The delegate of a `yield from`/`await` stays on the frame's stack, where
            // `Generator::delegate` finds it: nothing to record per value passed through.
            g.state.set(GenState::Suspended);
            g.frame.set(Some(frame));
            // `g.exc` was taken above and only `gen_resume` writes it, which a running
            // generator refuses, so the value replaced is `Null`: forgetting it skips a drop
            // test (and would only leak, never free twice, were that ever not so).
            std::mem::forget(g.exc.replace(own));
            return Ok(GenStep::Yield(v));
        }
        own.discard();
        self.gen_finished(g, frame, r)
    }

    /// `gen_resume`'s push of a resumer's non-empty exception state onto `exc_outer`, out of
    /// the common path (resuming with no exception being handled).
    #[cold]
    #[inline(never)]
    fn link_outer_exc(&mut self, outer: Value) {
        self.exc_outer.push(outer);
    }

    /// `gen_resume` of a generator that is running, finished, or just created and given a
    /// value or an exception.
    #[cold]
    #[inline(never)]
    fn gen_resume_cold(
        &mut self,
        g: &Rc<Generator>,
        sent: Value,
        throw: Option<PyErr>,
    ) -> PyResult<GenStep> {
        let kind = if g.is_coroutine {
            "coroutine"
        } else {
            "generator"
        };
        match g.state.get() {
            GenState::Running => Err(self.value_error(format!("{kind} already executing"))),
            GenState::Finished => {
                if let Some(e) = throw {
                    return Err(e);
                }
                if g.is_coroutine {
                    return Err(self.err("RuntimeError", "cannot reuse already awaited coroutine"));
                }
                // An exhausted generator just reports the end again (no value).
                Ok(GenStep::Return(Value::None))
            }
            GenState::Created => match throw {
                Some(e) => {
                    if g.frame.take().is_none() {
                        return Err(self.stop_iteration(Value::Null));
                    }
                    // Throwing into a just-created generator raises at its start, outside
                    // any handler.
                    g.state.set(GenState::Finished);
                    Err(e)
                }
                None => {
                    drop(sent);
                    Err(self.type_error(format!(
                        "can't send non-None value to a just-started {kind}"
                    )))
                }
            },
            // `gen_resume` runs these itself.
            GenState::Suspended => self.gen_resume(g, sent, throw),
        }
    }

    /// The end of `gen_resume` for a frame that did not yield: its vector goes back to the
    /// pool (or generator-heavy programs drain it and every later call allocates afresh),
    /// the box to `Vm::frame_pool` for the next generator.
    #[inline(never)]
    fn gen_finished(
        &mut self,
        g: &Rc<Generator>,
        frame: Box<Frame>,
        r: PyResult<Exit>,
    ) -> PyResult<GenStep> {
        g.state.set(GenState::Finished);
        let raw = Box::into_raw(frame);
        // SAFETY: `raw` comes from `Box::into_raw` of a live box, so it points to an
        // initialised `Frame` that nothing else owns. `read` moves that frame out, and the
        // allocation is then owned again as a box of `MaybeUninit<Frame>` (same size and
        // alignment as `Frame`), which never reads or drops its content: the frame is owned
        // exactly once, by `fr`, and the allocation is freed or reused exactly once.
        let (fr, empty) = unsafe {
            (
                raw.read(),
                Box::from_raw(raw.cast::<std::mem::MaybeUninit<Frame>>()),
            )
        };
        // Slots first, then the function, as CPython clears a frame; a genexpr's function
        // object is kept for the next one (`retire_function`).
        let (slots, func) = fr.into_parts();
        self.recycle(slots);
        if Rc::strong_count(&func) == 1 {
            self.retire_function(func);
        } else {
            drop(func);
        }
        if self.frame_pool.len() < 16 {
            self.frame_pool.push(empty);
        }
        match r {
            Ok(Exit::Return(v)) => Ok(GenStep::Return(v)),
            Ok(Exit::Yield(_) | Exit::Generator) => {
                Err(self.err("SystemError", "unexpected RETURN_GENERATOR"))
            }
            Err(e) => Err(e),
        }
    }

    /// END_SEND lets go of the receiver of a finished `await`/`yield from`: a finished
    /// generator nothing else refers to is kept for the next one (`Vm::gen_pool`) instead of
    /// being freed. Anything else is dropped as before.
    #[inline]
    pub(crate) fn retire(&mut self, recv: Value) {
        match recv {
            Value::Gen(mut g) => {
                if g.state.get() == GenState::Finished
                    && self.gen_pool.len() < 16
                    && Rc::get_mut(&mut g).is_some()
                {
                    self.gen_pool.push(g);
                }
            }
            v => v.discard(),
        }
    }

    /// The argument vector of a builtin consumer (`tuple(genexpr)`, `set(...)`, `list(...)`)
    /// once it is done: a generator it drained goes to `gen_pool` as END_SEND's receiver does
    /// (`retire`) instead of a free here and a malloc for the next genexpr. The vector goes
    /// back to `vec_pool`, where the call path took it from: dropped, each such call drained the
    /// pool by one, and the next call (a genexpr's frame, the next consumer's arguments)
    /// allocated afresh. (Session 5 found giving it back lost to `realloc`s of small vectors;
    /// vectors the pool hands out are now never smaller than `POOLED_MIN`.)
    pub(crate) fn recycle_args(&mut self, mut args: Vec<Value>) {
        if matches!(args.last(), Some(Value::Gen(_)))
            && let Some(g) = args.pop()
        {
            self.retire(g);
        }
        self.recycle(args);
    }

    /// `next` for a builtin consumer (`collect`, `set_update`) that owns `it` for the whole
    /// loop: a generator is resumed straight from that borrow (no refcount round trip and no
    /// `next` dispatch per value), and its return value is dropped, since such a consumer never
    /// reads `last_stop_value`. Anything else goes through `next`.
    #[inline]
    pub(crate) fn next_owned(&mut self, it: &Value) -> PyResult<Option<Value>> {
        match it {
            Value::Gen(g) => match self.gen_resume(g, Value::None, None)? {
                GenStep::Yield(v) => Ok(Some(v)),
                GenStep::Return(v) => {
                    v.discard();
                    Ok(None)
                }
            },
            _ => self.next(it),
        }
    }

    /// Whether a builtin consumer may drain `g` with `sink_step`: a plain generator (not a
    /// coroutine or an async generator) that is suspended or not yet started.
    pub(crate) fn sinkable(g: &Generator) -> bool {
        use vigil_compiler::bytecode::co_flags;
        !g.is_coroutine
            && g.code.flags
                & (co_flags::COROUTINE | co_flags::ITERABLE_COROUTINE | co_flags::ASYNC_GENERATOR)
                == 0
            && matches!(g.state.get(), GenState::Created | GenState::Suspended)
    }

    /// `gen_resume(g, None)` for a builtin consumer that only gathers the values (`sinkable`
    /// checked): each value the frame yields is appended to `buf` and the frame is run on
    /// at once, as if resumed with `None`, without suspending it (no state, exception-state
    /// or frame hand-over per value, and no return through `gen_resume`'s callers). Comes
    /// back `None` when the generator returned, or `Some(v)` for a value it left to the
    /// consumer: one `pure` refused (see `hashes_natively`), or any once `buf` is full
    /// (it is never grown here), which the consumer handles after those already in `buf`.
    ///
    /// Nothing the consumer does between two values can run Python code or look at the
    /// generator, so running on is the same as being suspended and resumed: the generator is
    /// `Running` whenever its code runs either way, the exception state swapped out at each
    /// yield would be swapped back unchanged, and each re-entry runs the RESUME after the
    /// yield as a resume does (PY_YIELD and PY_RESUME fire as before). A plain YIELD_VALUE
    /// of this frame does not even leave the dispatch loop (see `Sink`); an instrumented one
    /// (PY_YIELD) leaves it as usual, and this loop enters it again.
    pub(crate) fn sink_step(
        &mut self,
        g: &Rc<Generator>,
        pure: bool,
        buf: &mut Vec<Value>,
    ) -> PyResult<Option<Value>> {
        let Some(mut frame) = g.frame.take() else {
            return Err(self.stop_iteration(Value::Null));
        };
        if self.depth >= self.recursion_limit {
            g.frame.set(Some(frame));
            return Err(self.err("RecursionError", "maximum recursion depth exceeded"));
        }
        g.state.set(GenState::Running);
        self.depth += 1;
        frame.slots.put(Value::None);
        // As in `gen_resume`: the frame's own exception state while it runs, the resumer's
        // on `exc_outer` when it has one.
        let outer = std::mem::replace(&mut self.cur_exc, g.exc.take());
        let linked = !outer.is_inline();
        if linked {
            self.link_outer_exc(outer);
        } else {
            std::mem::forget(outer);
        }
        // The frame's own YIELD_VALUE fills the buffer (see `Sink`); the loop here takes the
        // values of yields that leave the dispatch loop anyway (instrumented ones).
        let outer_sink = std::mem::replace(
            &mut self.sink,
            Sink {
                buf: std::mem::take(buf),
                pure,
            },
        );
        frame.sinking = true;
        let r = loop {
            match self.run_frame(&mut frame, None) {
                Ok(Exit::Yield(v)) if self.sink.accepts(&v) => {
                    self.sink.buf.push(v);
                    frame.slots.put(Value::None);
                }
                r => break r,
            }
        };
        frame.sinking = false;
        *buf = std::mem::replace(&mut self.sink, outer_sink).buf;
        let outer = if linked {
            self.exc_outer.pop().unwrap_or_default()
        } else {
            Value::Null
        };
        let own = std::mem::replace(&mut self.cur_exc, outer);
        self.depth -= 1;
        if let Ok(Exit::Yield(v)) = r {
            g.state.set(GenState::Suspended);
            g.frame.set(Some(frame));
            // `g.exc` was taken above (see `gen_resume`).
            std::mem::forget(g.exc.replace(own));
            return Ok(Some(v));
        }
        own.discard();
        match self.gen_finished(g, frame, r)? {
            GenStep::Yield(v) => Ok(Some(v)),
            GenStep::Return(v) => {
                v.discard();
                Ok(None)
            }
        }
    }

    /// `gen.send(v)` semantics returning a Python-level result (StopIteration on return).
    pub fn gen_send(&mut self, g: &Rc<Generator>, v: Value) -> PyResult<Value> {
        match self.gen_resume(g, v, None)? {
            GenStep::Yield(y) => Ok(y),
            GenStep::Return(r) => {
                Err(self.stop_iteration(if r.is_none() { Value::Null } else { r }))
            }
        }
    }

    /// `gen.throw(exc)`.
    pub fn gen_throw(&mut self, g: &Rc<Generator>, exc: PyErr) -> PyResult<GenStep> {
        let yf = g.delegate();
        if !yf.is_null() {
            // Delegate to the sub-iterator first.
            let is_exit = self.exc_matches(&exc.0, "GeneratorExit");
            let sub = if is_exit {
                self.close_value(&yf).map(|_| None)
            } else {
                match &yf {
                    Value::Gen(sg) => {
                        let sg = sg.clone();
                        g.state.set(GenState::Running);
                        let r = self.gen_throw(&sg, exc.clone());
                        g.state.set(GenState::Suspended);
                        r.map(Some)
                    }
                    _ => {
                        let n = self.intern("throw");
                        match self.get_attr_opt(&yf, &n)? {
                            Some(m) => self
                                .call1(&m, exc.0.clone())
                                .map(|v| Some(GenStep::Yield(v))),
                            None => Err(exc.clone()),
                        }
                    }
                }
            };
            match sub {
                Ok(Some(GenStep::Yield(v))) => return Ok(GenStep::Yield(v)),
                Ok(Some(GenStep::Return(v))) => {
                    // The delegate finished: resume our frame as if SEND got its return value.
                    return self.gen_resume_after_delegate(g, v);
                }
                Ok(None) => return self.gen_resume(g, Value::None, Some(exc)),
                Err(e) => return self.gen_resume(g, Value::None, Some(e)),
            }
        }
        self.gen_resume(g, Value::None, Some(exc))
    }

    /// After a delegate returned `v` during throw: raise StopIteration(v) into the frame at
    /// the yield, which CLEANUP_THROW turns into the `yield from` result.
    fn gen_resume_after_delegate(&mut self, g: &Rc<Generator>, v: Value) -> PyResult<GenStep> {
        let e = self.stop_iteration(if v.is_none() { Value::Null } else { v });
        self.gen_resume(g, Value::None, Some(e))
    }

    pub fn gen_close(&mut self, g: &Rc<Generator>) -> PyResult<Value> {
        match g.state.get() {
            GenState::Created => {
                g.state.set(GenState::Finished);
                g.frame.set(None);
                return Ok(Value::None);
            }
            GenState::Finished => return Ok(Value::None),
            _ => {}
        }
        // CPython 3.13 finishes a generator suspended at a yield that no try block covers
        // (only the implicit StopIteration wrapper) without throwing GeneratorExit into it.
        if g.state.get() == GenState::Suspended {
            let fr = g.frame.take();
            let only_wrapper = fr
                .as_deref()
                .is_some_and(|fr| !close_runs_code(fr) && !is_delegating(fr));
            g.frame.set(fr);
            if only_wrapper {
                g.state.set(GenState::Finished);
                g.frame.set(None);
                return Ok(Value::None);
            }
        }
        let cls = self.exc_class("GeneratorExit");
        let exc = PyErr(self.make_exc(&cls, vec![]));
        match self.gen_throw(g, exc) {
            Ok(GenStep::Yield(_)) => {
                let kind = if g.is_coroutine {
                    "coroutine"
                } else {
                    "generator"
                };
                Err(self.err("RuntimeError", format!("{kind} ignored GeneratorExit")))
            }
            Ok(GenStep::Return(_)) => Ok(Value::None),
            Err(e) => {
                if self.exc_matches(&e.0, "GeneratorExit")
                    || self.exc_matches(&e.0, "StopIteration")
                {
                    Ok(Value::None)
                } else {
                    Err(e)
                }
            }
        }
    }

    fn close_value(&mut self, v: &Value) -> PyResult<()> {
        match v {
            Value::Gen(g) => {
                let g = g.clone();
                self.gen_close(&g).map(|_| ())
            }
            _ => {
                let n = self.intern("close");
                if let Some(m) = self.get_attr_opt(v, &n)? {
                    self.call(&m, vec![], vec![])?;
                }
                Ok(())
            }
        }
    }

    /// SEND: pass `v` to the receiver of a `yield from`/`await`.
    pub fn send_to(&mut self, recv: &Value, v: Value) -> PyResult<GenStep> {
        match recv {
            // No clone: `recv` is borrowed for the whole call, which keeps the generator alive.
            Value::Gen(g) => self.gen_resume(g, v, None),
            _ => {
                let r = if v.is_none() {
                    self.next(recv).map(|o| o.ok_or(()))
                } else {
                    let n = self.intern("send");
                    let m = self.get_attr(recv, &n)?;
                    self.call1(&m, v).map(Ok)
                };
                match r {
                    Ok(Ok(y)) => Ok(GenStep::Yield(y)),
                    Ok(Err(())) => Ok(GenStep::Return(
                        self.last_stop_value.take().unwrap_or(Value::None),
                    )),
                    Err(e) => {
                        if self.exc_matches(&e.0, "StopIteration") {
                            let n = self.intern("value");
                            let val = self.get_attr(&e.0, &n)?;
                            Ok(GenStep::Return(val))
                        } else {
                            Err(e)
                        }
                    }
                }
            }
        }
    }

    /// GET_AWAITABLE: takes the awaited value and gives back what SEND will drive (the
    /// value itself for a coroutine or generator, no refcount round trip).
    /// GET_AWAITABLE: a coroutine or generator that is not suspended at an `await`/`yield
    /// from` (the usual `await coro()`, just created) is its own awaitable, checked inline;
    /// everything else goes to `get_awaitable_slow`.
    #[inline(always)]
    pub fn get_awaitable(&mut self, v: Value) -> PyResult<Value> {
        if let Value::Gen(g) = &v
            && g.state.get() != GenState::Suspended
        {
            // Not suspended: no delegate (`Generator::delegate` would say `Null`).
            return Ok(v);
        }
        self.get_awaitable_slow(v)
    }

    #[inline(never)]
    fn get_awaitable_slow(&mut self, v: Value) -> PyResult<Value> {
        match &v {
            // Generators are accepted too: `types.coroutine` (which marks generator
            // functions as awaitable) is modelled as the identity decorator.
            Value::Gen(g) => {
                if !g.delegate().is_null() {
                    // Already being awaited elsewhere.
                    return Err(self.err("RuntimeError", "coroutine is being awaited already"));
                }
                Ok(v)
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.class_lookup(&cls, "__await__") {
                    Some(f) => {
                        let it = self.call1(&f, v.clone())?;
                        if matches!(&it, Value::Gen(g) if g.is_coroutine) {
                            return Err(self.type_error("__await__() returned a coroutine"));
                        }
                        Ok(it)
                    }
                    None => Err(self.type_error(format!("'{}' object can't be awaited", cls.name))),
                }
            }
            _ => {
                let tn = self.type_name(&v);
                Err(self.type_error(format!("'{tn}' object can't be awaited")))
            }
        }
    }
}

impl Vm {
    /// The exception being handled, as `sys.exception()` sees it: the running code's own, or
    /// if it has none (a generator outside its handlers), the nearest resumer's that has one
    /// (CPython's `_PyErr_GetTopmostException`). `Null` when none, never `None`.
    pub fn handled_exc(&self) -> Value {
        std::iter::once(&self.cur_exc)
            .chain(self.exc_outer.iter().rev())
            .find(|v| !v.is_null() && !v.is_none())
            .cloned()
            .unwrap_or_default()
    }
}

impl Vm {
    /// A call of generator/coroutine code with a `gen_start` (see `CodeCache`): runs its
    /// prologue (MAKE_CELL, COPY_FREE_VARS) on the bound `locals` and wraps the frame, left
    /// just after RETURN_GENERATOR as the dispatch loop would leave it, in a generator. This
    /// skips an entry into the dispatch loop per generator created (every genexpr, every
    /// coroutine call).
    #[inline(never)]
    pub(crate) fn start_generator(
        &mut self,
        func: Rc<Function>,
        mut locals: Vec<Value>,
        at: usize,
    ) -> Value {
        for ins in &func.code.instructions[..at] {
            let arg = ins.arg() as usize;
            match ins.op() {
                Opcode::MAKE_CELL => crate::frame::make_cell(&mut locals[arg]),
                // `gen_start` admits nothing else.
                _ => crate::frame::copy_free_vars(&mut locals, &func.closure.borrow(), arg),
            }
        }
        let mut frame = Frame::new(func, locals, None);
        frame.lasti = at;
        frame.pc = at + 1;
        self.make_generator(frame)
    }
}

/// `CodeCache::gen_start` of `code`: where its RETURN_GENERATOR is, when only MAKE_CELL and
/// COPY_FREE_VARS come before it.
pub(crate) fn gen_start(code: &vigil_compiler::bytecode::CodeObject) -> Option<usize> {
    let at = code
        .instructions
        .iter()
        .position(|i| !matches!(i.op(), Opcode::MAKE_CELL | Opcode::COPY_FREE_VARS))?;
    (code.instructions[at].op() == Opcode::RETURN_GENERATOR).then_some(at)
}

/// A suspended generator that was dropped while a `try` block still covered its yield:
/// CPython closes it at that moment (running its `finally`/`except GeneratorExit`). `Drop`
/// cannot reach the VM, so the frame is queued here and the VM closes it at its next
/// drain point (popping or overwriting a generator, returning from a function, ending the
/// program).
struct Abandoned {
    frame: Box<Frame>,
    exc: Value,
    is_coroutine: bool,
    name: Rc<PyStr>,
    qualname: Rc<PyStr>,
}

thread_local! {
    static ABANDONED: RefCell<Vec<Abandoned>> = const { RefCell::new(Vec::new()) };
    static HAS_ABANDONED: Cell<bool> = const { Cell::new(false) };
}

impl Generator {
    /// The sub-iterator a suspended `yield from`/`await` delegates to, or `Null` (CPython's
    /// `_PyGen_yf`: only a generator suspended at such a yield has one, so a running one
    /// reports none). It is the top of the suspended frame's stack, so resuming records
    /// nothing per value passed through.
    pub fn delegate(&self) -> Value {
        if self.state.get() != GenState::Suspended {
            return Value::Null;
        }
        let fr = self.frame.take();
        let d = match fr.as_deref() {
            Some(f) if is_delegating(f) => f.slots.last().cloned().unwrap_or_default(),
            _ => Value::Null,
        };
        self.frame.set(fr);
        d
    }
}

/// Whether a suspended `frame` stopped at the yield of a `yield from`/`await` (YIELD_VALUE
/// with oparg 1), with its delegate on top of its stack.
fn is_delegating(frame: &Frame) -> bool {
    let at = frame.pc.wrapping_sub(1);
    frame
        .code()
        .instructions
        .get(at)
        .is_some_and(|i| i.op() == Opcode::YIELD_VALUE && i.arg() == 1)
}

/// Whether closing a generator suspended in `frame` would run any code (CPython 3.13 skips
/// generators whose yield is covered only by the implicit StopIteration wrapper).
fn close_runs_code(frame: &Frame) -> bool {
    let at = frame.pc.saturating_sub(1) as u32;
    match frame.code().handler_for(at) {
        None => false,
        Some(h) => {
            let hi = frame.code().instructions[h.handler as usize];
            !(hi.op() == Opcode::CALL_INTRINSIC_1
                && hi.arg() == vigil_compiler::bytecode::intrinsic1::STOPITERATION_ERROR)
        }
    }
}

impl Drop for Generator {
    fn drop(&mut self) {
        if self.state.get() != GenState::Suspended {
            return;
        }
        let Some(frame) = self.frame.get_mut().take() else {
            return;
        };
        if !close_runs_code(&frame) && !is_delegating(&frame) {
            return;
        }
        let item = Abandoned {
            frame,
            exc: self.exc.take(),
            is_coroutine: self.is_coroutine,
            name: self.name.clone(),
            qualname: self.qualname.clone(),
        };
        // During thread teardown the queue may already be gone: then there is nothing to run.
        let _ = ABANDONED.try_with(|q| q.borrow_mut().push(item));
        let _ = HAS_ABANDONED.try_with(|f| f.set(true));
    }
}

impl Vm {
    /// Drops `old`, the value a fast-local store (STORE_FAST and the two-slot stores) just
    /// replaced. A generator is closed at once if that was its last reference (CPython's
    /// refcounting runs its `finally` before the next instruction); that path is out of line
    /// and cold, so a store pays one tag test for the common case.
    #[inline(always)]
    pub(crate) fn drop_local(&mut self, old: Value) {
        if let Value::Gen(_) = old {
            self.discard_gen(old);
        } else {
            old.discard();
        }
    }

    #[cold]
    #[inline(never)]
    fn discard_gen(&mut self, old: Value) {
        drop(old);
        self.drain_abandoned();
    }

    /// Closes generators queued by `Drop` (see `Abandoned`). Errors are reported the way
    /// CPython reports exceptions in finalizers and otherwise ignored.
    #[inline]
    pub fn drain_abandoned(&mut self) {
        if HAS_ABANDONED.with(|f| f.get()) {
            self.drain_abandoned_slow();
        }
    }

    #[inline(never)]
    fn drain_abandoned_slow(&mut self) {
        loop {
            HAS_ABANDONED.with(|f| f.set(false));
            let items = ABANDONED.with(|q| std::mem::take(&mut *q.borrow_mut()));
            if items.is_empty() {
                return;
            }
            for a in items {
                let code = a.frame.code().clone();
                let g = Rc::new(Generator {
                    frame: Cell::new(Some(a.frame)),
                    state: Cell::new(GenState::Suspended),
                    is_coroutine: a.is_coroutine,
                    name: a.name,
                    qualname: a.qualname,
                    code,
                    exc: Cell::new(a.exc),
                });
                if let Err(e) = self.gen_close(&g) {
                    let what = self.repr(&Value::Gen(g.clone())).unwrap_or_default();
                    let text = self.format_exception(&e.0);
                    self.write_err(&format!("Exception ignored in: {what}\n{text}"));
                }
            }
        }
    }
}
