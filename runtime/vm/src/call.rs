//! Calling: the generic `Vm::call`, the CALL/CALL_KW fast path straight from the value stack,
//! argument binding with CPython's error messages, function objects (MAKE_FUNCTION), class
//! instantiation (`__new__`/`__init__`) and class creation (`__build_class__`). The recursion
//! limit is enforced here, on every Python-level frame entry.

use crate::dict::Table;
use crate::frame::{Exit, Frame, StackPush};
use crate::value::*;
use crate::vm::{PyResult, Vm};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use vigil_compiler::bytecode::co_flags;

pub type KwArgs = Vec<(Rc<PyStr>, Value)>;

/// `pooled_vec` when the pool is empty: out of line, so the inlined call path keeps only the
/// pop.
#[cold]
#[inline(never)]
fn new_pooled() -> Vec<Value> {
    Vec::with_capacity(POOLED_MIN)
}

/// `Vm::pooled_raw` when the pooled vector is short of `need` (or the pool was empty).
#[cold]
#[inline(never)]
fn pooled_grow(v: Vec<Value>, need: usize) -> (*mut Value, usize) {
    let mut v = std::mem::ManuallyDrop::new(v);
    v.reserve(need);
    (v.as_mut_ptr(), v.capacity())
}

/// How many emptied vectors `Vm::vec_pool` keeps (its capacity, set once at start).
pub(crate) const VEC_POOL: usize = 64;

/// The capacity a vector for the pool is made with when the pool is empty: room for the slots
/// of most frames, so that a vector first used for a builtin's two or three arguments is not
/// grown by `realloc` when a Python frame takes it from the pool next.
const POOLED_MIN: usize = 16;

impl Vm {
    pub fn call(&mut self, f: &Value, mut args: Vec<Value>, kwargs: KwArgs) -> PyResult<Value> {
        match f {
            Value::Function(func) => self.call_function(func, args, kwargs),
            Value::Builtin(b) => {
                if let Some(bound) = &b.bound {
                    args.insert(0, bound.clone());
                }
                let r = (b.f)(self, &args, &kwargs);
                #[cfg(feature = "monitoring")]
                if r.is_err() {
                    self.mon_native_failed();
                }
                // Back to the pool: `call1`/`call2` took the vector from there.
                self.recycle(args);
                r
            }
            Value::Method(m) => {
                args.insert(0, m.0.clone());
                let func = m.1.clone();
                self.call(&func, args, kwargs)
            }
            Value::Class(c) => {
                let c = c.clone();
                self.call_class(&c, args, kwargs)
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.class_lookup(&cls, "__call__") {
                    Some(m) => {
                        args.insert(0, f.clone());
                        self.call(&m, args, kwargs)
                    }
                    None => Err(self.type_error(format!("'{}' object is not callable", cls.name))),
                }
            }
            Value::StaticMethod(inner) => {
                let inner = (**inner).clone();
                self.call(&inner, args, kwargs)
            }
            _ => {
                let tn = self.type_name(f);
                Err(self.type_error(format!("'{tn}' object is not callable")))
            }
        }
    }

