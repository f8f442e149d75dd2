//! The guest `sys.monitoring` namespace: the ten API functions with CPython 3.13's argument
//! conversion order and messages (the checks themselves are `vigil-monitoring`'s), the
//! `events` namespace, the tool-id constants, `DISABLE` and `MISSING`, plus `sys.audit` /
//! `sys.addaudithook` (register_callback raises an audit event). It does not fire events
//! (`fire.rs`).

use super::fire::Callback;
use crate::value::*;
use crate::vm::{PyResult, Vm};
use std::rc::Rc;
use vigil_monitoring::{ApiFn, Event, MonitoringError};

type Kw = [(Rc<PyStr>, Value)];

fn builtin(name: &'static str, f: NativeFn, bound: Option<Value>) -> Value {
    Value::Builtin(Rc::new(Builtin {
        name,
        f,
        bound,
        owner: None,
    }))
}

fn set(vm: &mut Vm, m: &Value, name: &str, v: Value) {
    if let Value::Module(md) = m {
        let n = vm.intern(name);
        Vm::table_set_str(&mut md.dict.borrow_mut(), n, v);
    }
}

/// Argument shape first (T8), as `ApiFn::check_call` orders it.
fn check(vm: &mut Vm, f: ApiFn, args: &[Value], kw: &Kw) -> PyResult<()> {
    f.check_call(args.len(), !kw.is_empty())
        .map_err(|e| vm.mon_error(e))
}

/// A C `int` argument: `__index__`, then the range of `int`.
fn c_int(vm: &mut Vm, v: &Value) -> PyResult<i32> {
    let r = match v {
        Value::Int(i) => MonitoringError::c_int(*i),
        Value::Bool(b) => Ok(*b as i32),
        Value::Big(_) => Err(MonitoringError::c_int_overflow()),
        Value::Instance(inst) if vm.class_lookup(&inst.class.clone(), "__index__").is_some() => {
            match vm.index_value(v) {
                Ok(i) => MonitoringError::c_int(i),
                Err(e) if vm.exc_matches(&e.0, "OverflowError") => {
                    Err(MonitoringError::c_int_overflow())
                }
                Err(e) => return Err(e),
            }
        }
        _ => {
            let tn = vm.type_name(v);
            Err(MonitoringError::not_an_integer(&tn))
        }
    };
    r.map_err(|e| vm.mon_error(e))
}

fn use_tool_id(vm: &mut Vm, a: &[Value], kw: &Kw) -> PyResult<Value> {
    check(vm, ApiFn::UseToolId, a, kw)?;
    let id = c_int(vm, &a[0])?;
    let name = matches!(a[1], Value::Str(_)).then(|| a[1].clone());
    let r = vm.monitoring.s.state.borrow_mut().use_tool_id(id, name);
    r.map_err(|e| vm.mon_error(e))?;
    Ok(Value::None)
}

fn free_tool_id(vm: &mut Vm, a: &[Value], kw: &Kw) -> PyResult<Value> {
    check(vm, ApiFn::FreeToolId, a, kw)?;
    let id = c_int(vm, &a[0])?;
    let r = vm.monitoring.s.state.borrow_mut().free_tool_id(id);
    r.map_err(|e| vm.mon_error(e))?;
    Ok(Value::None)
}

fn get_tool(vm: &mut Vm, a: &[Value], kw: &Kw) -> PyResult<Value> {
    check(vm, ApiFn::GetTool, a, kw)?;
    let id = c_int(vm, &a[0])?;
    let r = vm
        .monitoring
        .s
        .state
        .borrow()
        .get_tool(id)
        .map(|n| n.cloned());
    Ok(r.map_err(|e| vm.mon_error(e))?.unwrap_or(Value::None))
}

fn get_events(vm: &mut Vm, a: &[Value], kw: &Kw) -> PyResult<Value> {
    check(vm, ApiFn::GetEvents, a, kw)?;
    let id = c_int(vm, &a[0])?;
    let r = vm.monitoring.s.state.borrow().get_events(id);
    Ok(Value::Int(r.map_err(|e| vm.mon_error(e))?.bits() as i64))
}

