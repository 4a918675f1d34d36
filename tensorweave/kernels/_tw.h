/* Shared by the C loops (_fused.c) and the thread pool (_threads.c). */
#ifndef TW_H
#define TW_H
#include <stdint.h>

typedef int64_t idx;

/* A chunk of parallel work: the half-open range [lo, hi) of `args`' items, run as part
 * `part` of the region (parts index per-thread scratch). Arguments are int64 words;
 * floating-point ones carry a double's bits (tw_arg_double). */
typedef void (*tw_chunk_fn)(const idx *args, idx lo, idx hi, idx part);

static inline double tw_arg_double(idx word) {
    union { idx i; double d; } u;
    u.i = word;
    return u.d;
}

/* fn over [0, n) in `parts` chunks on the pool (_threads.c); returns the chunks run. */
idx tw_parallel(tw_chunk_fn fn, const idx *args, idx n, idx parts, idx grain);

/* C[m, n] = op(A) @ op(B) + beta * C, row-major, through NumPy's BLAS (tw_set_blas). */
void tw_gemm_f32(int ta, int tb, idx m, idx n, idx k, const float *a, idx lda,
                 const float *b, idx ldb, float beta, float *c, idx ldc);
void tw_gemm_f64(int ta, int tb, idx m, idx n, idx k, const double *a, idx lda,
                 const double *b, idx ldb, double beta, double *c, idx ldc);
#endif
