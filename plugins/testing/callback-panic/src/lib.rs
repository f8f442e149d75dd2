//! Test fixture: a plugin that panics in its LINE callback (the first time it runs), or with
//! `panic_in = "finish"` in its settings, in `finish`, or with `panic_in = "py_start_fast"`
//! or `panic_in = "call_fast"`, in the fast path of PY_START or CALL (which run outside the
//! SDK's full guarded callback). The SDK turns the panic into an error result; vigil disables
//! this tool only and names it.

use vigil_plugin_api::{
    Action, Code, CodeHandle, EventSet, Host, PluginError, Tool, ValueRef, export_plugin,
};

struct CallbackPanic {
    in_finish: bool,
    in_fast: bool,
    in_call_fast: bool,
}

impl Tool for CallbackPanic {
    const NAME: &'static str = "callback-panic";
    const VERSION: &'static str = "0.1.0";
    const EVENTS: EventSet = EventSet::LINE
        .union(EventSet::PY_START)
        .union(EventSet::CALL);

    fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
        let in_finish = settings.contains("panic_in = \"finish\"");
        let in_fast = settings.contains("panic_in = \"py_start_fast\"");
        let in_call_fast = settings.contains("panic_in = \"call_fast\"");
        host.set_events(if in_fast {
            EventSet::PY_START
        } else if in_call_fast {
            EventSet::CALL
        } else {
            EventSet::LINE
        })?;
        Ok(CallbackPanic {
            in_finish,
            in_fast,
            in_call_fast,
        })
    }

    fn py_start_fast(&mut self, _code: CodeHandle, offset: u32) -> bool {
        if self.in_fast {
            panic!("fixture: the PY_START fast path panics at offset {offset}");
        }
        false
    }

    fn call_fast(&mut self, _: CodeHandle, offset: u32, _: ValueRef, _: ValueRef) -> bool {
        if self.in_call_fast {
            panic!("fixture: the CALL fast path panics at offset {offset}");
        }
        false
    }

    fn line(&mut self, _host: &Host, _code: Code<'_>, line: u32) -> Action {
        if !self.in_finish && !self.in_fast && !self.in_call_fast {
            panic!("fixture: the LINE callback panics at line {line}");
        }
        Action::CONTINUE
    }

    fn finish(&mut self, _host: &Host, _exit_code: i32) -> Result<(), PluginError> {
        if self.in_finish {
            panic!("fixture: finish panics");
        }
        Ok(())
    }
}

export_plugin!(CallbackPanic);