fn set_events(vm: &mut Vm, a: &[Value], kw: &Kw) -> PyResult<Value> {
    check(vm, ApiFn::SetEvents, a, kw)?;
    let id = c_int(vm, &a[0])?;
    let ev = c_int(vm, &a[1])?;
    let r = vm.monitoring.s.state.borrow_mut().set_events(id, ev);
    let u = r.map_err(|e| vm.mon_error(e))?;
    vm.mon_update(u);
    Ok(Value::None)
}

fn code_arg(vm: &mut Vm, v: &Value) -> PyResult<Rc<vigil_compiler::CodeObject>> {
    match v {
        Value::Code(c) => Ok(c.clone()),
        _ => Err(vm.mon_error(MonitoringError::not_a_code_object())),
    }
}

fn get_local_events(vm: &mut Vm, a: &[Value], kw: &Kw) -> PyResult<Value> {
    check(vm, ApiFn::GetLocalEvents, a, kw)?;
    let id = c_int(vm, &a[0])?;
    let code = code_arg(vm, &a[1])?;
    let cache = vm.code_cache(&code);
    let r = vm
        .monitoring
        .s
        .state
        .borrow()
        .get_local_events(id, &cache.mon.m.state.borrow());
    Ok(Value::Int(r.map_err(|e| vm.mon_error(e))?.bits() as i64))
}

fn set_local_events(vm: &mut Vm, a: &[Value], kw: &Kw) -> PyResult<Value> {
    check(vm, ApiFn::SetLocalEvents, a, kw)?;
    let id = c_int(vm, &a[0])?;
    let code = code_arg(vm, &a[1])?;
    let ev = c_int(vm, &a[2])?;
    let cache = vm.code_cache(&code);
    // Bring the code up to the global version first, so the local sync only reflects
    // this change.
    if cache.mon.m.version.get() != vm.monitoring.s.version {
        vm.mon_sync(&cache);
    }
    let r = vm.monitoring.s.state.borrow_mut().set_local_events(
        id,
        &mut cache.mon.m.state.borrow_mut(),
        ev,
    );
    if r.map_err(|e| vm.mon_error(e))?.is_some() {
        vm.monitoring.s.active = true;
        vm.mon_apply_local(&cache);
    }
    Ok(Value::None)
}

fn restart_events(vm: &mut Vm, a: &[Value], kw: &Kw) -> PyResult<Value> {
    check(vm, ApiFn::RestartEvents, a, kw)?;
    let u = vm.monitoring.s.state.borrow_mut().restart_events();
    // Native tools' silenced branch directions end with a restart too.
    vm.monitoring.s.clear_branch_off();
    vm.mon_update(u);
    Ok(Value::None)
}

fn register_callback(vm: &mut Vm, a: &[Value], kw: &Kw) -> PyResult<Value> {
    check(vm, ApiFn::RegisterCallback, a, kw)?;
    let id = c_int(vm, &a[0])?;
    let ev = c_int(vm, &a[1])?;
    let r = vm
        .monitoring
        .s
        .state
        .borrow()
        .check_register_callback(id, ev);
    let (slot, event) = r.map_err(|e| vm.mon_error(e))?;
    vm.audit("sys.monitoring.register_callback", vec![a[2].clone()])?;
    let cb = (!a[2].is_none()).then(|| Callback::Guest(a[2].clone()));
    let old = vm
        .monitoring
        .s
        .state
        .borrow_mut()
        .register_callback(slot, event, cb);
    vm.monitoring.s.refresh_py_calls_silent();
    Ok(match old {
        Some(Callback::Guest(v)) => v,
        Some(Callback::Native(_)) | None => Value::None,
    })
}

fn all_events(vm: &mut Vm, a: &[Value], kw: &Kw) -> PyResult<Value> {
    check(vm, ApiFn::AllEvents, a, kw)?;
    let pairs: Vec<(Event, u8)> = vm
        .monitoring
        .s
        .state
        .borrow()
        .all_events()
        .map(|(e, m)| (e, m.bits()))
        .collect();
    let d = vm.new_dict();
    if let Value::Dict(t) = &d {
        for (e, bits) in pairs {
            vm.table_set(t, Value::str(e.name()), Value::Int(bits as i64))?;
        }
    }
    Ok(d)
}

