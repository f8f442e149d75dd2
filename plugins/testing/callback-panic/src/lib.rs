//! Test fixture: a plugin that panics in its LINE callback (the first time it runs), or with
//! `panic_in = "finish"` in its settings, in `finish`. The SDK turns the panic into an error
//! result; vigil disables this tool only and names it.

use vigil_plugin_api::{Action, Code, EventSet, Host, PluginError, Tool, export_plugin};

struct CallbackPanic {
    in_finish: bool,
}

impl Tool for CallbackPanic {
    const NAME: &'static str = "callback-panic";
    const VERSION: &'static str = "0.1.0";
    const EVENTS: EventSet = EventSet::LINE;

    fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
        let in_finish = settings.contains("panic_in = \"finish\"");
        host.set_events(EventSet::LINE)?;
        Ok(CallbackPanic { in_finish })
    }

    fn line(&mut self, _host: &Host, _code: Code<'_>, line: u32) -> Action {
        if !self.in_finish {
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
