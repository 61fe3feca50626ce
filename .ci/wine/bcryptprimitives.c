/* A stand-in for Windows' bcryptprimitives.dll, for one test only: `.ci/platforms` runs the
 * Windows build of PeerPress under Wine, and Debian 12's Wine 8 lacks this DLL, which Rust's
 * standard library imports for `ProcessPrng` (the seed of HashMap's hasher). Real Windows has
 * the real DLL; this file is never shipped. It is built beside the .exe at test time:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

/* RtlGenRandom, exported by advapi32 under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
