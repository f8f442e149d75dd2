//! Test fixture: a plugin whose constructor panics. The SDK must catch the panic at the
//! `extern "C"` boundary and return it as an error; vigil must not abort.

use vigil_plugin_api::{EventSet, Host, PluginError, Tool, export_plugin};

struct CtorPanic;

impl Tool for CtorPanic {
    const NAME: &'static str = "ctor-panic";
    const VERSION: &'static str = "0.1.0";
    const EVENTS: EventSet = EventSet::empty();

    fn create(_host: &Host, _settings: &str) -> Result<Self, PluginError> {
        panic!("fixture: the constructor panics")
    }
}

export_plugin!(CtorPanic);
