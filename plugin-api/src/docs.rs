//! The manual's chapters, as documentation-only modules (no code lives here).

pub mod abi_evolution;
pub mod event_reference;
pub mod implementing_a_host;
pub mod writing_plugins;
