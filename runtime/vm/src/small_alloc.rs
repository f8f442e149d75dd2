//! A small-object allocator for the `vigil` binary: [`SmallAlloc`], a `#[global_allocator]`
//! that serves blocks of up to [`MAX_SMALL`] bytes from per-thread, per-size-class free lists
//! and hands everything else to the system allocator. It owns nothing of the object model;
//! the VM's objects, frames and vectors reach it through `Box`, `Rc` and `Vec` like any Rust
//! code.
//!
//! Why: the corpus allocates and frees small blocks all the time (tuples, list slices,
//! generator frames, bound methods, float points), and a glibc `malloc`/`free` pair costs
//! about 150 instructions where CPython's pymalloc spends about 50. Rust's `dealloc` is told
//! the block's `Layout`, so the size class comes from the layout and a block needs no header:
//! taking a block is a pop from a singly linked list, giving one back a push.
//!
//! Layout of the heap. Sizes are rounded up to a multiple of [`GRAIN`] (16 bytes, which is
//! also the alignment every block gets); a thread keeps one free list per class and one
//! current chunk ([`CHUNK`] bytes from the system allocator) from which it cuts fresh blocks
//! of any class by bumping a pointer, so a chunk's pages are touched only as blocks are
//! first used. Chunks are never returned, so memory freed in one class serves only that
//! class again (as pymalloc's pools do; the corpus's programs reach a steady mix of sizes).
//!
//! Threads. The lists live in a `thread_local!` with a constant initializer and no
//! destructor, which compiles to a plain `%fs`-relative access. A block freed on another
//! thread than the one that allocated it simply joins the freeing thread's list: chunks
//! never go away, so any thread may reuse any block. When a thread ends, a destructor
//! registered on its first chunk moves its lists (and its chunk's unused tail) to a global
//! stash (up to four whole lists per class), and threads that run out of a class take one of
//! them before cutting new blocks, so a process that runs many short threads (the test
//! harness runs one per program) does not lose their free memory.
//!
//! Plugins are separate shared libraries with their own global allocator (vigil's plugins
//! use dlmalloc, `vigil_plugin_api::private_heap!`); nothing crosses the boundary to be freed
//! on the other side through the global allocator: abi_stable's `RString`/`RVec` free through
//! the allocating side's vtable, and `into_string`/`into_vec` copy when the vtable is
//! foreign.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr::{self, null_mut};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Size-class granularity and the alignment of every small block.
pub const GRAIN: usize = 16;
/// Number of size classes: class `i` holds blocks of `(i + 1) * GRAIN` bytes.
const CLASSES: usize = 64;
/// The largest request served from the free lists; larger ones go to the system allocator.
pub const MAX_SMALL: usize = GRAIN * CLASSES;
/// Bytes the thread takes from the system allocator when its current chunk is used up.
/// Below glibc's `mmap` threshold, so chunks come from the main heap; pages not yet cut
/// into blocks stay untouched and cost no resident memory.
const CHUNK: usize = 16 << 10;

/// The global allocator: small blocks from per-thread free lists, the rest from [`System`].
/// Install it in a binary with `#[global_allocator] static A: SmallAlloc = SmallAlloc;`.
pub struct SmallAlloc;

/// A free block: its first word links to the next free block of the same class.
struct Free {
    next: *mut Free,
}

/// One thread's heap.
struct Local {
    /// Free list heads, by class.
    free: [*mut Free; CLASSES],
    /// The unused part of the current chunk, `[bump, end)`.
    bump: *mut u8,
    end: *mut u8,
    /// The thread-exit destructor is registered (or being registered).
    guarded: bool,
}

thread_local! {
    static LOCAL: UnsafeCell<Local> = const {
        UnsafeCell::new(Local {
            free: [null_mut(); CLASSES],
            bump: null_mut(),
            end: null_mut(),
            guarded: false,
        })
    };
    /// Dropped when the thread ends; moves the thread's free memory to [`STASH`].
    static EXIT: ExitGuard = const { ExitGuard };
}

