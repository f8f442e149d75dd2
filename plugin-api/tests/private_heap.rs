//! `private_heap!` as a plugin uses it: this test binary's global allocator becomes the
//! private heap, and glibc's own counters show that nothing the Rust code allocates reaches
//! `malloc` (a plugin's blocks stay out of the VM's arena).

vigil_plugin_api::private_heap!();

/// Bytes glibc has handed out, over all its arenas (`uordblks`) and as separate mappings
/// (`hblkhd`, requests above the mmap threshold).
fn glibc_in_use() -> usize {
    // SAFETY: mallinfo2 only reads the allocator's statistics.
    let m = unsafe { libc::mallinfo2() };
    m.uordblks + m.hblkhd
}

/// One test, not two: libtest runs tests on parallel threads, and the counters are
/// process-wide, so a second test calling `malloc` would show up in the first one's figures.
#[test]
fn rust_allocations_take_nothing_from_malloc_and_the_counters_would_show_it() {
    let before = glibc_in_use();
    // 8 MiB in one block and 20,000 small blocks (about 1.6 MB through malloc).
    let big = vec![7u8; 8 << 20];
    let small: Vec<Box<[u64; 8]>> = (0..20_000u64).map(|i| Box::new([i; 8])).collect();
    let after = glibc_in_use();
    assert_eq!(big.iter().map(|&b| usize::from(b)).sum::<usize>(), 7 << 23);
    assert_eq!(small.iter().map(|b| b[7]).sum::<u64>(), 20_000 * 19_999 / 2);
    // libtest's own threads may use libc's stdio meanwhile: allow them 64 KiB.
    assert!(
        after <= before + (64 << 10),
        "Rust allocations went to malloc: {before} -> {after} bytes in use"
    );
    drop((big, small));

    // Small blocks through malloc itself move the counters, so the check above can fail.
    // (A single 8 MiB malloc is not used as the control: in this test binary it did not
    // move them.)
    let before = glibc_in_use();
    // SAFETY: plain malloc/free of blocks this test owns, each freed exactly once.
    unsafe {
        let small: Vec<*mut libc::c_void> = (0..20_000).map(|_| libc::malloc(64)).collect();
        assert!(small.iter().all(|p| !p.is_null()));
        let after = glibc_in_use();
        assert!(
            after >= before + 20_000 * 64,
            "malloc's counters did not move: {before} -> {after}"
        );
        for p in small {
            libc::free(p);
        }
    }
}
