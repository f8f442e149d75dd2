//! Test fixture: an ordinary shared library with one C function and no vigil root module.
//! The loader must refuse it as "not a vigil plugin" without crashing.

/// Something for the library to export, so it is a real, loadable shared library.
#[unsafe(no_mangle)]
pub extern "C" fn fixture_answer() -> i32 {
    42
}