/// Free memory of threads that ended, for other threads to reuse.
struct Stash {
    /// Up to [`LISTS`] whole lists per class, as ended threads left them (appending one to
    /// another would walk it, touching every block again at the end of every run).
    free: [[*mut Free; LISTS]; CLASSES],
    /// One unused chunk tail, `[bump, end)` (null when none).
    bump: *mut u8,
    end: *mut u8,
}

// SAFETY: the stash only holds pointers to free blocks nobody else refers to; whoever takes
// them out under the lock owns them.
unsafe impl Send for Stash {}

/// Lists kept per class in the stash before further ones are appended to the first.
const LISTS: usize = 4;

static STASH: Mutex<Stash> = Mutex::new(Stash {
    free: [[null_mut(); LISTS]; CLASSES],
    bump: null_mut(),
    end: null_mut(),
});
/// Bit `i` set: the stash may hold blocks of class `i` (read without the lock).
static STASH_CLASSES: AtomicU64 = AtomicU64::new(0);

/// The class of a request served here, or `None` for the system allocator.
#[inline(always)]
fn class_of(layout: Layout) -> Option<usize> {
    // Size 0 wraps around and goes to the system allocator with the large sizes.
    let idx = layout.size().wrapping_sub(1) / GRAIN;
    if idx < CLASSES && layout.align() <= GRAIN {
        Some(idx)
    } else {
        None
    }
}

/// The thread's heap. The borrow must not be held across anything that may allocate.
#[inline(always)]
fn local<R>(f: impl FnOnce(&mut Local) -> R) -> R {
    // SAFETY: `LOCAL` is only reached through this function, and no caller allocates (or
    // calls back into this allocator) while holding the borrow, so it is unique.
    LOCAL.with(|l| f(unsafe { &mut *l.get() }))
}

impl Local {
    /// Cuts a block of `size` bytes from the current chunk, or returns null if it has less.
    #[inline(always)]
    fn cut(&mut self, size: usize) -> *mut u8 {
        if (self.end as usize) - (self.bump as usize) < size {
            return null_mut();
        }
        let p = self.bump;
        // SAFETY: `size` bytes fit between `bump` and `end`, inside one chunk.
        self.bump = unsafe { p.add(size) };
        p
    }

    /// Makes `[bump, end)` the current chunk. What is left of the old one goes on the free
    /// lists, in blocks of the largest classes it holds (a tail is a multiple of `GRAIN`).
    fn replace_chunk(&mut self, bump: *mut u8, end: *mut u8) {
        let mut rest = (self.end as usize) - (self.bump as usize);
        while rest >= GRAIN {
            let size = rest.min(MAX_SMALL);
            let idx = size / GRAIN - 1;
            let block = self.bump.cast::<Free>();
            // SAFETY: the tail is unused memory of our chunk, aligned to `GRAIN`.
            unsafe {
                block.write(Free {
                    next: self.free[idx],
                });
                self.bump = self.bump.add(size);
            }
            self.free[idx] = block;
            rest -= size;
        }
        self.bump = bump;
        self.end = end;
    }
}

/// A block of class `idx` when its free list is empty: from the stash, the current chunk,
/// or a new chunk. Null when the system is out of memory. Holds no borrow of the thread's
/// heap across a call that may allocate, so nested allocations are fine.
#[cold]
#[inline(never)]
fn refill(idx: usize) -> *mut u8 {
    if STASH_CLASSES.load(Relaxed) & (1 << idx) != 0 {
        let list = take_stashed(idx);
        if !list.is_null() {
            // SAFETY: `list` heads a chain of free blocks of this class that we now own.
            local(|l| l.free[idx] = unsafe { (*list).next });
            return list.cast();
        }
    }
    let size = (idx + 1) * GRAIN;
    let p = local(|l| l.cut(size));
    if !p.is_null() {
        return p;
    }
    if !local(|l| std::mem::replace(&mut l.guarded, true)) {
        // The first chunk of this thread: register the destructor that stashes its free
        // memory when it ends. Registering may allocate. Fails only during teardown.
        let _ = EXIT.try_with(|_| ());
    }
    let (bump, end) = {
        let mut stash = STASH.lock().unwrap_or_else(|e| e.into_inner());
        let spare = (stash.bump, stash.end);
        stash.bump = null_mut();
        stash.end = null_mut();
        spare
    };
    if !bump.is_null() {
        // A spare tail may be too short for this class; the next chunk then splits it up.
        let p = local(|l| {
            l.replace_chunk(bump, end);
            l.cut(size)
        });
        if !p.is_null() {
            return p;
        }
    }
    // SAFETY: CHUNK is non-zero and GRAIN a power of two.
    let chunk = unsafe { System.alloc(Layout::from_size_align_unchecked(CHUNK, GRAIN)) };
    if chunk.is_null() {
        return null_mut();
    }
    local(|l| {
        l.replace_chunk(chunk, chunk.wrapping_add(CHUNK));
        l.cut(size)
    })
}

