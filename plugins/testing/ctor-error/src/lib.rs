//! Test fixture: a plugin whose constructor returns an error. With `reject = true` in its
//! settings it rejects them (as a plugin validating its settings would); otherwise it fails
//! with a general error.

use vigil_plugin_api::{EventSet, Host, PluginError, Tool, export_plugin};

struct CtorError;

impl Tool for CtorError {
    const NAME: &'static str = "ctor-error";
    const VERSION: &'static str = "0.1.0";
    const EVENTS: EventSet = EventSet::empty();

    fn create(_host: &Host, settings: &str) -> Result<Self, PluginError> {
        if settings.contains("reject = true") {
            Err(PluginError::settings(
                "key `reject`: this fixture rejects every setting",
            ))
        } else {
            Err(PluginError::failed("fixture: the constructor always fails"))
        }
    }
}

export_plugin!(CtorError);
