//! Support for vigil's end-to-end tests: building the `vigil` binary, the fixture plugins and
//! the out-of-workspace plugins, and laying them out in temporary plugin directories.
//!
//! Tests call [`artifacts`] once (it runs `cargo build` for everything they need, in the same
//! profile and target directory as the test run) and then copy libraries into fresh
//! directories with [`PluginDir`]. Nothing here knows what the tests expect; it only builds and
//! places files.