    /// CALL_KW: a Python function (or a bound method object of one) binds straight from the
    /// stack (`call_bind_on_stack`); anything else goes the general way.
    #[inline(never)]
    pub(crate) fn call_keywords(
        &mut self,
        f: &mut Frame,
        base: usize,
        argc: usize,
        kwnames: Option<Value>,
    ) -> PyResult<()> {
        if let Value::Method(m) = &f.slots[base]
            && f.slots[base + 1].is_null()
            && matches!(m.1, Value::Function(_))
        {
            let (recv, callee) = (m.0.clone(), m.1.clone());
            f.slots[base + 1] = recv;
            f.slots[base] = callee;
        }
        let v = 'v: {
            match &f.slots[base] {
                Value::Function(func) if func.call.simple_argc != u32::MAX => {
                    return self.call_kw_simple(f, base, argc, kwnames);
                }
                Value::Function(_) => break 'v self.call_bind_on_stack(f, base, argc, kwnames)?,
                Value::Class(cls) if f.slots[base + 1].is_null() => {
                    if let Some(init) = python_init(cls) {
                        break 'v self.instantiate_bound(f, base, argc, init, kwnames)?;
                    }
                }
                _ => {}
            }
            self.call_from_stack_general(f, base, argc, kwnames)?
        };
        f.slots.put(v);
        Ok(())
    }

    /// `call_bind_on_stack` for the fast binders' unusual cases (`call_kw_simple`,
    /// `call_defaults`), its result pushed as theirs is (see `call_positional`).
    #[inline(never)]
    fn bind_on_stack_push(
        &mut self,
        f: &mut Frame,
        base: usize,
        argc: usize,
        kwnames: Option<Value>,
    ) -> PyResult<()> {
        let v = self.call_bind_on_stack(f, base, argc, kwnames)?;
        f.slots.put(v);
        Ok(())
    }

    /// A class call that `instantiate_simple` does not take (keywords, defaults, keyword-only
    /// parameters) of a class `python_init` admits: the new instance goes into the self
    /// slot and `__init__` into the callable's, and the call binds as a method call of
    /// `__init__` would (`call_bind_on_stack`, which leaves errors to `bind_args`: their
    /// texts name `__init__`, as CPython's do), instead of the general path's argument
    /// vector, keyword list and constructor lookup.
    #[inline(never)]
    fn instantiate_bound(
        &mut self,
        f: &mut Frame,
        base: usize,
        argc: usize,
        init: Rc<Function>,
        kwnames: Option<Value>,
    ) -> PyResult<Value> {
        let obj = seat_instance(f, base, Value::Function(init));
        let r = self.call_bind_on_stack(f, base, argc, kwnames)?;
        self.init_returned(r, obj)
    }

    /// The instance a class call made, once its `__init__` returned `r`: CPython's TypeError
    /// when that is not None (`instantiate_simple`, `instantiate_bound`).
    #[inline(always)]
    fn init_returned(&mut self, r: Value, obj: Value) -> PyResult<Value> {
        if !r.is_none() {
            let tn = self.type_name(&r);
            return Err(self.type_error(format!("__init__() should return None, not '{tn}'")));
        }
        Ok(obj)
    }

    /// CALL without keywords: `[callable, self_or_null, args...]` at `f.slots[base..]`,
    /// replaced by the call's result. The loop's CALL arm calls this directly: no `kwnames`
    /// option to build, pass and test twice (its drop) per call. The result is pushed here
    /// rather than returned, and a plain Python call (`call_simple`) writes its frame's
    /// return value straight into the caller's stack slot: returned, the value went through
    /// four stack temporaries between the callee's RETURN_VALUE and the caller's stack
    /// (callgrind, a loop of `f(i, 1)`: see BENCHMARKS.md, session 16 CALLS).
    #[inline(never)]
    pub fn call_positional(&mut self, f: &mut Frame, base: usize, argc: usize) -> PyResult<()> {
        debug_assert!(base + 2 + argc == f.slots.len());
        // SAFETY: CALL's operands are on the stack: slots `base` and `base + 1` (the
        // callable and the self-or-NULL slot) lie below the length, as the assertion says.
        let (callee, self_slot) = unsafe {
            let p = f.slots.as_ptr();
            (&*p.add(base), &*p.add(base + 1))
        };
        // A bound method object with an empty self slot (`m = obj.meth; m(x)`): its
        // receiver goes into the self slot and its function becomes the callable, as
        // LOAD_ATTR's method form would have left them, so the paths below apply.
        if let Value::Method(m) = callee
            && self_slot.is_null()
        {
            let (recv, callee) = (m.0.clone(), m.1.clone());
            f.slots[base + 1] = recv;
            f.slots[base] = callee;
        }
        // SAFETY: as above (the swap kept the length).
        let (callee, self_slot) = unsafe {
            let p = f.slots.as_ptr();
            (&*p.add(base), &*p.add(base + 1))
        };
        if let Value::Function(func) = callee {
            let has_self = !self_slot.is_null();
            if func.call.simple_with(argc + has_self as usize) {
                // SAFETY: the function's `Rc` is moved out of slot `base` (in bounds: it was
                // just read) and `Null`, which owns nothing, written in its place, so the
                // reference is owned once, by `func`. Through `mem::take` the slot went
                // through a stack temporary and its variant was tested again.
                let func = unsafe {
                    let func = std::ptr::read(func);
                    f.slots.as_mut_ptr().add(base).write(Value::Null);
                    func
                };
                return self.call_simple::<Push<'_>>(f, base, func, has_self);
            }
        }
        if let Value::Function(func) = &f.slots[base]
            && func
                .call
                .short_by(argc + !f.slots[base + 1].is_null() as usize)
        {
            return self.call_defaults(f, base, argc);
        }
        let v = self.call_positional_other(f, base, argc)?;
        f.slots.put(v);
        Ok(())
    }

    /// `call_positional` of anything but a Python function that `call_simple` or
    /// `call_defaults` takes.
    #[inline(always)]
    fn call_positional_other(
        &mut self,
        f: &mut Frame,
        base: usize,
        argc: usize,
    ) -> PyResult<Value> {
        match &f.slots[base] {
            Value::Function(_) => {
                return self.call_bind_on_stack(f, base, argc, None);
            }
            Value::Builtin(b) if b.bound.is_none() => {
                return self.call_builtin_on_stack(f, base);
            }
            Value::Class(cls) if f.slots[base + 1].is_null() => {
                if let Some(init) = simple_init(cls, argc) {
                    return self.instantiate_simple(f, base, init);
                }
                if !matches!(cls.kind, Kind::User | Kind::Exception) {
                    return self.construct_on_stack(f, base);
                }
            }
            _ => {}
        }
        self.call_from_stack_general(f, base, argc, None)
    }

    /// CALL / CALL_KW of a Python function (`f.slots[base]`) whose call `call_simple` does not
    /// take: fewer positional arguments than parameters, keywords, keyword-only parameters.
    /// When the signature has no `*args` or `**kwargs` and the call binds without error, the
    /// arguments are moved from the caller's stack straight into the new frame's slots, the
    /// missing ones filled from the defaults: no argument vector, no keyword list, and each
    /// keyword found by address (both it and the parameter names are interned). Anything
    /// else (star parameters, an error to report, a missing keyword-only argument that
    /// `__kwdefaults__` would fill) goes to `call_from_stack_general`, whose `bind_args` has
    /// CPython's rules and messages: every test here is made before anything is moved.
    #[inline(never)]
    fn call_bind_on_stack(
        &mut self,
        f: &mut Frame,
        base: usize,
        argc: usize,
        kwnames: Option<Value>,
    ) -> PyResult<Value> {
        /// Keywords bound here at most; a call with more goes the general way.
        const MAX_KW: usize = 8;
        let Value::Function(func) = &f.slots[base] else {
            unreachable!("the caller matched a function")
        };
        let code = &func.code;
        let argcount = code.argcount as usize;
        let nparams = argcount + code.kwonlyargcount as usize;
        let names: &[Value] = match &kwnames {
            Some(Value::Tuple(t)) => t,
            _ => &[],
        };
        let nkw = names.len();
        let has_self = !f.slots[base + 1].is_null();
        let npos = argc + has_self as usize - nkw.min(argc);
        if code.flags & (co_flags::VARARGS | co_flags::VARKEYWORDS) != 0
            || npos > argcount
            || nkw > MAX_KW
            || nkw > argc
            || nparams >= 64
            || nparams > code.varnames.len()
        {
            return self.call_from_stack_general(f, base, argc, kwnames);
        }
        // Bit i: parameter i has a value (the positional ones, then each keyword's).
        let low = |n: usize| (1u64 << n) - 1;
        let mut given = low(npos);
        let mut target = [0u8; MAX_KW];
        let posonly = (code.posonlyargcount as usize).min(nparams);
        let params: &[Rc<PyStr>] = if nkw == 0 {
            &[]
        } else {
            // `nparams <= varnames.len()` (tested above), so these are its first `nparams`.
            self.param_names(func)
        };
        for (t, n) in names.iter().enumerate() {
            let Value::Str(k) = n else {
                return self.call_from_stack_general(f, base, argc, kwnames);
            };
            let mut found = params[posonly..].iter().position(|p| Rc::ptr_eq(p, k));
            // Two interned strings at different addresses differ: only a keyword name that
            // is not interned needs its text compared.
            if found.is_none() && !k.interned.get() {
                found = params[posonly..].iter().position(|p| p.s == k.s);
            }
            let Some(j) = found.map(|j| j + posonly) else {
                return self.call_from_stack_general(f, base, argc, kwnames);
            };
            if given & (1 << j) != 0 {
                return self.call_from_stack_general(f, base, argc, kwnames);
            }
            given |= 1 << j;
            target[t] = j as u8;
        }
        let first_default = argcount - func.defaults.borrow().len().min(argcount);
        // Required: the positional parameters without a default and every keyword-only one.
        let required = low(nparams) & !(low(argcount) & !low(first_default));
        let missing = required & !given;
        // Keyword-only parameters left out take their value from `__kwdefaults__`: checked
        // here, filled once the arguments are moved (`kwdefaults` both times). Out of line,
        // so that calls without such parameters pay one test: with the values carried in
        // an array here, those calls cost about 20 instructions more (callgrind).
        if missing != 0 && (missing & low(argcount) != 0 || !self.kwdefaults(func, missing, None)) {
            return self.call_from_stack_general(f, base, argc, kwnames);
        }
        let nlocals = (func.call.nlocals as usize).max(nparams);
        let stacksize = func.call.stacksize as usize;
        // SAFETY: the function's `Rc` is moved out of slot `base` (matched above) and `Null`
        // written in its place, so the reference is owned once, by `func`.
        let func = unsafe {
            let p = f.slots.as_mut_ptr().add(base);
            let Value::Function(func) = p.read() else {
                unreachable!("the caller matched a function")
            };
            p.write(Value::Null);
            func
        };
        let mut locals = self.pooled_vec();
        locals.reserve(nlocals + stacksize);
        let first = base + 2 - has_self as usize;
        let defaults = func.defaults.borrow();
        // SAFETY: `reserve` made room for `nlocals >= nparams > npos` values and every target
        // index is below `nparams`, so each write lands in the spare capacity of `locals`;
        // all of it up to `nlocals` is written once (positional moves, then a default or
        // `Null`) before the length covers it, and the keyword values overwrite `Null`s (a
        // given parameter gets no default), which own nothing. A default is read for
        // `first_default <= i < argcount` only, so within `defaults`; The sources
        // `first..first + npos + nkw` are the initialised tail of `f.slots` above `first`
        // (`argc` arguments, the receiver counted in `npos` when there is one), each read
        // once; the slots between `base` and `first` hold `Null`. `f.slots`'s length is then
        // cut to `base`, so none of the moved values is dropped twice.
        unsafe {
            let src = f.slots.as_ptr().add(first);
            let dst = locals.as_mut_ptr();
            for i in 0..npos {
                dst.add(i).write(src.add(i).read());
            }
            for i in npos..nlocals {
                let v = if i < argcount && i >= first_default && given & (1 << i) == 0 {
                    defaults.get_unchecked(i - first_default).clone()
                } else {
                    Value::Null
                };
                dst.add(i).write(v);
            }
            for (t, &j) in target[..nkw].iter().enumerate() {
                dst.add(j as usize).write(src.add(npos + t).read());
            }
            locals.set_len(nlocals);
            f.slots.set_len(base);
        }
        drop(defaults);
        if missing != 0 {
            let filled = self.kwdefaults(&func, missing, Some(&mut locals));
            debug_assert!(filled, "checked before the arguments moved");
        }
        drop(kwnames);
        self.run_function(func, locals)
    }

    /// CALL_KW of a Python function (`f.slots[base]`) with plain positional parameters
    /// (`CallShape::simple_argc`: no `*args`, `**kwargs` or keyword-only ones), the usual
    /// keyword call (`g(i, b=3)`, `g(a=i)`): each keyword is matched to its parameter by
    /// address (interned names; by text when the keyword is not interned), then the
    /// positional values and the keyword values are moved and the defaults cloned straight
    /// into the new frame's slots. `call_bind_on_stack` binds the same calls with the
    /// keyword-only parameters' bookkeeping on top, and cost 71 to 82 instructions more per
    /// call (callgrind, 200k calls each of `g(i, b=3)`, `g(a=i, b=2)`, `h(i, 2, c=4)`), about
    /// half of it the call from `call_keywords` that inlining this saves. Anything unusual
    /// (a duplicate or unknown keyword, a keyword naming a positional-only parameter, a
    /// missing argument, more than `MAX_KW` keywords) goes to that path, which leaves the errors to `bind_args` and its CPython texts: every test
    /// here is made before anything is moved.
    #[inline(always)]
    fn call_kw_simple(
        &mut self,
        f: &mut Frame,
        base: usize,
        argc: usize,
        kwnames: Option<Value>,
    ) -> PyResult<()> {
        /// Keywords bound here at most.
        const MAX_KW: usize = 8;
        let Value::Function(func) = &f.slots[base] else {
            unreachable!("the caller matched a function")
        };
        let Some(Value::Tuple(names)) = &kwnames else {
            return self.bind_on_stack_push(f, base, argc, kwnames);
        };
        let nkw = names.len();
        let has_self = !f.slots[base + 1].is_null();
        let nargs = argc + has_self as usize;
        let argcount = func.call.simple_argc as usize;
        if nkw > argc || nkw > MAX_KW || nargs > argcount || argcount >= 64 {
            return self.bind_on_stack_push(f, base, argc, kwnames);
        }
        let npos = nargs - nkw;
        let posonly = func.code.posonlyargcount as usize;
        let params = self.param_names(func);
        if params.len() < argcount {
            return self.bind_on_stack_push(f, base, argc, kwnames);
        }
        // Bit i: parameter i has a value (the positional ones, then each keyword's).
        let low = |n: usize| (1u64 << n) - 1;
        let mut given = low(npos);
        let mut target = [0u8; MAX_KW];
        for (t, n) in names.iter().enumerate() {
            let Value::Str(k) = n else {
                return self.bind_on_stack_push(f, base, argc, kwnames);
            };
            let mut found = params[posonly..argcount]
                .iter()
                .position(|p| Rc::ptr_eq(p, k));
            // Two interned strings at different addresses differ: only a keyword name that
            // is not interned needs its text compared.
            if found.is_none() && !k.interned.get() {
                found = params[posonly..argcount].iter().position(|p| p.s == k.s);
            }
            let Some(j) = found.map(|j| j + posonly) else {
                return self.bind_on_stack_push(f, base, argc, kwnames);
            };
            if given & (1 << j) != 0 {
                return self.bind_on_stack_push(f, base, argc, kwnames);
            }
            given |= 1 << j;
            target[t] = j as u8;
        }
        let defaults = func.defaults.borrow();
        let ndef = defaults.len().min(argcount);
        let first_default = argcount - ndef;
        if given & low(first_default) != low(first_default) {
            drop(defaults);
            return self.bind_on_stack_push(f, base, argc, kwnames);
        }
        let nlocals = (func.call.nlocals as usize).max(argcount);
        let (dst, cap) = self.pooled_raw(nlocals + func.call.stacksize as usize);
        let first = base + 2 - has_self as usize;
        // SAFETY: `pooled_raw` gave an empty allocation with room for `nlocals >= argcount`
        // values, and every index written is below `nlocals` (keyword targets are parameter
        // indices, below `argcount`). Each of `0..nlocals` is written exactly once before
        // the vector made over it covers it: `0..npos` by the positional moves, each
        // keyword target (a set bit of `given` at or above `npos`, distinct: a duplicate
        // went the general way) by its keyword's move, every other index of
        // `npos..argcount` by a default (`i >= first_default`, or `given` would have missed
        // a required parameter, so `i - first_default` lies within `defaults`), and
        // `argcount..nlocals` by `Null`. The sources `first..first + nargs` are the
        // initialised tail of `f.slots` (the receiver, the positional values, then the
        // keyword values in `names` order), each read once, and `f.slots`'s length is cut
        // to `base` in the same block, so none is dropped twice; the slots between `base`
        // and `first` are `Null` or the callable, which is moved out below.
        let (func, locals) = unsafe {
            let src = f.slots.as_ptr().add(first);
            for i in 0..npos {
                dst.add(i).write(src.add(i).read());
            }
            for i in npos..argcount {
                if given & (1 << i) == 0 {
                    dst.add(i)
                        .write(defaults.get_unchecked(i - first_default).clone());
                }
            }
            for i in argcount..nlocals {
                dst.add(i).write(Value::Null);
            }
            for (t, &j) in target[..nkw].iter().enumerate() {
                dst.add(j as usize).write(src.add(npos + t).read());
            }
            drop(defaults);
            take_built_frame(f, base, dst, nlocals, cap)
        };
        // The names are a constant of the caller's code, so their count stays above 1 and
        // `release` gives the reference up inline (`drop` called out of line for it).
        if let Some(k) = kwnames {
            k.release();
        }
        self.run_function_to(func, locals, Push::of(f))
    }

    /// Whether `func.__kwdefaults__` has a value for every keyword-only parameter whose bit
    /// is set in `missing`, and, given `locals`, writes those values there, where they are
    /// `Null` (`call_bind_on_stack` checks first, before anything is moved, then fills).
    #[inline(never)]
    fn kwdefaults(
        &mut self,
        func: &Rc<Function>,
        missing: u64,
        mut locals: Option<&mut [Value]>,
    ) -> bool {
        let kwd = func.kwdefaults.borrow();
        let Value::Dict(d) = &*kwd else {
            return false;
        };
        let params = self.param_names(func);
        let d = d.borrow();
        let mut bits = missing;
        while bits != 0 {
            let j = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let Some(v) = Vm::table_get_str(&d, &params[j]) else {
                return false;
            };
            if let Some(locals) = locals.as_deref_mut() {
                locals[j] = v;
            }
        }
        true
    }

    /// `CodeCache::params` of the function's code, interned on first use.
    fn param_names<'a>(&mut self, func: &'a Rc<Function>) -> &'a [Rc<PyStr>] {
        let code = &func.code;
        let n = ((code.argcount + code.kwonlyargcount) as usize).min(code.varnames.len());
        func.cache
            .params
            .get_or_init(|| code.varnames[..n].iter().map(|v| self.intern(v)).collect())
    }

    /// CALL and CALL_KW (`call_positional`, `call_keywords`) for everything their fast
    /// paths do not take (keywords, bound methods and receivers, other argument counts,
    /// other callables): the arguments are collected into a pooled vector. A function of
    /// its own so that the fast paths' function (which also holds an inlined Python call)
    /// stays small: its prologue, spills and stack frame are paid on every Python call.
    #[inline(never)]
    fn call_from_stack_general(
        &mut self,
        f: &mut Frame,
        base: usize,
        argc: usize,
        kwnames: Option<Value>,
    ) -> PyResult<Value> {
        // A positional class call `call_positional` left (its `__init__` has defaults or
        // keyword-only parameters). Tested here rather than there: in `call_positional` the
        // test moved its register allocation, and its calls of bound method objects cost 4
        // instructions more (callgrind, fannkuch 7: +0.13 %).
        if kwnames.is_none()
            && let Value::Class(cls) = &f.slots[base]
            && f.slots[base + 1].is_null()
            && let Some(init) = python_init(cls)
        {
            return self.instantiate_bound(f, base, argc, init, None);
        }
        let callable = std::mem::take(&mut f.slots[base]);
        let selfv = std::mem::take(&mut f.slots[base + 1]);
        let mut args: Vec<Value> = self.pooled_vec();
        // One spare slot for a bound receiver inserted in front.
        args.reserve(argc + 2);
        if !selfv.is_null() {
            args.push(selfv);
        }
        // A plain moving loop: `Vec::drain` costs more than the copy for a handful of args.
        for v in &mut f.slots[base + 2..] {
            args.push(std::mem::take(v));
        }
        f.slots.truncate(base);
        let mut kw = Vec::new();
        if let Some(Value::Tuple(names)) = kwnames {
            // The last `names.len()` arguments are the keywords' values, in order; moved
            // straight into `kw` (`split_off` allocated a vector for them on every call).
            let nk = names.len().min(args.len());
            kw.reserve(nk);
            let first = args.len() - nk;
            for (n, v) in names.iter().zip(args.drain(first..)) {
                if let Value::Str(s) = n {
                    kw.push((s.clone(), v));
                }
            }
        }
        match &callable {
            Value::Function(func) => self.call_function(func, args, kw),
            Value::Builtin(b) => self.call_builtin(b, args, &kw),
            Value::Method(m) => {
                args.insert(0, m.0.clone());
                match &m.1 {
                    Value::Builtin(b) => self.call_builtin(b, args, &kw),
                    func => self.call(func, args, kw),
                }
            }
            // Directly, not through `call`: builtin types (`tuple(genexpr)`) and classes the
            // fast path left come here, and each level is a prologue and a result copy.
            Value::Class(c) => self.call_class(c, args, kw),
            _ => self.call(&callable, args, kw),
        }
    }

    /// Calls a native function with `args` (a pooled vector), then gives the vector back to
    /// the pool: a builtin only borrows its arguments, and dropping the vector here instead
    /// would drain the pool, so that every later call allocated its argument vector afresh.
    fn call_builtin(&mut self, b: &Builtin, mut args: Vec<Value>, kw: &KwArgs) -> PyResult<Value> {
        if let Some(bound) = &b.bound {
            args.insert(0, bound.clone());
        }
        let r = (b.f)(self, &args, kw);
        #[cfg(feature = "monitoring")]
        if r.is_err() {
            self.mon_native_failed();
        }
        self.recycle(args);
        r
    }

    /// CALL of a native function with no bound receiver and no keywords: it reads its
    /// arguments (a method's receiver included, which LOAD_ATTR put in the self slot) where
    /// they lie on the caller's value stack, with no argument vector taken from the pool,
    /// filled and given back. The stack is cut back to `base` afterwards, on error too, so
    /// the arguments live exactly as long as they did in a vector.
    #[inline(never)]
    fn call_builtin_on_stack(&mut self, f: &mut Frame, base: usize) -> PyResult<Value> {
        let Value::Builtin(b) = std::mem::take(&mut f.slots[base]) else {
            unreachable!("the caller matched a builtin")
        };
        let first = base + 2 - (!f.slots[base + 1].is_null()) as usize;
        // A constant empty list: a temporary `Vec::new()` here left a call to the drop glue
        // of its (empty) items whenever that glue fell in another codegen unit.
        const NO_KWARGS: &KwArgs = &Vec::new();
        let r = (b.f)(self, &f.slots[first..], NO_KWARGS);
        #[cfg(feature = "monitoring")]
        if r.is_err() {
            self.mon_native_failed();
        }
        release_above(&mut f.slots, base);
        drop(b);
        r
    }

    /// CALL of a builtin type with no keywords (`tuple(genexpr)`, `range(n)`, `set(...)`):
    /// the constructor reads its arguments where they lie on the caller's value stack, as
    /// `call_builtin_on_stack` does for native functions, instead of going through the
    /// general path's pooled vector and `call_class`. The arguments are then released in
    /// order, as the vector would have released them, and a generator the constructor
    /// drained goes to `gen_pool` (`retire`), as `recycle_args` does.
    #[inline(never)]
    fn construct_on_stack(&mut self, f: &mut Frame, base: usize) -> PyResult<Value> {
        let Value::Class(cls) = std::mem::take(&mut f.slots[base]) else {
            unreachable!("the caller matched a class")
        };
        let r = crate::builtins::construct_builtin(self, &cls, &f.slots[base + 2..], Vec::new());
        // A builtin type's constructor is C code to CPython (`list(gen)`).
        #[cfg(feature = "monitoring")]
        if r.is_err() {
            self.mon_native_failed();
        }
        for i in base + 2..f.slots.len() {
            match std::mem::take(&mut f.slots[i]) {
                g @ Value::Gen(_) => self.retire(g),
                v => v.release(),
            }
        }
        // Everything from `base` on is `Null` now (the callable and the arguments were
        // taken, the self slot was empty): nothing left to drop.
        f.slots.truncate(base);
        drop(cls);
        r
    }

    /// A class call whose class has a Python `__init__` taking exactly the given positional
    /// arguments and no Python `__new__` (`simple_init`): the new instance goes into the
    /// self slot and `__init__` runs on the stack's arguments like a method call, with no
    /// argument vector, no shift to insert the instance and no binding pass.
    #[inline(never)]
    fn instantiate_simple(
        &mut self,
        f: &mut Frame,
        base: usize,
        init: Rc<Function>,
    ) -> PyResult<Value> {
        // The function is passed to `call_simple` itself; its slot is left empty.
        let obj = seat_instance(f, base, Value::Null);
        let r = self.call_simple::<Ret>(f, base, init, true)?;
        self.init_returned(r, obj)
    }

    /// CALL of a plain-positional Python function with exactly its argument count (the
    /// caller checked `simple_argc`): the arguments, `self` included, are moved from the
    /// caller's value stack straight into the new frame's first local slots, with no
    /// binding pass. `func` was taken off the stack and becomes the frame's own reference.
    /// Inlined into both callers (a plain call and `instantiate_simple`): as a function of its
    /// own it is one more native call level per Python call.
    ///
    /// `out` says where the result goes (`FrameOut`): returned, or pushed onto `f`'s stack.
    #[inline(always)]
    fn call_simple<'a, O: FrameOut<'a>>(
        &mut self,
        f: &'a mut Frame,
        base: usize,
        func: Rc<Function>,
        has_self: bool,
    ) -> PyResult<O::R> {
        let nlocals = func.call.nlocals as usize;
        // The first argument: `self` at base + 1, or the first explicit one at base + 2.
        let first = base + 2 - has_self as usize;
        let nargs = f.slots.len() - first;
        // Room for the value stack too: the vector becomes the frame's `slots`. `nlocals` is
        // the code's nlocalsplus, which counts the arguments; the `max` makes the writes
        // below stay in bounds whatever a code object claims.
        let nlocals = nlocals.max(nargs);
        let (dst, cap) = self.pooled_raw(nlocals + func.call.stacksize as usize);
        // SAFETY: `pooled_raw` gave an empty allocation with room for `nlocals >= nargs`
        // values, so every write lands in its spare capacity; the source range
        // `first..first + nargs` lies within `f.slots`'s initialised length. Each moved value
        // is owned by `locals`, the vector made over the `nlocals` written slots, and
        // `f.slots`'s length is cut to `base` in the same block so none is dropped twice.
        // The slots left out between `base` and `first` hold `Null` (the callable was
        // taken, and a missing `self` is the NULL marker), which owns nothing. Each arm of
        // the `match` below moves exactly `nargs` values (indices `0..nargs`). Moves rather
        // than `copy_nonoverlapping`: for the usual one to four arguments the call into
        // `memcpy` cost more than the moves.
        let locals = unsafe {
            let src = f.slots.as_ptr().add(first);
            // One to three arguments (almost every method call) as straight moves: the
            // vectorised loop LLVM makes of the general case costs about 20 instructions of
            // set-up for them.
            match nargs {
                0 => {}
                1 => dst.write(src.read()),
                2 => {
                    dst.write(src.read());
                    dst.add(1).write(src.add(1).read());
                }
                3 => {
                    dst.write(src.read());
                    dst.add(1).write(src.add(1).read());
                    dst.add(2).write(src.add(2).read());
                }
                _ => {
                    for i in 0..nargs {
                        dst.add(i).write(src.add(i).read());
                    }
                }
            }
            for i in nargs..nlocals {
                dst.add(i).write(Value::Null);
            }
            f.slots.set_len(base);
            Vec::from_raw_parts(dst, nlocals, cap)
        };
        self.run_function_to(func, locals, O::of(f))
    }

    /// CALL of a plain-positional Python function (`f.slots[base]`) with fewer positional
    /// values than parameters (`CallShape::short_by`), the rest taken from its defaults
    /// (`g(x)` of `def g(a, b=2)`, a method called without its optional arguments): the
    /// arguments are moved and the defaults cloned straight into the new frame's slots, as
    /// `call_simple` does for a full call. `call_bind_on_stack` does the same binding in
    /// general (keywords, keyword-only parameters), and cost about 125 instructions more
    /// per call for it (callgrind, a loop of `g(i)`: 695 → 570 per iteration). Too few
    /// defaults for the gap: that path, whose `bind_args` words the missing-argument
    /// error.
    #[inline(never)]
    fn call_defaults(&mut self, f: &mut Frame, base: usize, argc: usize) -> PyResult<()> {
        let Value::Function(func) = &f.slots[base] else {
            unreachable!("the caller matched a function")
        };
        let has_self = !f.slots[base + 1].is_null();
        let nargs = argc + has_self as usize;
        let argcount = func.call.simple_argc as usize;
        let defaults = func.defaults.borrow();
        let ndef = defaults.len();
        if argcount - nargs > ndef {
            drop(defaults);
            return self.bind_on_stack_push(f, base, argc, None);
        }
        let nlocals = (func.call.nlocals as usize).max(argcount);
        let (dst, cap) = self.pooled_raw(nlocals + func.call.stacksize as usize);
        let first = base + 2 - has_self as usize;
        // SAFETY: `pooled_raw` gave an empty allocation with room for `nlocals >= argcount
        // > nargs` values, so every write lands in its spare capacity, each of `0..nlocals`
        // written once before the vector made over it covers it. The sources `first..first +
        // nargs` are the initialised tail of `f.slots` (the arguments, the receiver
        // included), each read once, and `f.slots`'s length is cut to `base` in the same
        // block, so none is dropped twice; the slots between `base` and `first` are `Null`
        // or the callable, which is moved out below. Default `i - (argcount - ndef)` is
        // read for `nargs <= i < argcount`, within `defaults` (`argcount - nargs <= ndef`).
        let (func, locals) = unsafe {
            let src = f.slots.as_ptr().add(first);
            for i in 0..nargs {
                dst.add(i).write(src.add(i).read());
            }
            let skip = argcount - ndef;
            for i in nargs..argcount {
                dst.add(i).write(defaults.get_unchecked(i - skip).clone());
            }
            for i in argcount..nlocals {
                dst.add(i).write(Value::Null);
            }
            drop(defaults);
            take_built_frame(f, base, dst, nlocals, cap)
        };
        self.run_function_to(func, locals, Push::of(f))
    }

    /// Calls a Python function with an argument vector (the VM's own calls: dunders,
    /// `__init__`, key functions, and the stack paths' leftovers).
    pub fn call_function(
        &mut self,
        func: &Rc<Function>,
        mut args: Vec<Value>,
        kwargs: KwArgs,
    ) -> PyResult<Value> {
        // Exactly the parameters of a plain positional signature and no keywords (`call2`
        // of a dunder): the arguments are the first locals as they stand, as in
        // `call_simple`. An empty keyword list that never allocated is forgotten rather
        // than dropped (its drop glue was an out-of-line call per call).
        if kwargs.capacity() == 0 && func.call.simple_with(args.len()) {
            std::mem::forget(kwargs);
            let nargs = args.len();
            let nlocals = (func.call.nlocals as usize).max(nargs);
            let need = nlocals + func.call.stacksize as usize;
            if args.capacity() < need {
                // A caller's short `vec![...]`: its values move into a pooled vector, which
                // `recycle` keeps afterwards, rather than growing it by `realloc`.
                let mut pooled = self.pooled_vec();
                pooled.reserve(need);
                pooled.append(&mut args);
                args = pooled;
            }
            // SAFETY: `args.capacity() >= need >= nlocals`, so slots `nargs..nlocals` are
            // allocated; each is written once before the length covers it.
            unsafe {
                let p = args.as_mut_ptr();
                for i in nargs..nlocals {
                    p.add(i).write(Value::Null);
                }
                args.set_len(nlocals);
            }
            return self.run_function(func.clone(), args);
        }
        let mut locals = self.bind_args(func, args, kwargs)?;
        locals.reserve(func.code.stacksize as usize);
        self.run_function(func.clone(), locals)
    }

    /// Runs a Python function's new frame over its bound `locals` to its return (or wraps
    /// it in a generator), then gives the frame's vector back to the pool. `locals` becomes
    /// the frame's `slots` (locals, then the value stack), so the caller has reserved room
    /// for the value stack on top. Inlined into both callers: one Rust call level fewer per
    /// Python call.
    #[inline(always)]
    fn run_function(&mut self, func: Rc<Function>, locals: Vec<Value>) -> PyResult<Value> {
        self.run_function_to(func, locals, Ret)
    }

    /// `run_function` with its result given to `out` (`FrameOut`): a `Push` writes a plain
    /// return's value from the frame's exit straight to the caller's stack slot, before the
    /// frame is retired, instead of keeping it across that and returning it through the
    /// callers' result temporaries.
    #[inline(always)]
    fn run_function_to<'a, O: FrameOut<'a>>(
        &mut self,
        func: Rc<Function>,
        locals: Vec<Value>,
        out: O,
    ) -> PyResult<O::R> {
        if self.depth >= self.recursion_limit {
            self.recycle(locals);
            return Err(self.err("RecursionError", "maximum recursion depth exceeded"));
        }
        if let Some(at) = func.cache.gen_start {
            let g = self.start_generator(func, locals, at);
            return Ok(out.give(g));
        }
        let mut frame = Frame::new(func, locals, None);
        self.depth += 1;
        let r = self.run_frame(&mut frame, None);
        self.depth -= 1;
        // The usual way out first, with nothing else in this (inlined) body: the other
        // outcomes moved the `PyResult` through two more stack copies on every call.
        if let Ok(Exit::Return(v)) = &r {
            // SAFETY: the value is moved out of `r`, which is forgotten right after, so it
            // is owned once (matching by value can leave a test of `r`'s variant, for its
            // drop, on the way out). The frame is forgotten right after it is retired,
            // untouched in between.
            let v = unsafe { std::ptr::read(v) };
            std::mem::forget(r);
            let v = out.give(v);
            unsafe { frame.retire_in_place(self) };
            std::mem::forget(frame);
            self.drain_abandoned();
            return Ok(v);
        }
        let v = self.function_left(frame, r)?;
        Ok(out.give(v))
    }

    /// `run_function` after anything but a plain return: an exception, or RETURN_GENERATOR
    /// of a generator whose prologue `start_generator` does not run (the frame becomes the
    /// generator's).
    #[cold]
    #[inline(never)]
    fn function_left(&mut self, frame: Frame, r: PyResult<Exit>) -> PyResult<Value> {
        match r {
            Ok(Exit::Generator) => Ok(self.make_generator(frame)),
            other => {
                self.recycle(frame.into_slots());
                self.drain_abandoned();
                match other? {
                    Exit::Return(v) => Ok(v),
                    _ => Err(self.err("SystemError", "yield outside generator")),
                }
            }
        }
    }

    /// Calls `f` with the one positional argument `arg` and no keywords. The argument goes
    /// in a pooled vector, which a Python callee's frame takes over as its locals and value
    /// stack (a one-value `vec!` was grown twice on the way, by the binding and the frame's
    /// stack reserve); `__iter__`, `__enter__` and property getters are called this way.
    pub(crate) fn call1(&mut self, f: &Value, arg: Value) -> PyResult<Value> {
        let mut args = self.pooled_vec();
        args.push(arg);
        self.call_pooled(f, args)
    }

    /// `call` of a pooled argument vector with no keywords: a Python function goes to
    /// `call_function` directly, without `call`'s dispatch (its prologue and the keyword
    /// list passed through it).
    #[inline(always)]
    fn call_pooled(&mut self, f: &Value, args: Vec<Value>) -> PyResult<Value> {
        match f {
            Value::Function(func) => self.call_function(func, args, Vec::new()),
            _ => self.call(f, args, Vec::new()),
        }
    }

    /// `call1` with two positional arguments: binary and comparison dunders (`__add__`,
    /// `__eq__`, `__lt__` of a sort), `__getitem__`, `__getattr__`. A `vec![a, b]` was
    /// allocated and freed per call, and a Python callee's binding traded it for a pooled
    /// vector anyway.
    pub(crate) fn call2(&mut self, f: &Value, a: Value, b: Value) -> PyResult<Value> {
        let mut args = self.pooled_vec();
        args.push(a);
        args.push(b);
        self.call_pooled(f, args)
    }

    /// `call1` with three positional arguments (`__setitem__`, a descriptor's `__get__`
    /// and `__set__`).
    pub(crate) fn call3(&mut self, f: &Value, a: Value, b: Value, c: Value) -> PyResult<Value> {
        let mut args = self.pooled_vec();
        args.push(a);
        args.push(b);
        args.push(c);
        self.call_pooled(f, args)
    }

    /// `pooled_vec` with room for `need` values, taken apart into its pointer and
    /// capacity (it is empty): the call paths fill it through the pointer and put it
    /// together once, for the frame. As a whole vector it went through the native stack
    /// between the pool, the capacity test and the frame (callgrind: 8 instructions per
    /// call). The caller owns the allocation: it rebuilds the vector with
    /// `Vec::from_raw_parts` over the values it wrote.
    #[inline(always)]
    fn pooled_raw(&mut self, need: usize) -> (*mut Value, usize) {
        let n = self.vec_pool.len();
        if n > 0 {
            // SAFETY: slot `n - 1` holds a pooled vector, empty (so it owns no values); the
            // pool's length is cut before anyone can see it, so its allocation is taken over
            // exactly once, by the caller. Its pointer and capacity are read in place: moved
            // out whole, the vector went through a stack temporary (callgrind: 5
            // instructions per call).
            let (p, cap) = unsafe {
                self.vec_pool.set_len(n - 1);
                let v = &mut *self.vec_pool.as_mut_ptr().add(n - 1);
                (v.as_mut_ptr(), v.capacity())
            };
            if cap >= need {
                return (p, cap);
            }
            // SAFETY: the parts of the pooled vector just taken (empty: pooled vectors are).
            return pooled_grow(unsafe { Vec::from_raw_parts(p, 0, cap) }, need);
        }
        pooled_grow(new_pooled(), need)
    }

    /// An empty vector from `vec_pool`, or a new one with room for `POOLED_MIN` values.
    #[inline(always)]
    fn pooled_vec(&mut self) -> Vec<Value> {
        match self.vec_pool.pop() {
            Some(v) => v,
            None => new_pooled(),
        }
    }

    /// Gives a vector back to `vec_pool`, emptied. Inlined (it runs once per Python call and
    /// per builtin call): as a function of its own its prologue cost about as much as its body.
    #[inline(always)]
    pub(crate) fn recycle(&mut self, v: Vec<Value>) {
        let mut v = std::mem::ManuallyDrop::new(v);
        // SAFETY: `v` is never used or dropped again; its parts go to `recycle_parts`.
        unsafe { self.recycle_parts(v.as_mut_ptr(), v.len(), v.capacity()) }
    }

    /// `recycle` of a vector taken apart into pointer, length and capacity (see
    /// `Frame::retire`): it is rebuilt only to go into the pool, or to be dropped.
    ///
    /// # Safety
    /// The parts are those of a live `Vec<Value>` that nothing else owns or uses again.
    #[inline(always)]
    pub(crate) unsafe fn recycle_parts(&mut self, p: *mut Value, len: usize, cap: usize) {
        // The pool is created with room for `VEC_POOL` vectors and never pushed past its
        // capacity, so this push never grows it (`Vec::push` kept an out-of-line call here).
        let n = self.vec_pool.len();
        if n < self.vec_pool.capacity() && cap <= 256 {
            // Not `clear`: that runs the out-of-line drop glue for every slot, and most
            // slots of a finished frame are ints, floats, Null or references the caller
            // still holds (`release` gives those up inline). Slot order, as CPython clears a
            // frame: a suspended generator dropped here is closed in that order.
            // SAFETY: the vector is owned here (the caller's contract), so each of its `len`
            // slots is read (moved out) exactly once; a panic part-way only leaks the rest.
            // `n < capacity`, so pool slot `n` is allocated and unused; the write
            // initialises it, with the same allocation emptied, before the length covers it.
            unsafe {
                for i in 0..len {
                    p.add(i).read().release();
                }
                self.vec_pool
                    .as_mut_ptr()
                    .add(n)
                    .write(Vec::from_raw_parts(p, 0, cap));
                self.vec_pool.set_len(n + 1);
            }
        } else {
            // SAFETY: the parts are a live vector's, owned here.
            drop(unsafe { Vec::from_raw_parts(p, len, cap) });
        }
    }

    /// Wraps a function's frame, stopped after its RETURN_GENERATOR, in a generator object.
    /// The function is read through the frame (no reference of its own: a clone and a drop
    /// per generator before). Inlined into `start_generator`, its one hot caller: one native
    /// call level per generator or coroutine made.
    #[inline(always)]
    pub(crate) fn make_generator(&mut self, frame: Frame) -> Value {
        let frame = match self.frame_pool.pop() {
            Some(b) => Box::write(b, frame),
            None => Box::new(frame),
        };
        let func = frame.function();
        let is_coroutine = func.code.flags & co_flags::COROUTINE != 0;
        // A retired generator object (see `Vm::gen_pool`) takes the new one in its place. It
        // is finished, so it holds no frame (`gen_finished` took it) and no exception state
        // (`gen_resume` took it at the last resume): it is refilled field by field, and the
        // name, qualname and code it keeps when they are the function's own (a coroutine
        // calling itself, a genexpr made again) are not cloned and dropped. Assigning a
        // whole new `Generator` ran its out-of-line drop glue and `Drop` for the old one.
        if let Some(mut rc) = self.gen_pool.pop()
            && let Some(slot) = Rc::get_mut(&mut rc)
        {
            slot.state.set(GenState::Created);
            slot.is_coroutine = is_coroutine;
            if !Rc::ptr_eq(&slot.code, &func.code) {
                slot.code = func.code.clone();
            }
            match &*func.name.borrow() {
                Value::Str(s) if Rc::ptr_eq(s, &slot.name) => {}
                Value::Str(s) => slot.name = s.clone(),
                _ => slot.name = Rc::new(PyStr::new(&*func.code.name)),
            }
            match &*func.qualname.borrow() {
                Value::Str(s) if Rc::ptr_eq(s, &slot.qualname) => {}
                Value::Str(s) => slot.qualname = s.clone(),
                _ => slot.qualname = Rc::new(PyStr::new(&*func.code.qualname)),
            }
            slot.exc.replace(Value::Null).discard();
            slot.frame.set(Some(frame));
            return Value::Gen(rc);
        }
        let code = func.code.clone();
        // The function's name objects are shared (a refcount each): copying them into
        // fresh strings cost two allocations per generator in coroutine-heavy programs.
        let name = match &*func.name.borrow() {
            Value::Str(s) => s.clone(),
            _ => Rc::new(PyStr::new(&*code.name)),
        };
        let qualname = match &*func.qualname.borrow() {
            Value::Str(s) => s.clone(),
            _ => Rc::new(PyStr::new(&*code.qualname)),
        };
        Value::Gen(Rc::new(Generator {
            frame: Cell::new(Some(frame)),
            state: Cell::new(GenState::Created),
            is_coroutine,
            name,
            qualname,
            code,
            exc: Cell::new(Value::Null),
        }))
    }

    /// Binds call arguments to a fresh localsplus vector, following CPython's rules and
    /// error messages.
    pub fn bind_args(
        &mut self,
        func: &Rc<Function>,
        mut args: Vec<Value>,
        kwargs: KwArgs,
    ) -> PyResult<Vec<Value>> {
        let code = &func.code;
        let nlocals = code.nlocalsplus();
        let argcount = code.argcount as usize;
        let kwonly = code.kwonlyargcount as usize;
        let has_varargs = code.flags & co_flags::VARARGS != 0;
        let has_varkw = code.flags & co_flags::VARKEYWORDS != 0;
        // Fast path: exact positional call, no keywords, no star parameters.
        if kwargs.is_empty() && args.len() == argcount && kwonly == 0 && !has_varargs && !has_varkw
        {
            // Room for the value stack too (`call_function` reserves it). A caller's short
            // `vec![...]` trades places with a pooled vector (its values moved, its block
            // freed) rather than being grown by `realloc`, which copies and costs more.
            let need = nlocals + code.stacksize as usize;
            if args.capacity() < need {
                let mut pooled = self.pooled_vec();
                pooled.reserve(need);
                pooled.append(&mut args);
                args = pooled;
            }
            args.resize_with(nlocals, || Value::Null);
            return Ok(args);
        }
        let qual = code.qualname.clone();
        // From the pool, with room for the value stack too (`call_function` reserves it; a
        // vector of exactly `nlocals` was reallocated there), and `args`'s vector goes back
        // to the pool once its values are moved out.
        let mut locals = self.pooled_vec();
        locals.reserve(nlocals + code.stacksize as usize);
        locals.resize_with(nlocals, || Value::Null);
        let nargs = args.len();
        let mut extra = Vec::with_capacity(nargs.saturating_sub(argcount));
        for (i, a) in args.drain(..).enumerate() {
            if i < argcount {
                locals[i] = a;
            } else {
                extra.push(a);
            }
        }
        self.recycle(args);
        let mut slot = argcount + kwonly;
        if has_varargs {
            locals[slot] = Value::tuple(extra);
            slot += 1;
        } else if !extra.is_empty() {
            let defaults = func.defaults.borrow().len();
            let kw_given = kwargs
                .iter()
                .filter(|(k, _)| {
                    code.varnames[argcount..argcount + kwonly]
                        .iter()
                        .any(|n| **n == *k.s)
                })
                .count();
            let kwpart = if kw_given > 0 {
                format!(
                    " positional argument{} (and {kw_given} keyword-only argument{})",
                    if nargs == 1 { "" } else { "s" },
                    if kw_given == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            };
            let takes = if defaults > 0 {
                format!("from {} to {argcount}", argcount - defaults)
            } else {
                format!("{argcount}")
            };
            let msg = if kwpart.is_empty() {
                format!(
                    "{qual}() takes {takes} positional argument{} but {nargs} {} given",
                    if argcount == 1 && defaults == 0 {
                        ""
                    } else {
                        "s"
                    },
                    if nargs == 1 { "was" } else { "were" }
                )
            } else {
                format!(
                    "{qual}() takes {takes} positional argument{} but {nargs}{kwpart} were given",
                    if argcount == 1 && defaults == 0 {
                        ""
                    } else {
                        "s"
                    }
                )
            };
            return Err(self.type_error(msg));
        }
        let varkw = if has_varkw {
            let d = Rc::new(RefCell::new(Table::new()));
            locals[slot] = Value::Dict(d.clone());
            Some(d)
        } else {
            None
        };
        let posonly = code.posonlyargcount as usize;
        for (k, v) in kwargs {
            let mut found = None;
            for i in posonly..argcount + kwonly {
                if *code.varnames[i] == *k.s {
                    found = Some(i);
                    break;
                }
            }
            match found {
                Some(i) => {
                    if !locals[i].is_null() {
                        return Err(self.type_error(format!(
                            "{qual}() got multiple values for argument '{}'",
                            k.s
                        )));
                    }
                    locals[i] = v;
                }
                None => match &varkw {
                    Some(d) => Vm::table_set_str(&mut d.borrow_mut(), k, v),
                    None => {
                        if code.varnames[..posonly].iter().any(|n| **n == *k.s) {
                            return Err(self.type_error(format!(
                                "{qual}() got some positional-only arguments passed as keyword arguments: '{}'",
                                k.s
                            )));
                        }
                        return Err(self.type_error(format!(
                            "{qual}() got an unexpected keyword argument '{}'",
                            k.s
                        )));
                    }
                },
            }
        }
        // Defaults.
        let defaults = func.defaults.borrow();
        let first_default = argcount - defaults.len().min(argcount);
        let mut missing = Vec::new();
        for i in 0..argcount {
            if locals[i].is_null() {
                if i >= first_default {
                    locals[i] = defaults[i - first_default].clone();
                } else {
                    missing.push(code.varnames[i].to_string());
                }
            }
        }
        drop(defaults);
        if !missing.is_empty() {
            return Err(self.type_error(format!(
                "{qual}() missing {} required positional argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                name_list(&missing)
            )));
        }
        let kwd = func.kwdefaults.borrow().clone();
        #[allow(clippy::needless_range_loop)] // `i` also indexes code.varnames
        for i in argcount..argcount + kwonly {
            if locals[i].is_null() {
                let name = self.intern(&code.varnames[i]);
                if let Value::Dict(d) = &kwd
                    && let Some(v) = Vm::table_get_str(&d.borrow(), &name)
                {
                    locals[i] = v;
                    continue;
                }
                missing.push(code.varnames[i].to_string());
            }
        }
        if !missing.is_empty() {
            return Err(self.type_error(format!(
                "{qual}() missing {} required keyword-only argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                name_list(&missing)
            )));
        }
        Ok(locals)
    }

    pub fn make_function(&mut self, c: Value, f: &Frame) -> PyResult<Value> {
        let code = match c {
            Value::Code(c) => c,
            _ => return Err(self.type_error("MAKE_FUNCTION expects a code object")),
        };
        // A function object retired by `retire_function` takes the new one in its place. It
        // holds no closure, defaults, attributes or annotations (it was retired only so) and
        // the builtins table as its globals. One made from the same code (a genexpr made
        // again) keeps its code, cache, doc and name objects: only its globals and
        // `__module__` are written, and a renamed one gets its names back.
        if let Some(i) = self
            .fn_pool
            .iter()
            .rposition(|g| Rc::ptr_eq(&g.code, &code))
        {
            let mut rc = self.fn_pool.swap_remove(i);
            if let Some(fm) = Rc::get_mut(&mut rc) {
                drop(code);
                fm.globals = f.globals().clone();
                refill_str(fm.name.get_mut(), &fm.cache.name);
                refill_str(fm.qualname.get_mut(), &fm.cache.qualname);
                if fm.code.flags & DOC_FLAG != 0 || !fm.doc.get_mut().is_none() {
                    std::mem::replace(fm.doc.get_mut(), code_doc(&fm.code)).release();
                }
                let module = self.module_name(&fm.cache, f.globals());
                std::mem::replace(&mut fm.module, module).release();
                return Ok(Value::Function(rc));
            }
        }
        let cache = self.code_cache(&code);
        let module = self.module_name(&cache, f.globals());
        // No retired function of this code: a full pool gives up its oldest entry for it;
        // otherwise the others stay for their own code (nqueens alternates three genexprs;
        // taking whichever was retired last left the pool one deep and never matching).
        if self.fn_pool.len() == FN_POOL
            && let mut rc = self.fn_pool.swap_remove(0)
            && let Some(fm) = Rc::get_mut(&mut rc)
        {
            fm.code = code;
            fm.globals = f.globals().clone();
            refill_str(fm.name.get_mut(), &cache.name);
            refill_str(fm.qualname.get_mut(), &cache.qualname);
            std::mem::replace(fm.doc.get_mut(), code_doc(&fm.code)).release();
            std::mem::replace(&mut fm.module, module).release();
            fm.call = CallShape::of(&cache, &fm.code);
            fm.cache = cache;
            return Ok(Value::Function(rc));
        }
        let name = Value::Str(cache.name.clone());
        let qualname = Value::Str(cache.qualname.clone());
        let doc = code_doc(&code);
        Ok(Value::Function(Rc::new(Function {
            call: CallShape::of(&cache, &code),
            code,
            globals: f.globals().clone(),
            name: RefCell::new(name),
            qualname: RefCell::new(qualname),
            defaults: RefCell::new(Vec::new()),
            kwdefaults: RefCell::new(Value::None),
            closure: RefCell::new(Vec::new()),
            cache,
            attrs: RefCell::new(Vec::new()),
            doc: RefCell::new(doc),
            annotations: RefCell::new(Value::None),
            module,
        })))
    }

    /// The function of a finished generator frame (`gen_finished`): when nothing else refers
    /// to it and it holds nothing but what MAKE_FUNCTION gave it (no defaults, keyword
    /// defaults, attributes or annotations; str or None for its names, doc and module), its
    /// closure is let go now, as dropping it would, its globals reference is traded for the
    /// builtins table (alive as long as the VM, so no namespace outlives its last real
    /// reference), and the object goes to `fn_pool` for the next MAKE_FUNCTION instead of
    /// being freed. Anything else is dropped as before.
    #[inline(never)]
    pub(crate) fn retire_function(&mut self, mut func: Rc<Function>) {
        if self.fn_pool.len() < FN_POOL
            && let Some(fm) = Rc::get_mut(&mut func)
            && fm.defaults.get_mut().is_empty()
            && fm.kwdefaults.get_mut().is_none()
            && fm.attrs.get_mut().is_empty()
            && fm.annotations.get_mut().is_none()
            && inert(fm.name.get_mut())
            && inert(fm.qualname.get_mut())
            && inert(fm.doc.get_mut())
            && inert(&fm.module)
        {
            // The cells go now; the buffer stays for the next closure (`set_closure`).
            fm.closure.get_mut().clear();
            if !Rc::ptr_eq(&fm.globals, &self.builtins) {
                fm.globals = self.builtins.clone();
            }
            self.fn_pool.push(func);
        }
    }

    /// The `__module__` of a function made from `cache`'s code in `globals`: the globals'
    /// `__name__` (None without one), from the code's one-entry cache while the table is
    /// unchanged since it was filled.
    fn module_name(
        &mut self,
        cache: &crate::frame::CodeCache,
        globals: &Rc<RefCell<Table>>,
    ) -> Value {
        let addr = Rc::as_ptr(globals) as usize;
        let version = globals.borrow().version();
        {
            let c = cache.module_name.borrow();
            if c.0 == addr && c.1 == version && !c.2.is_null() {
                return c.2.clone();
            }
        }
        let n = self.intern_static("__name__");
        let module = Vm::table_get_str(&globals.borrow(), &n).unwrap_or(Value::None);
        *cache.module_name.borrow_mut() = (addr, version, module.clone());
        module
    }

    /// Instantiates a class: builtin constructors, exceptions, or `__new__` + `__init__`.
    pub fn call_class(
        &mut self,
        cls: &Rc<Class>,
        args: Vec<Value>,
        kwargs: KwArgs,
    ) -> PyResult<Value> {
        match cls.kind {
            Kind::User | Kind::Exception => {}
            _ => {
                let r = crate::builtins::construct_builtin(self, cls, &args, kwargs);
                // The arguments only lent: the vector goes back to the pool, and a generator
                // the constructor drained (`tuple(genexpr)`) to `gen_pool` (`recycle_args`).
                self.recycle_args(args);
                // A builtin type's constructor is C code to CPython (`list(gen)`).
                #[cfg(feature = "monitoring")]
                if r.is_err() {
                    self.mon_native_failed();
                }
                return r;
            }
        }
        // `__new__`/`__init__` through the class's own cache: two dunder lookups per
        // instantiation otherwise (each a static-name intern and a method-cache probe).
        let cached = cls
            .layout
            .ctor
            .borrow()
            .as_ref()
            .filter(|c| c.version == cls.version.get())
            .cloned();
        let crate::shape::Ctor { new, init, .. } = match cached {
            Some(c) => c,
            None => {
                // A class with a metaclass (or a metaclass) never fills the cache, so the
                // fast paths never see it: its calls all come here (see `meta`).
                if cls.meta.is_some() || cls.base_kind == Kind::Type {
                    return self.call_class_meta(cls, args, kwargs);
                }
                let c = crate::shape::Ctor {
                    version: cls.version.get(),
                    new: self.class_lookup(cls, "__new__"),
                    init: self.class_lookup(cls, "__init__"),
                };
                *cls.layout.ctor.borrow_mut() = Some(c.clone());
                c
            }
        };
        self.construct(cls, new, init, args, kwargs)
    }

    /// The rest of `call_class` once `__new__` and `__init__` are known (also
    /// `type.__call__`'s, which finds them without the cache).
    #[inline(always)]
    pub(crate) fn construct(
        &mut self,
        cls: &Rc<Class>,
        new: Option<Value>,
        init: Option<Value>,
        args: Vec<Value>,
        kwargs: KwArgs,
    ) -> PyResult<Value> {
        let has_new = new.is_some();
        let obj = match new {
            Some(nf @ (Value::Function(_) | Value::StaticMethod(_))) => {
                let mut a = vec![Value::Class(cls.clone())];
                a.extend(args.iter().cloned());
                let o = self.call(&nf, a, kwargs.clone())?;
                // __init__ runs only when __new__ returned an instance of cls.
                let t = self.type_of(&o);
                if !crate::vm::is_subclass(&t, cls) {
                    return Ok(o);
                }
                o
            }
            _ => self.new_instance(cls, &args),
        };
        match init {
            // The `__init__` of a builtin base (`dict.__init__` filling the new dict).
            Some(init @ Value::Builtin(_)) if crate::subclass::needs_base(cls) => {
                let mut a = args;
                a.insert(0, obj.clone());
                self.call(&init, a, kwargs)?;
            }
            Some(init @ Value::Function(_)) => {
                // The caller's (usually pooled) vector carries on as `__init__`'s locals, so
                // it returns to the pool when that frame ends.
                let mut a = args;
                a.insert(0, obj.clone());
                let r = self.call(&init, a, kwargs)?;
                if !r.is_none() {
                    let tn = self.type_name(&r);
                    return Err(
                        self.type_error(format!("__init__() should return None, not '{tn}'"))
                    );
                }
            }
            _ => {
                if cls.kind == Kind::User && (!args.is_empty() || !kwargs.is_empty()) && !has_new {
                    return Err(self.type_error(format!("{}() takes no arguments", cls.name)));
                }
            }
        }
        Ok(obj)
    }

    pub fn new_instance(&mut self, cls: &Rc<Class>, args: &[Value]) -> Value {
        if crate::subclass::needs_base(cls) {
            let base = self.empty_base(cls.base_kind);
            return self.subclass_instance(cls, base);
        }
        let exc = if cls.kind == Kind::Exception {
            Some(Box::new(Native::Exc(ExcData {
                args: RefCell::new(Value::tuple(args.to_vec())),
                ..Default::default()
            })))
        } else {
            None
        };
        Value::Instance(Instance::new(cls.clone(), exc))
    }

    /// `__build_class__(func, name, *bases, **kw)`.
    pub fn build_class(
        &mut self,
        args: &[Value],
        kwargs: &[(Rc<PyStr>, Value)],
    ) -> PyResult<Value> {
        if args.len() < 2 {
            return Err(self.type_error("__build_class__: not enough arguments"));
        }
        let body = match &args[0] {
            Value::Function(f) => f.clone(),
            _ => return Err(self.type_error("__build_class__: func must be a function")),
        };
        let name = match &args[1] {
            Value::Str(s) => s.s.to_string(),
            _ => return Err(self.type_error("__build_class__: name is not a string")),
        };
        let mut bases = Vec::new();
        for b in &args[2..] {
            match b {
                Value::Class(c) => bases.push(c.clone()),
                _ => return Err(self.type_error("bases must be types")),
            }
        }
        // A metaclass (given, or a base's) takes the general way (see `meta`).
        if bases.iter().any(|b| b.meta.is_some())
            || kwargs.iter().any(|(k, _)| &*k.s == "metaclass")
        {
            let mut meta = None;
            let mut kw = Vec::new();
            for (k, v) in kwargs {
                if &*k.s == "metaclass" {
                    meta = Some(v.clone());
                } else {
                    kw.push((k.clone(), v.clone()));
                }
            }
            return self.build_class_meta(body, &name, bases, meta, kw);
        }
        let ns = Rc::new(RefCell::new(Table::new()));
        let ret = self.run_class_body(&body, ns.clone())?;
        let cls = self.new_class(&name, bases, ns)?;
        if let Value::Cell(c) = ret {
            *c.borrow_mut() = Value::Class(cls.clone());
        }
        self.class_created_hooks(&cls, kwargs)?;
        Ok(Value::Class(cls))
    }

    /// Runs a class body with `ns` as its namespace; returns what the body returned (the
    /// `__class__` cell, when methods use it).
    pub(crate) fn run_class_body(
        &mut self,
        body: &Rc<Function>,
        ns: Rc<RefCell<Table>>,
    ) -> PyResult<Value> {
        let code = body.code.clone();
        let n = code.nlocalsplus();
        let mut slots = Vec::with_capacity(n + code.stacksize as usize);
        slots.resize(n, Value::Null);
        let mut frame = Frame::new(body.clone(), slots, Some(ns));
        if self.depth >= self.recursion_limit {
            return Err(self.err("RecursionError", "maximum recursion depth exceeded"));
        }
        self.depth += 1;
        let r = self.run_frame(&mut frame, None);
        self.depth -= 1;
        Ok(match r? {
            Exit::Return(v) => v,
            _ => Value::None,
        })
    }

    /// What `type.__new__` does after creating a class: `__set_name__` on attribute values
    /// that define it, then the nearest base's `__init_subclass__` (an implicit classmethod)
    /// with the class keywords.
    pub(crate) fn class_created_hooks(
        &mut self,
        cls: &Rc<Class>,
        kwargs: &[(Rc<PyStr>, Value)],
    ) -> PyResult<()> {
        let entries: Vec<(Value, Value)> = cls
            .dict
            .borrow()
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect();
        for (k, v) in entries {
            if let Value::Instance(inst) = &v {
                let vc = inst.class.clone();
                if let Some(f) = self.class_lookup(&vc, "__set_name__") {
                    self.call(&f, vec![v.clone(), Value::Class(cls.clone()), k], vec![])?;
                }
            }
        }
        let name = self.intern("__init_subclass__");
        for base in cls.mro.iter() {
            let found = Vm::table_get_str(&base.dict.borrow(), &name);
            match found {
                Some(Value::Builtin(_)) | None => continue,
                Some(f) => {
                    let f = match f {
                        Value::ClassMethod(inner) => (*inner).clone(),
                        other => other,
                    };
                    let kw: Vec<(Rc<PyStr>, Value)> = kwargs
                        .iter()
                        .filter(|(k, _)| &*k.s != "metaclass")
                        .cloned()
                        .collect();
                    self.call(&f, vec![Value::Class(cls.clone())], kw)?;
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Creates a user class from a namespace.
    pub fn new_class(
        &mut self,
        name: &str,
        bases: Vec<Rc<Class>>,
        ns: Rc<RefCell<Table>>,
    ) -> PyResult<Rc<Class>> {
        self.new_class_meta(name, bases, ns, None)
    }

    /// `new_class` for a class whose metaclass is `meta` (`None`: `type`).
    pub fn new_class_meta(
        &mut self,
        name: &str,
        mut bases: Vec<Rc<Class>>,
        ns: Rc<RefCell<Table>>,
        meta: Option<Rc<Class>>,
    ) -> PyResult<Rc<Class>> {
        if bases.is_empty() {
            bases.push(self.types.object.clone());
        }
        let mut kind = Kind::User;
        let mut base_kind =
            crate::subclass::base_kind_of(&bases).map_err(|m| self.type_error(m))?;
        for b in &bases {
            match b.kind {
                Kind::Exception => {
                    if base_kind != Kind::Object && base_kind != Kind::Exception {
                        return Err(
                            self.type_error("multiple bases have instance lay-out conflict")
                        );
                    }
                    kind = Kind::Exception;
                    base_kind = Kind::Exception;
                }
                Kind::User | Kind::Object | Kind::Type => {}
                k if crate::subclass::subclassable(k) => {}
                // Types CPython itself refuses as bases.
                Kind::Bool
                | Kind::Range
                | Kind::Slice
                | Kind::NoneType
                | Kind::NotImplementedType
                | Kind::Ellipsis
                | Kind::Function
                | Kind::BuiltinFunction
                | Kind::Method
                | Kind::Generator
                | Kind::Coroutine
                | Kind::Code
                | Kind::Cell
                | Kind::Traceback
                | Kind::Frame => {
                    return Err(self
                        .type_error(format!("type '{}' is not an acceptable base type", b.name)));
                }
                _ => {
                    return Err(self.type_error(format!(
                        "vigil: subclassing the builtin type '{}' is not supported",
                        b.name
                    )));
                }
            }
        }
        // A subclass of `type` is a metaclass: its instances are classes (see `meta`).
        if bases
            .iter()
            .any(|b| b.kind == Kind::Type || (b.kind == Kind::User && b.base_kind == Kind::Type))
        {
            if base_kind != Kind::Object {
                return Err(self.type_error("multiple bases have instance lay-out conflict"));
            }
            base_kind = Kind::Type;
        }
        self.ready_subclassing(base_kind);
        let mro = self.compute_mro(&bases)?;
        let n_slots = self.intern("__slots__");
        let slots_v = Vm::table_get_str(&ns.borrow(), &n_slots);
        let mut slots = None;
        let mut own_slots = Vec::new();
        if let Some(sv) = slots_v {
            let names = match &sv {
                Value::Str(s) => vec![Value::Str(s.clone())],
                _ => self.collect(&sv)?,
            };
            let mut v: Vec<Rc<PyStr>> = Vec::new();
            let mut has_dict = false;
            for n in names {
                if let Value::Str(s) = n {
                    if &*s.s == "__dict__" {
                        has_dict = true;
                        continue;
                    }
                    if &*s.s == "__weakref__" {
                        continue;
                    }
                    v.push(self.intern(&s.s));
                }
            }
            own_slots = v.clone();
            // Inherit base slots; a base without __slots__ gives instances a __dict__.
            for b in &mro {
                match &b.slots {
                    Some(bs) => v.extend(bs.iter().cloned()),
                    None => {
                        if b.kind != Kind::Object {
                            has_dict = true;
                        }
                    }
                }
            }
            if !has_dict {
                slots = Some(v);
            }
        }
        let n_mod = self.intern("__module__");
        let module = match Vm::table_get_str(&ns.borrow(), &n_mod) {
            Some(Value::Str(s)) => s.s.to_string(),
            _ => "__main__".into(),
        };
        let n_qual = self.intern("__qualname__");
        let qualname = match Vm::table_get_str(&ns.borrow(), &n_qual) {
            Some(Value::Str(s)) => s.s.to_string(),
            _ => name.to_string(),
        };
        // CPython moves `__qualname__` out of the namespace into the type itself, so an
        // instance does not see it (`getattr(partial_obj, '__qualname__', None)` is None).
        Vm::table_del_str(&mut ns.borrow_mut(), &n_qual);
        // Defining __eq__ without __hash__ makes instances unhashable, as in CPython.
        let n_eq = self.intern("__eq__");
        let n_hash = self.intern("__hash__");
        if Vm::table_get_str(&ns.borrow(), &n_eq).is_some()
            && Vm::table_get_str(&ns.borrow(), &n_hash).is_none()
        {
            Vm::table_set_str(&mut ns.borrow_mut(), n_hash, Value::None);
        }
        let dict = Rc::try_unwrap(ns)
            .map(|c| c.into_inner())
            .unwrap_or_else(|rc| rc.borrow().clone());
        let mut desc = mro.iter().any(|c| c.has_descriptors.get());
        for e in dict.iter() {
            if matches!(e.value, Value::Property(_)) {
                desc = true;
            }
            // A user descriptor (an instance whose class defines __get__/__set__/__delete__).
            if let Value::Instance(i) = &e.value
                && ["__get__", "__set__", "__delete__"]
                    .iter()
                    .any(|n| self.class_lookup(&i.class, n).is_some())
            {
                desc = true;
            }
            if let Value::Str(s) = &e.key
                && matches!(&*s.s, "__setattr__" | "__getattribute__" | "__delattr__")
            {
                desc = true;
            }
        }
        // Slot positions of the instance layout: the widest base's, then this class's own.
        let mut slot_names: Vec<Rc<PyStr>> = bases
            .iter()
            .map(|b| b.layout.root.keys())
            .max_by_key(|k| k.len())
            .unwrap_or_default()
            .to_vec();
        for n in own_slots {
            if !slot_names.iter().any(|k| Rc::ptr_eq(k, &n)) {
                slot_names.push(n);
            }
        }
        self.next_class_id += 1;
        let cls = Rc::new(Class {
            name: name.to_string(),
            qualname,
            module,
            bases,
            mro,
            dict: RefCell::new(dict),
            kind,
            base_kind,
            slots,
            id: self.next_class_id,
            has_descriptors: Cell::new(desc),
            layout: crate::shape::ClassLayout::new(slot_names),
            version: Cell::new(crate::value::next_class_version()),
            subclasses: RefCell::new(Vec::new()),
            cmp_dunders: Default::default(),
            meta,
        });
        for c in &cls.mro {
            c.add_subclass(&cls);
        }
        // __set_name__ and __init_subclass__ are not supported hooks; classmethod-wrap
        // __init_subclass__/__class_getitem__ as CPython does implicitly.
        Ok(cls)
    }

    /// C3 linearisation (excluding the class itself).
    pub fn compute_mro(&mut self, bases: &[Rc<Class>]) -> PyResult<Vec<Rc<Class>>> {
        let mut seqs: Vec<Vec<Rc<Class>>> = bases
            .iter()
            .map(|b| {
                let mut v = vec![b.clone()];
                v.extend(b.mro.iter().cloned());
                v
            })
            .collect();
        seqs.push(bases.to_vec());
        let mut out: Vec<Rc<Class>> = Vec::new();
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return Ok(out);
            }
            let mut cand = None;
            for s in &seqs {
                let c = &s[0];
                if !seqs.iter().any(|t| t[1..].iter().any(|x| Rc::ptr_eq(x, c))) {
                    cand = Some(c.clone());
                    break;
                }
            }
            let Some(c) = cand else {
                let names: Vec<String> = bases.iter().map(|b| b.name.clone()).collect();
                return Err(self.type_error(format!(
                    "Cannot create a consistent method resolution order (MRO) for bases {}",
                    names.join(", ")
                )));
            };
            for s in seqs.iter_mut() {
                if Rc::ptr_eq(&s[0], &c) {
                    s.remove(0);
                }
            }
            out.push(c);
        }
    }
}

/// How many function objects `Vm::fn_pool` keeps.
const FN_POOL: usize = 16;

/// A retired function object's field that may stay in `Vm::fn_pool`: values whose lifetime
/// nothing can observe (no finalizer, no contents).
fn inert(v: &Value) -> bool {
    matches!(v, Value::Str(_) | Value::None)
}

/// The code flag that says its first constant is the docstring.
const DOC_FLAG: u32 = 0x400_0000;

/// A new function's `__doc__`: its code's docstring, or None.
fn code_doc(code: &vigil_compiler::bytecode::CodeObject) -> Value {
    match code.consts.first() {
        Some(vigil_compiler::Constant::Str(s)) if code.flags & DOC_FLAG != 0 => Value::str(s),
        _ => Value::None,
    }
}

/// Sets a reused function object's `__name__`/`__qualname__` to `s`, without the clone and
/// drop when it already is that string object.
#[inline(always)]
fn refill_str(slot: &mut Value, s: &Rc<PyStr>) {
    if let Value::Str(old) = slot
        && Rc::ptr_eq(old, s)
    {
        return;
    }
    std::mem::replace(slot, Value::Str(s.clone())).release();
}

fn name_list(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        _ => format!("{}, and {}", q[..q.len() - 1].join(", "), q[q.len() - 1]),
    }
}

/// The `__init__` of a plain user class (`Kind::User`, no Python `__new__`) when it is a
/// Python function taking exactly `argc` positional arguments after `self`, from the class's
/// constructor cache; `None` (the general path, which also fills the cache) otherwise.
#[inline(always)]
fn simple_init(cls: &Rc<Class>, argc: usize) -> Option<Rc<Function>> {
    cached_init(cls, |init| init.call.simple_with(argc + 1))
}

/// A class call's new instance: the class at `f.slots[base]` (the caller matched one) gives
/// way to `callee`, and a fresh instance of it goes into the self slot above, as for a method
/// call of `__init__` (`instantiate_simple`, `instantiate_bound`).
#[inline(always)]
fn seat_instance(f: &mut Frame, base: usize, callee: Value) -> Value {
    let Value::Class(cls) = std::mem::replace(&mut f.slots[base], callee) else {
        unreachable!("the caller matched a class")
    };
    let obj = Value::Instance(Instance::new(cls, None));
    f.slots[base + 1] = obj.clone();
    obj
}

/// The `__init__` of a plain user class (`Kind::User`, no Python `__new__`) when it is a
/// Python function, whatever its signature, from the class's constructor cache
/// (`instantiate_bound`); `None` otherwise.
#[inline(always)]
fn python_init(cls: &Rc<Class>) -> Option<Rc<Function>> {
    cached_init(cls, |_| true)
}

/// The `__init__` of a plain user class (`Kind::User`, no Python `__new__`) from the class's
/// constructor cache when it is a Python function that `fits` accepts (`simple_init`,
/// `python_init`); `None` otherwise.
#[inline(always)]
fn cached_init(cls: &Rc<Class>, fits: impl FnOnce(&Function) -> bool) -> Option<Rc<Function>> {
    if cls.kind != Kind::User {
        return None;
    }
    let ctor = cls.layout.ctor.borrow();
    let c = ctor.as_ref().filter(|c| c.version == cls.version.get())?;
    if matches!(c.new, Some(Value::Function(_) | Value::StaticMethod(_))) {
        return None;
    }
    match &c.init {
        Some(Value::Function(init)) if fits(init) => Some(init.clone()),
        _ => None,
    }
}

/// Cuts `slots` back to `base`, releasing what it held above that, the top first (as popping
/// one by one did). An int, float, bool or singleton (most arguments of builtin calls, and
/// the empty callable and self slots) is forgotten after one tag test, not sent through
/// `release`'s per-variant dispatch; the length is set once, not per value.
#[inline(always)]
fn release_above(slots: &mut Vec<Value>, base: usize) {
    let len = slots.len();
    if len <= base {
        return;
    }
    // SAFETY: slots `base..len` are initialized. The length is cut first, so each value is
    // read out exactly once below and no longer covered by the vector (a panic in a drop
    // would leak the rest, never drop one twice). Dropping a value cannot reach this vector:
    // value drops run no Python code and the caller holds it exclusively.
    unsafe {
        slots.set_len(base);
        let p = slots.as_mut_ptr();
        for i in (base..len).rev() {
            let v = p.add(i).read();
            if v.is_inline() {
                std::mem::forget(v);
            } else {
                v.release();
            }
        }
    }
}

/// Where `Vm::run_function_to` puts a call's result: a generic parameter rather than an
/// option, so that each caller's copy has one way out and no test.
trait FrameOut<'a> {
    /// What the call returns.
    type R;
    /// The `FrameOut` for a call made from `f`'s stack, which the call has cut to below
    /// the callable's slot.
    fn of(f: &'a mut Frame) -> Self;
    /// Hands over the result.
    fn give(self, v: Value) -> Self::R;
}

/// The result is returned.
struct Ret;

impl FrameOut<'_> for Ret {
    type R = Value;
    #[inline(always)]
    fn of(_: &mut Frame) -> Ret {
        Ret
    }
    #[inline(always)]
    fn give(self, v: Value) -> Value {
        v
    }
}