/// Takes one of the stash's lists for class `idx` (null if it has none).
fn take_stashed(idx: usize) -> *mut Free {
    let mut stash = STASH.lock().unwrap_or_else(|e| e.into_inner());
    let lists = &mut stash.free[idx];
    let taken = lists
        .iter_mut()
        .find(|h| !h.is_null())
        .map_or(null_mut(), |h| std::mem::replace(h, null_mut()));
    if lists.iter().all(|h| h.is_null()) {
        STASH_CLASSES.fetch_and(!(1 << idx), Relaxed);
    }
    taken
}

/// Moves the ending thread's free blocks and chunk tail to the stash.
struct ExitGuard;

impl Drop for ExitGuard {
    fn drop(&mut self) {
        let mut stash = STASH.lock().unwrap_or_else(|e| e.into_inner());
        local(|l| {
            // The chunk's unused tail becomes the stash's spare if there is none, or else
            // free blocks that go with the lists below.
            if stash.bump.is_null() {
                stash.bump = std::mem::replace(&mut l.bump, null_mut());
                stash.end = std::mem::replace(&mut l.end, null_mut());
            } else {
                l.replace_chunk(null_mut(), null_mut());
            }
            for idx in 0..CLASSES {
                let head = std::mem::replace(&mut l.free[idx], null_mut());
                if head.is_null() {
                    continue;
                }
                let lists = &mut stash.free[idx];
                if let Some(slot) = lists.iter_mut().find(|h| h.is_null()) {
                    *slot = head;
                } else {
                    // Rare (more ended threads than slots): append to the first list.
                    let mut tail = head;
                    // SAFETY: every block on our lists is free and owned by this thread's heap.
                    unsafe {
                        while !(*tail).next.is_null() {
                            tail = (*tail).next;
                        }
                        (*tail).next = lists[0];
                    }
                    lists[0] = head;
                }
                STASH_CLASSES.fetch_or(1 << idx, Relaxed);
            }
        });
    }
}