/// Builds `sys.monitoring` (called once, when `sys` is created).
pub fn make_module(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("sys.monitoring");
    let fns: [(ApiFn, NativeFn); 10] = [
        (ApiFn::UseToolId, use_tool_id),
        (ApiFn::FreeToolId, free_tool_id),
        (ApiFn::GetTool, get_tool),
        (ApiFn::GetEvents, get_events),
        (ApiFn::SetEvents, set_events),
        (ApiFn::GetLocalEvents, get_local_events),
        (ApiFn::SetLocalEvents, set_local_events),
        (ApiFn::RegisterCallback, register_callback),
        (ApiFn::RestartEvents, restart_events),
        (ApiFn::AllEvents, all_events),
    ];
    for (api, f) in fns {
        set(vm, &m, api.name(), builtin(api.name(), f, None));
    }
    for (n, v) in [
        ("DEBUGGER_ID", 0),
        ("COVERAGE_ID", 1),
        ("PROFILER_ID", 2),
        ("OPTIMIZER_ID", 5),
    ] {
        set(vm, &m, n, Value::Int(v));
    }
    // DISABLE and MISSING: two distinct plain objects, compared by identity (C2).
    if vm.monitoring.s.disable.is_null() {
        let obj = vm.types.object.clone();
        vm.monitoring.s.disable = vm.new_instance(&obj, &[]);
        vm.monitoring.s.missing = vm.new_instance(&obj, &[]);
    }
    let (d, mi) = (
        vm.monitoring.s.disable.clone(),
        vm.monitoring.s.missing.clone(),
    );
    set(vm, &m, "DISABLE", d);
    set(vm, &m, "MISSING", mi);
    // `events`: a SimpleNamespace with the 17 events in bit order, then NO_EVENTS.
    let ns = Rc::new(std::cell::RefCell::new(crate::dict::Table::new()));
    let obj = vm.types.object.clone();
    let cls = vm.new_class("SimpleNamespace", vec![obj], ns)?;
    let inst = vm.new_instance(&cls, &[]);
    if let Value::Instance(i) = &inst {
        for e in Event::ALL {
            let n = vm.intern(e.name());
            crate::attr::inst_set(i, &n, Value::Int(1 << e.bit()));
        }
        let n = vm.intern("NO_EVENTS");
        crate::attr::inst_set(i, &n, Value::Int(0));
    }
    set(vm, &m, "events", inst);
    Ok(m)
}

/// Adds `monitoring`, `audit` and `addaudithook` to the `sys` module.
pub fn install_sys(vm: &mut Vm, sys: &Value) -> PyResult<()> {
    let m = make_module(vm)?;
    set(vm, sys, "monitoring", m);
    set(vm, sys, "audit", builtin("audit", sys_audit, None));
    set(
        vm,
        sys,
        "addaudithook",
        builtin("addaudithook", sys_addaudithook, None),
    );
    Ok(())
}

fn sys_audit(vm: &mut Vm, a: &[Value], _kw: &Kw) -> PyResult<Value> {
    let Some(Value::Str(ev)) = a.first() else {
        return Err(vm.type_error("audit() missing 1 required positional argument: 'event'"));
    };
    let ev = ev.s.to_string();
    vm.audit(&ev, a[1..].to_vec())?;
    Ok(Value::None)
}

fn sys_addaudithook(vm: &mut Vm, a: &[Value], _kw: &Kw) -> PyResult<Value> {
    if let Some(h) = a.first() {
        vm.monitoring.s.audit_hooks.push(h.clone());
    }
    Ok(Value::None)
}

impl Vm {
    /// Raises an audit event: every hook gets `(event, args)`; a raising hook aborts.
    pub fn audit(&mut self, event: &str, args: Vec<Value>) -> PyResult<()> {
        let hooks = self.monitoring.s.audit_hooks.clone();
        if hooks.is_empty() {
            return Ok(());
        }
        let t = Value::tuple(args);
        for h in hooks {
            self.call(&h, vec![Value::str(event), t.clone()], vec![])?;
        }
        Ok(())
    }
}