/// The result is pushed onto the calling frame's value stack (`Vm::call_positional`).
struct Push<'a>(&'a mut Vec<Value>);

impl<'a> FrameOut<'a> for Push<'a> {
    type R = ();
    #[inline(always)]
    fn of(f: &'a mut Frame) -> Push<'a> {
        debug_assert!(f.slots.len() < f.slots.capacity());
        Push(&mut f.slots)
    }
    #[inline(always)]
    fn give(self, v: Value) {
        let s = self.0;
        let n = s.len();
        debug_assert!(n < s.capacity());
        // SAFETY: the call cut this stack to the callable's slot, below the length it had
        // (`of`'s contract), and nothing changes another frame's stack while a callee runs,
        // so slot `n` is allocated and unused; the write initialises it before the length
        // covers it. Unchecked: `put`'s grow path kept the value in a stack temporary.
        unsafe {
            s.as_mut_ptr().add(n).write(v);
            s.set_len(n + 1);
        }
    }
}

/// The end of the fast binders (`call_kw_simple`, `call_defaults`): the vector over the
/// `nlocals` values written at `dst` (capacity `cap`, from `Vm::pooled_raw`), and the
/// callable's reference taken out of slot `base`, which becomes the frame's; `f.slots` is
/// cut to `base`.
///
/// # Safety
/// Every one of `dst[0..nlocals]` is written, `cap` is the allocation's capacity, slot
/// `base` holds a `Value::Function`, and the slots above `base` were moved out or are
/// `Null` (none is dropped by the cut).
#[inline(always)]
unsafe fn take_built_frame(
    f: &mut Frame,
    base: usize,
    dst: *mut Value,
    nlocals: usize,
    cap: usize,
) -> (Rc<Function>, Vec<Value>) {
    // SAFETY: the caller's contract above.
    unsafe {
        let locals = Vec::from_raw_parts(dst, nlocals, cap);
        let Value::Function(func) = f.slots.as_ptr().add(base).read() else {
            unreachable!("the caller matched a function")
        };
        f.slots.set_len(base);
        (func, locals)
    }
}