// SAFETY: small blocks are `GRAIN`-aligned pieces of chunks that are never freed, handed to
// one owner at a time (a block is on at most one list, and off every list while allocated);
// the class is a function of the layout, which `dealloc` and `realloc` receive unchanged from
// the allocation, so a block always returns to a list of its own size. Other requests are
// the system allocator's.
unsafe impl GlobalAlloc for SmallAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match class_of(layout) {
            Some(idx) => {
                let p = local(|l| {
                    let head = l.free[idx];
                    if !head.is_null() {
                        // SAFETY: `head` is a free block on this thread's list.
                        l.free[idx] = unsafe { (*head).next };
                    }
                    head
                });
                if p.is_null() { refill(idx) } else { p.cast() }
            }
            // SAFETY: forwarded with the caller's guarantees.
            None => unsafe { System.alloc(layout) },
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match class_of(layout) {
            Some(idx) => local(|l| {
                if cfg!(debug_assertions) {
                    debug_assert_eq!(ptr as usize % GRAIN, 0, "not a small block");
                    // Debug builds scribble over freed blocks, so a use after free reads
                    // garbage at once instead of the old value.
                    // SAFETY: the block is ours again and holds at least `layout.size()`.
                    unsafe { ptr::write_bytes(ptr, 0xdb, layout.size()) };
                }
                let block = ptr.cast::<Free>();
                // SAFETY: the caller gives the block back; it is at least GRAIN bytes and
                // GRAIN-aligned, so it holds the link.
                unsafe { block.write(Free { next: l.free[idx] }) };
                l.free[idx] = block;
            }),
            // SAFETY: the block came from `System` with this layout.
            None => unsafe { System.dealloc(ptr, layout) },
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if class_of(layout).is_none() {
            // SAFETY: forwarded with the caller's guarantees (calloc's fresh pages are
            // already zero).
            return unsafe { System.alloc_zeroed(layout) };
        }
        // SAFETY: as `alloc`; a reused block is dirty, so it is cleared here.
        unsafe {
            let p = self.alloc(layout);
            if !p.is_null() {
                ptr::write_bytes(p, 0, layout.size());
            }
            p
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees a valid size for this alignment.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (class_of(layout), class_of(new_layout)) {
            (Some(a), Some(b)) if a == b => ptr,
            // SAFETY: the block came from `System` with `layout`.
            (None, None) => unsafe { System.realloc(ptr, layout, new_size) },
            _ => {
                // SAFETY: a new block, the live bytes copied, the old block given back.
                unsafe {
                    let p = self.alloc(new_layout);
                    if !p.is_null() {
                        ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    p
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn classes() {
        assert_eq!(class_of(layout(1, 1)), Some(0));
        assert_eq!(class_of(layout(16, 8)), Some(0));
        assert_eq!(class_of(layout(17, 8)), Some(1));
        assert_eq!(class_of(layout(MAX_SMALL, 16)), Some(CLASSES - 1));
        assert_eq!(class_of(layout(MAX_SMALL + 1, 8)), None);
        assert_eq!(class_of(layout(64, 32)), None);
        assert_eq!(class_of(layout(0, 1)), None);
    }

    #[test]
    fn reuse_and_realloc() {
        let a = SmallAlloc;
        unsafe {
            let l = layout(40, 8);
            let p = a.alloc(l);
            assert_eq!(p as usize % GRAIN, 0);
            p.write_bytes(7, 40);
            a.dealloc(p, l);
            // The same class (48 bytes) reuses the block at once.
            let q = a.alloc(layout(33, 8));
            assert_eq!(p, q);
            // Growing within the class keeps the block; past it, the bytes move.
            assert_eq!(a.realloc(q, layout(33, 8), 48), q);
            q.write_bytes(9, 48);
            let r = a.realloc(q, layout(48, 8), 600);
            assert!((0..48).all(|i| *r.add(i) == 9));
            let s = a.realloc(r, layout(600, 8), 20);
            assert!((0..20).all(|i| *s.add(i) == 9));
            a.dealloc(s, layout(20, 8));
            let z = a.alloc_zeroed(layout(48, 8));
            assert!((0..48).all(|i| *z.add(i) == 0));
            a.dealloc(z, layout(48, 8));
        }
    }

    #[test]
    fn threads_share_blocks() {
        let a = SmallAlloc;
        let l = layout(64, 8);
        let blocks: Vec<usize> = std::thread::spawn(move || {
            (0..1000)
                .map(|_| unsafe { SmallAlloc.alloc(l) } as usize)
                .collect()
        })
        .join()
        .unwrap();
        // Freed here, on another thread; they join this thread's list and are reused.
        for &b in &blocks {
            unsafe { a.dealloc(b as *mut u8, l) };
        }
        let again = unsafe { a.alloc(l) } as usize;
        assert!(blocks.contains(&again));
        unsafe { a.dealloc(again as *mut u8, l) };
        // A thread that ends leaves its free blocks to the stash for others.
        let freed: Vec<usize> = std::thread::spawn(move || {
            let v: Vec<usize> = (0..100)
                .map(|_| unsafe { SmallAlloc.alloc(l) } as usize)
                .collect();
            for &b in &v {
                unsafe { SmallAlloc.dealloc(b as *mut u8, l) };
            }
            v
        })
        .join()
        .unwrap();
        let reused = std::thread::spawn(move || unsafe { SmallAlloc.alloc(l) } as usize)
            .join()
            .unwrap();
        assert!(freed.contains(&reused) || blocks.contains(&reused));
    }
}
