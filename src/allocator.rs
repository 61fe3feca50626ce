//! The program's allocator: mimalloc, asked as plainly as each request allows.
//!
//! Every Rust allocation comes with an alignment. The `mimalloc` crate passes each one
//! to `mi_malloc_aligned`, and mimalloc 3 serves most sizes that are not a power of
//! two (a 48-byte value, a 24-byte string) through its over-allocating aligned path:
//! slower, and in a bigger block than the size needs. A build makes millions of such
//! values. When the alignment is one mimalloc's size classes give anyway, the request
//! goes to `mi_malloc`; only the rare other ones to the aligned functions.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every block of mimalloc has at least, when its size is a multiple of
/// the alignment asked for: its size classes are multiples of 8, those from 16 bytes on
/// multiples of 16 (`MI_MAX_ALIGN_SIZE`), and a page's blocks start 16-aligned.
const PLAIN_ALIGN: usize = 16;

/// Whether mimalloc's plain block for `size` bytes is aligned to `align`.
fn plain(size: usize, align: usize) -> bool {
    align <= PLAIN_ALIGN && size.is_multiple_of(align)
}

/// A new block for `layout`: from `plain_fn` where [`plain`] allows it, else from
/// `aligned_fn`, which takes the alignment too.
#[inline]
fn new_block(
    layout: Layout,
    plain_fn: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned_fn: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    let (size, align) = (layout.size(), layout.align());
    // SAFETY: both are mimalloc's allocating functions, which take any size and (the
    // aligned one) any power-of-two alignment, as a `Layout`'s is.
    unsafe {
        if plain(size, align) {
            plain_fn(size).cast()
        } else {
            aligned_fn(size, align).cast()
        }
    }
}

pub struct Mimalloc;

/// Asks Linux not to back this process's memory with transparent huge pages. mimalloc
/// asks for them by default, and the kernel then zeroes and holds 2 MiB at each first
/// touch of memory a build often barely fills: a big site's build held a quarter more
/// at its peak, and was no faster for it (see `docs/benchmarks.md`). Called first thing
/// in `main`; the kernel checks the setting at each fault, so memory mapped before is
/// covered too.
#[cfg(target_os = "linux")]
pub fn without_huge_pages() {
    // SAFETY: `prctl` with `PR_SET_THP_DISABLE` takes plain integers and only sets a
    // flag of this process; if the kernel refuses, nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Elsewhere there are no transparent huge pages to turn off.
#[cfg(not(target_os = "linux"))]
pub fn without_huge_pages() {}

// SAFETY: each function hands the request to the mimalloc function made for it, and
// takes the plain one only where `plain` holds, for which mimalloc's blocks have the
// alignment (see `PLAIN_ALIGN`); `mi_free` and `mi_realloc_aligned` take blocks of
// either kind.
unsafe impl GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        new_block(layout, mi::mi_malloc, mi::mi_malloc_aligned)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        new_block(layout, mi::mi_zalloc, mi::mi_zalloc_aligned)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` is a block from one of the functions above.
        unsafe { mi::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        // SAFETY: `ptr` is a block from one of the functions above; the new block is
        // chosen as `alloc` would choose it for `new_size`.
        unsafe {
            if plain(new_size, align) {
                mi::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast(), new_size, align).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_has_its_alignment() {
        let allocator = Mimalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..600).chain([4095, 4096, 70_000, 3 << 20]) {
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue;
                };
                let grown = Layout::from_size_align(size * 2 + 8, align).unwrap();
                let fits = |p: *mut u8| !p.is_null() && (p as usize).is_multiple_of(align);
                // SAFETY: the layouts have a size, and each block is freed once.
                unsafe {
                    let p = allocator.alloc(layout);
                    assert!(fits(p), "{size} {align}");
                    p.write_bytes(0xa5, size);
                    let q = allocator.realloc(p, layout, grown.size());
                    assert!(fits(q), "{size} {align}");
                    assert!((0..size).all(|i| *q.add(i) == 0xa5), "{size} {align}");
                    allocator.dealloc(q, grown);
                    let z = allocator.alloc_zeroed(layout);
                    assert!(fits(z), "{size} {align}");
                    assert!((0..size).all(|i| *z.add(i) == 0), "{size} {align}");
                    allocator.dealloc(z, layout);
                }
            }
        }
    }
}
