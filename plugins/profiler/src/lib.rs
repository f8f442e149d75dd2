//! vigil-profiler: being written (see the crate's Cargo description).
