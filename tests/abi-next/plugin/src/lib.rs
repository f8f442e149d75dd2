//! A plugin built against the "next" plugin API (with one more field in every vtable). An
//! older host must still load it (new plugin, old host), and it must notice that the older
//! host lacks the Host API function the newer API added.

use vigil_plugin_api::{EventSet, Host, PluginError, Tool, export_plugin};

struct NextGen;

impl Tool for NextGen {
    const NAME: &'static str = "nextgen";
    const VERSION: &'static str = "0.1.0";
    const EVENTS: EventSet = EventSet::LINE;

    fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
        // The newer Host API function is optional: an older host simply does not have it.
        let has_probe = host.raw().vtable.next_probe().is_some();
        let expect = settings.contains("expect_next_probe = true");
        if has_probe != expect {
            return Err(PluginError::failed(format!(
                "host has next_probe: {has_probe}, expected {expect}"
            )));
        }
        host.set_events(EventSet::LINE)?;
        Ok(NextGen)
    }
}

export_plugin!(NextGen);
