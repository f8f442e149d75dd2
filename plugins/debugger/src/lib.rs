//! vigil-debugger: being written (see the crate's Cargo description).
