/* The kernel thread pool (kernels/threads.py) and GEMM through NumPy's BLAS.
 *
 * Workers are plain pthreads that never touch Python: each waits on its `go` event, runs the
 * chunk it was handed, and posts `done`. tw_parallel (one call from Python) hands chunks
 * 1.. to workers, runs chunk 0 itself and waits for the rest. Waiting spins for a while (a
 * spinning worker starts within a microsecond; waking a sleeping thread on a virtual
 * machine costs tens of microseconds), then sleeps in a futex.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "_tw.h"

#if defined(__linux__)
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
#define CPU_RELAX() __builtin_ia32_pause()
#else
#define CPU_RELAX() ((void)0)
#endif

#define TW_MAX_THREADS 64

/* ---- events: [sequence, sleepers]; posting moves the sequence on --------------------------- */
static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int32_t sequence(int32_t *event) { return __atomic_load_n(event, __ATOMIC_SEQ_CST); }

static int32_t event_wait(int32_t *event, int32_t seen, double spin_seconds) {
    double deadline = -1.0;
    for (long i = 0;; ++i) {
        int32_t now = sequence(event);
        if (now != seen) return now;
        if ((i & 255) == 0) {
            double t = seconds_now();
            if (deadline < 0) deadline = t + spin_seconds;
            else if (t > deadline) break;
        }
        CPU_RELAX();
    }
    __atomic_fetch_add(&event[1], 1, __ATOMIC_SEQ_CST);
    int32_t now;
    while ((now = sequence(event)) == seen) {
#if defined(__linux__)
        syscall(SYS_futex, event, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
#else
        struct timespec nap = {0, 50000};
        nanosleep(&nap, NULL);
#endif
    }
    __atomic_fetch_sub(&event[1], 1, __ATOMIC_SEQ_CST);
    return now;
}

static void event_post(int32_t *event) {
    __atomic_fetch_add(event, 1, __ATOMIC_SEQ_CST);
#if defined(__linux__)
    if (__atomic_load_n(&event[1], __ATOMIC_SEQ_CST))
        syscall(SYS_futex, event, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#endif
}

/* ---- the pool ------------------------------------------------------------------------------ */
typedef struct {
    int32_t go[16], done[16];  /* a cache line each */
    int32_t done_seen;
    tw_chunk_fn fn;
    const idx *args;
    idx lo, hi, part;
} worker;

static worker workers[TW_MAX_THREADS];
static idx started = 1;  /* threads made, the caller's included */
static idx active = 1;   /* threads regions use (a pool shrinks by idling workers) */
static double worker_spin = 2e-3, caller_spin = 1.0;

static void *worker_loop(void *arg) {
    worker *w = (worker *)arg;
    int32_t seen = sequence(w->go);
    event_post(w->done);  /* ready */
    for (;;) {
        seen = event_wait(w->go, seen, worker_spin);
        w->fn(w->args, w->lo, w->hi, w->part);
        event_post(w->done);
    }
    return NULL;
}

/* Use `size` threads (the caller counts as one), making workers as needed; returns the
 * size reached. */
idx tw_pool_start(idx size, double spin_seconds) {
    worker_spin = spin_seconds;
    if (size > TW_MAX_THREADS) size = TW_MAX_THREADS;
    for (; started < size; ++started) {
        worker *w = &workers[started];
        int32_t seen = sequence(w->done);
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attr, worker_loop, w);
        pthread_attr_destroy(&attr);
        if (failed) break;
        event_wait(w->done, seen, caller_spin);
    }
    active = size < started ? size : started;
    return active;
}

/* After fork(): the child has none of the parent's workers. */
void tw_pool_forget(void) { started = active = 1; }

/* fn over [0, n) in `parts` chunks (boundaries on multiples of `grain`); chunk 0 here.
 * Returns how many chunks ran (fewer when n is small or the pool is smaller). */
idx tw_parallel(tw_chunk_fn fn, const idx *args, idx n, idx parts, idx grain) {
    if (grain < 1) grain = 1;
    idx units = (n + grain - 1) / grain;
    if (parts > units) parts = units;
    if (parts > active) parts = active;
    if (parts <= 1) {
        fn(args, 0, n, 0);
        return 1;
    }
    idx bounds[TW_MAX_THREADS + 1];
    for (idx p = 0; p <= parts; ++p) {
        idx at = (units * p / parts) * grain;
        bounds[p] = at < n ? at : n;
    }
    for (idx p = 1; p < parts; ++p) {
        worker *w = &workers[p];
        w->fn = fn;
        w->args = args;
        w->lo = bounds[p];
        w->hi = bounds[p + 1];
        w->part = p;
        w->done_seen = sequence(w->done);
        event_post(w->go);
    }
    fn(args, bounds[0], bounds[1], 0);
    for (idx p = 1; p < parts; ++p) event_wait(workers[p].done, workers[p].done_seen, caller_spin);
    return parts;
}

/* ---- GEMM through the BLAS that NumPy loaded ----------------------------------------------- */
/* cblas_?gemm with 64-bit (ILP64, NumPy's scipy-openblas64) or 32-bit integers. */
typedef void (*sgemm64_t)(int, int, int, int64_t, int64_t, int64_t, float, const float *,
                          int64_t, const float *, int64_t, float, float *, int64_t);
typedef void (*dgemm64_t)(int, int, int, int64_t, int64_t, int64_t, double, const double *,
                          int64_t, const double *, int64_t, double, double *, int64_t);
typedef void (*sgemm32_t)(int, int, int, int32_t, int32_t, int32_t, float, const float *,
                          int32_t, const float *, int32_t, float, float *, int32_t);
typedef void (*dgemm32_t)(int, int, int, int32_t, int32_t, int32_t, double, const double *,
                          int32_t, const double *, int32_t, double, double *, int32_t);
static void *blas_s, *blas_d;
static int blas_ilp64;

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

void tw_set_blas(void *sgemm, void *dgemm, int ilp64) {
    blas_s = sgemm;
    blas_d = dgemm;
    blas_ilp64 = ilp64;
}

void tw_gemm_f32(int ta, int tb, idx m, idx n, idx k, const float *a, idx lda,
                 const float *b, idx ldb, float beta, float *c, idx ldc) {
    if (m <= 0 || n <= 0) return;
    int A = ta ? TRANS : NO_TRANS, B = tb ? TRANS : NO_TRANS;
    if (blas_ilp64)
        ((sgemm64_t)blas_s)(ROW_MAJOR, A, B, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
    else
        ((sgemm32_t)blas_s)(ROW_MAJOR, A, B, (int32_t)m, (int32_t)n, (int32_t)k, 1.0f, a,
                            (int32_t)lda, b, (int32_t)ldb, beta, c, (int32_t)ldc);
}

void tw_gemm_f64(int ta, int tb, idx m, idx n, idx k, const double *a, idx lda,
                 const double *b, idx ldb, double beta, double *c, idx ldc) {
    if (m <= 0 || n <= 0) return;
    int A = ta ? TRANS : NO_TRANS, B = tb ? TRANS : NO_TRANS;
    if (blas_ilp64)
        ((dgemm64_t)blas_d)(ROW_MAJOR, A, B, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
    else
        ((dgemm32_t)blas_d)(ROW_MAJOR, A, B, (int32_t)m, (int32_t)n, (int32_t)k, 1.0, a,
                            (int32_t)lda, b, (int32_t)ldb, beta, c, (int32_t)ldc);
}

/* Chunk of C = op(A) @ op(B) over rows (split 0) or columns (split 1) of C.
 * args: ta, tb, m, n, k, a, lda, b, ldb, c, ldc, split */
#define DEFINE_GEMM_CHUNK(T, SFX)                                                           \
void tw_chunk_gemm_##SFX(const idx *g, idx lo, idx hi, idx part) {                         \
    (void)part;                                                                            \
    int ta = (int)g[0], tb = (int)g[1];                                                    \
    const T *a = (const T *)g[5], *b = (const T *)g[7];                                     \
    T *c = (T *)g[9];                                                                      \
    idx lda = g[6], ldb = g[8], ldc = g[10];                                               \
    if (g[11] == 0)                                                                        \
        tw_gemm_##SFX(ta, tb, hi - lo, g[3], g[4], a + (ta ? lo : lo * lda), lda, b, ldb,   \
                      0, c + lo * ldc, ldc);                                               \
    else                                                                                   \
        tw_gemm_##SFX(ta, tb, g[2], hi - lo, g[4], a, lda, b + (tb ? lo * ldb : lo), ldb,   \
                      0, c + lo, ldc);                                                     \
}
DEFINE_GEMM_CHUNK(float, f32)
DEFINE_GEMM_CHUNK(double, f64)
