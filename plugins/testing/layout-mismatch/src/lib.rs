//! Test fixture: a library exporting an abi_stable root module that is *not* vigil's
//! `PluginMod` (as a plugin built against some unrelated or much older API would). abi_stable's
//! layout check must refuse it, and vigil must show a one-line diagnosis.

use abi_stable::library::RootModule;
use abi_stable::sabi_types::VersionStrings;
use abi_stable::std_types::RStr;
use abi_stable::{StableAbi, export_root_module, prefix_type::PrefixTypeTrait};

/// A root module with vigil's field names but a different shape (`events` is a string).
#[repr(C)]
#[derive(StableAbi)]
#[sabi(kind(Prefix(prefix_ref = PluginModRef)))]
#[sabi(missing_field(panic))]
pub struct PluginMod {
    /// Same as vigil's.
    pub abi_version: u32,
    /// Same as vigil's.
    pub name: RStr<'static>,
    /// Same as vigil's.
    pub version: RStr<'static>,
    /// Not vigil's type.
    #[sabi(last_prefix_field)]
    pub events: RStr<'static>,
}

impl RootModule for PluginModRef {
    abi_stable::declare_root_module_statics! {PluginModRef}
    const BASE_NAME: &'static str = "vigil_plugin";
    const NAME: &'static str = "vigil plugin";
    // Claim vigil-plugin-api's version so that the version check passes and the layout
    // check is what refuses the library.
    const VERSION_STRINGS: VersionStrings = VersionStrings {
        version: RStr::from_str("0.1.0"),
    };
}

/// The exported root module.
#[export_root_module]
pub fn get_library() -> PluginModRef {
    PluginMod {
        abi_version: 1,
        name: RStr::from_str("layout-mismatch"),
        version: RStr::from_str("0.1.0"),
        events: RStr::from_str("LINE"),
    }
    .leak_into_prefix()
}
