//! vigil-coverage: being written (see the crate's Cargo description).
