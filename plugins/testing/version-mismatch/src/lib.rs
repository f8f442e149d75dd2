//! Test fixture: a library whose root module declares vigil-plugin-api 0.0.9, as a plugin
//! built against an older, incompatible release of the API would. abi_stable compares the
//! versions before it looks at any layout (a 0.x library must have at least the host's minor
//! version); vigil must say which versions differ, in one line.

use abi_stable::library::RootModule;
use abi_stable::sabi_types::VersionStrings;
use abi_stable::std_types::RStr;
use abi_stable::{StableAbi, export_root_module, prefix_type::PrefixTypeTrait};

/// A stand-in root module: its layout never gets checked, the version check fails first.
#[repr(C)]
#[derive(StableAbi)]
#[sabi(kind(Prefix(prefix_ref = PluginModRef)))]
#[sabi(missing_field(panic))]
pub struct PluginMod {
    /// The ABI version field vigil's root module also starts with.
    #[sabi(last_prefix_field)]
    pub abi_version: u32,
}

impl RootModule for PluginModRef {
    abi_stable::declare_root_module_statics! {PluginModRef}
    const BASE_NAME: &'static str = "vigil_plugin";
    const NAME: &'static str = "vigil plugin";
    const VERSION_STRINGS: VersionStrings = VersionStrings {
        version: RStr::from_str("0.0.9"),
    };
}

/// The exported root module.
#[export_root_module]
pub fn get_library() -> PluginModRef {
    PluginMod { abi_version: 2 }.leak_into_prefix()
}
