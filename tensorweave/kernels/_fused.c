/* Fused loops for a few memory-bound kernels, called through ctypes (kernels/fused.py).
 *
 * Each NumPy kernel these replace is a chain of whole-array passes (Adam: about 12); a loop
 * that does all of it per element reads and writes each array once. The NumPy versions stay
 * the reference and the fallback; tests compare the two. Every function exists for float
 * (suffix _f32) and double (_f64); arrays are C-contiguous, channels-last where they are
 * images: (N, H, W, C) flattened. Sizes are int64. Built as an optional extension module
 * (setup.py); the module object itself only carries this shared library.
 */
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "_tw.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
/* one build, best vector width at run time (glibc ifunc) */
#define VECTORIZE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTORIZE
#endif

/* ---- optimizer updates: var, slots and gradient are flat arrays of n elements ------------ */
/* The gradient is read before var is written at each index, so it may alias var. */

#define DEFINE_UPDATES(T, SFX, SQRT)                                                        \
VECTORIZE void tw_gradient_descent_##SFX(idx n, T *var, T lr, const T *grad) {             \
    for (idx i = 0; i < n; ++i) var[i] -= grad[i] * lr;                                    \
}                                                                                          \
VECTORIZE void tw_momentum_##SFX(idx n, T *var, T *restrict accum, T lr, const T *grad,    \
                                 T mom, int nesterov) {                                    \
    if (nesterov) {                                                                        \
        for (idx i = 0; i < n; ++i) {                                                      \
            T g = grad[i], a = accum[i] * mom + g;                                          \
            accum[i] = a;                                                                  \
            var[i] -= g * lr + a * mom * lr;                                               \
        }                                                                                  \
    } else {                                                                               \
        for (idx i = 0; i < n; ++i) {                                                      \
            T a = accum[i] * mom + grad[i];                                                \
            accum[i] = a;                                                                  \
            var[i] -= a * lr;                                                              \
        }                                                                                  \
    }                                                                                      \
}                                                                                          \
/* m += (g - m) * c1; v += (g^2 - v) * c2; var -= alpha * m / (sqrt(v) + eps) */           \
VECTORIZE void tw_adam_##SFX(idx n, T *var, T *restrict m, T *restrict v, const T *grad,   \
                             T alpha, T c1, T c2, T eps) {                                 \
    for (idx i = 0; i < n; ++i) {                                                          \
        T g = grad[i];                                                                     \
        T mi = m[i] + (g - m[i]) * c1;                                                     \
        T vi = v[i] + (g * g - v[i]) * c2;                                                 \
        m[i] = mi;                                                                         \
        v[i] = vi;                                                                         \
        var[i] -= (mi * alpha) / (SQRT(vi) + eps);                                         \
    }                                                                                      \
}

DEFINE_UPDATES(float, f32, sqrtf)
DEFINE_UPDATES(double, f64, sqrt)

/* ---- 2-D windows over (N, H, W, C) images ------------------------------------------------ */
/* Geometry: input h x w, output ho x wo, kernel kh x kw, strides sh sw, dilations dh dw,
 * padding before the first row/column pt pl. Taps in the padding are skipped (never copied). */

#define DEFINE_WINDOWS(T, SFX)                                                              \
/* out = max over each window's real cells; a NaN wins, as np.maximum */                    \
VECTORIZE void tw_max_pool_##SFX(const T *x, T *restrict out, idx n, idx h, idx w, idx c,  \
                                 idx ho, idx wo, idx kh, idx kw, idx sh, idx sw, idx pt,    \
                                 idx pl) {                                                 \
    for (idx b = 0; b < n; ++b)                                                            \
    for (idx i = 0; i < ho; ++i)                                                           \
    for (idx j = 0; j < wo; ++j) {                                                         \
        T *restrict o = out + ((b * ho + i) * wo + j) * c;                                 \
        int first = 1;                                                                     \
        for (idx di = 0; di < kh; ++di) {                                                  \
            idx r = i * sh - pt + di;                                                      \
            if (r < 0 || r >= h) continue;                                                 \
            for (idx dj = 0; dj < kw; ++dj) {                                              \
                idx q = j * sw - pl + dj;                                                  \
                if (q < 0 || q >= w) continue;                                             \
                const T *s = x + ((b * h + r) * w + q) * c;                                \
                if (first) {                                                               \
                    memcpy(o, s, (size_t)c * sizeof(T));                                   \
                    first = 0;                                                             \
                } else {                                                                   \
                    for (idx k = 0; k < c; ++k)                                            \
                        o[k] = (s[k] > o[k] || s[k] != s[k]) ? s[k] : o[k];                \
                }                                                                          \
            }                                                                              \
        }                                                                                  \
    }                                                                                      \
}                                                                                          \
/* dx (zeroed) += g at each window's first cell, row-major, equal to the pooled max y;     \
 * taken: a scratch row of c elements. With disjoint windows (stride >= kernel) each cell   \
 * is written once, so dx needs zeros only where no window reaches. */                    \
VECTORIZE void tw_max_pool_grad_##SFX(const T *x, const T *y, const T *g, T *restrict dx,  \
                                      T *restrict taken, idx n, idx h, idx w, idx c,       \
                                      idx ho, idx wo, idx kh, idx kw, idx sh, idx sw,      \
                                      idx pt, idx pl, int disjoint) {                      \
    for (idx b = 0; b < n; ++b)                                                            \
    for (idx i = 0; i < ho; ++i)                                                           \
    for (idx j = 0; j < wo; ++j) {                                                         \
        const T *yv = y + ((b * ho + i) * wo + j) * c;                                     \
        const T *gv = g + ((b * ho + i) * wo + j) * c;                                     \
        for (idx k = 0; k < c; ++k) taken[k] = 0;                                          \
        for (idx di = 0; di < kh; ++di) {                                                  \
            idx r = i * sh - pt + di;                                                      \
            if (r < 0 || r >= h) continue;                                                 \
            for (idx dj = 0; dj < kw; ++dj) {                                              \
                idx q = j * sw - pl + dj;                                                  \
                if (q < 0 || q >= w) continue;                                             \
                idx at = ((b * h + r) * w + q) * c;                                        \
                const T *xv = x + at;                                                      \
                T *dv = dx + at;                                                           \
                for (idx k = 0; k < c; ++k) { /* -O3 unswitches the disjoint test */       \
                    T hit = (xv[k] == yv[k]) ? (T)1 - taken[k] : (T)0;                     \
                    dv[k] = (disjoint ? (T)0 : dv[k]) + gv[k] * hit;                       \
                    taken[k] += hit;                                                       \
                }                                                                          \
            }                                                                              \
        }                                                                                  \
    }                                                                                      \
}                                                                                          \
/* dz = ReluGrad(MaxPoolGrad(x, y, g), feat) for disjoint windows (each cell in at most one  \
 * window; dz zeroed where none reaches), and sums[k] = its per-channel sum (BiasAddGrad),    \
 * in one pass; taken: a scratch row of c elements. */                                       \
VECTORIZE void tw_max_pool_relu_grad_##SFX(const T *x, const T *y, const T *g, const T *feat,\
                                           T *restrict dz, T *restrict taken,               \
                                           double *restrict sums, idx n, idx h, idx w, idx c,\
                                           idx ho, idx wo, idx kh, idx kw, idx sh, idx sw,   \
                                           idx pt, idx pl) {                                \
    for (idx k = 0; k < c; ++k) sums[k] = 0;                                               \
    for (idx b = 0; b < n; ++b)                                                            \
    for (idx i = 0; i < ho; ++i)                                                           \
    for (idx j = 0; j < wo; ++j) {                                                         \
        const T *yv = y + ((b * ho + i) * wo + j) * c;                                     \
        const T *gv = g + ((b * ho + i) * wo + j) * c;                                     \
        for (idx k = 0; k < c; ++k) taken[k] = 0;                                          \
        for (idx di = 0; di < kh; ++di) {                                                  \
            idx r = i * sh - pt + di;                                                      \
            if (r < 0 || r >= h) continue;                                                 \
            for (idx dj = 0; dj < kw; ++dj) {                                              \
                idx q = j * sw - pl + dj;                                                  \
                if (q < 0 || q >= w) continue;                                             \
                idx at = ((b * h + r) * w + q) * c;                                        \
                const T *xv = x + at, *fv = feat + at;                                     \
                T *dv = dz + at;                                                           \
                for (idx k = 0; k < c; ++k) {                                              \
                    T hit = (xv[k] == yv[k]) ? (T)1 - taken[k] : (T)0;                     \
                    T v = gv[k] * hit;                                                     \
                    v = fv[k] > 0 ? v : v * (T)0;                                          \
                    dv[k] = v;                                                             \
                    taken[k] += hit;                                                       \
                    sums[k] += v;                                                          \
                }                                                                          \
            }                                                                              \
        }                                                                                  \
    }                                                                                      \
}                                                                                          \
/* The patch matrix of an im2col GEMM and its adjoint: cols has (n * ho * wo) rows of         \
 * kh * kw * c, one output pixel's window of x each. to_image = 0: cols = the windows (zeros   \
 * where a window reaches into padding; no padded copy of x). to_image = 1: x (zeroed) += each  \
 * entry at the cell it came from (col2im; padding entries dropped). */                      \
VECTORIZE void tw_patches_##SFX(T *x, T *cols, idx n, idx h, idx w, idx c, idx ho, idx wo,  \
                                idx kh, idx kw, idx sh, idx sw, idx dh, idx dw, idx pt,     \
                                idx pl, int to_image) {                                    \
    T *col = cols;                                                                         \
    for (idx b = 0; b < n; ++b)                                                            \
    for (idx i = 0; i < ho; ++i)                                                           \
    for (idx j = 0; j < wo; ++j)                                                           \
    for (idx di = 0; di < kh; ++di) {                                                      \
        idx r = i * sh - pt + di * dh;                                                     \
        for (idx dj = 0; dj < kw; ++dj, col += c) {                                        \
            idx q = j * sw - pl + dj * dw;                                                 \
            int inside = r >= 0 && r < h && q >= 0 && q < w;                               \
            T *cell = x + ((b * h + r) * w + q) * c;                                       \
            if (to_image) {                                                                \
                if (inside) for (idx k = 0; k < c; ++k) cell[k] += col[k];                 \
            } else if (inside) {                                                           \
                for (idx k = 0; k < c; ++k) col[k] = cell[k];                              \
            } else {                                                                       \
                for (idx k = 0; k < c; ++k) col[k] = 0;                                    \
            }                                                                              \
        }                                                                                  \
    }                                                                                      \
}                                                                                          \
/* The same patches tap-major, for few channels: row (tap, channel) of cols holds that       \
 * input cell for every output pixel (rows of n * ho * wo), so with one channel and stride 1  \
 * each output row's run is one contiguous copy. */                                           \
VECTORIZE void tw_patches_t_##SFX(T *x, T *cols, idx n, idx h, idx w, idx c, idx ho, idx wo,\
                                  idx kh, idx kw, idx sh, idx sw, idx dh, idx dw, idx pt,   \
                                  idx pl, int to_image) {                                  \
    idx pixels = n * ho * wo;                                                              \
    for (idx di = 0; di < kh; ++di)                                                        \
    for (idx dj = 0; dj < kw; ++dj) {                                                      \
        idx shift = dj * dw - pl; /* input column of output column j: j * sw + shift */    \
        idx j0 = shift >= 0 ? 0 : (-shift + sw - 1) / sw;                                  \
        idx last = w - 1 - shift; /* j * sw <= last */                                     \
        idx j1 = last < 0 ? 0 : last / sw + 1;                                             \
        if (j1 > wo) j1 = wo;                                                              \
        if (j0 > j1) j0 = j1;                                                              \
        for (idx ch = 0; ch < c; ++ch) {                                                   \
            T *row = cols + ((di * kw + dj) * c + ch) * pixels;                            \
            for (idx b = 0; b < n; ++b)                                                    \
            for (idx i = 0; i < ho; ++i) {                                                 \
                T *out = row + (b * ho + i) * wo;                                          \
                idx r = i * sh - pt + di * dh;                                             \
                int inside = r >= 0 && r < h;                                              \
                T *src = x + (b * h + r) * w * c + ch + shift * c;                         \
                if (to_image) {                                                            \
                    if (inside)                                                            \
                        for (idx j = j0; j < j1; ++j) src[j * sw * c] += out[j];           \
                    continue;                                                              \
                }                                                                          \
                if (!inside) {                                                             \
                    for (idx j = 0; j < wo; ++j) out[j] = 0;                               \
                    continue;                                                              \
                }                                                                          \
                for (idx j = 0; j < j0; ++j) out[j] = 0;                                   \
                if (sw * c == 1)                                                           \
                    for (idx j = j0; j < j1; ++j) out[j] = src[j];                         \
                else                                                                       \
                    for (idx j = j0; j < j1; ++j) out[j] = src[j * sw * c];                \
                for (idx j = j1; j < wo; ++j) out[j] = 0;                                  \
            }                                                                              \
        }                                                                                  \
    }                                                                                      \
}

DEFINE_WINDOWS(float, f32)
DEFINE_WINDOWS(double, f64)

/* ---- per-channel statistics and affine maps over (rows, c) channels-last data ------------- */
/* Batch norm's passes: sums are accumulated in double whatever the element type. */

#define DEFINE_CHANNELS(T, SFX)                                                             \
/* s1[k] = sum over rows of x[., k]; s2[k] = sum of (x[., k] - mean[k])^2 (when s2) */     \
VECTORIZE void tw_channel_moments_##SFX(const T *x, idx rows, idx c, double *restrict s1,  \
                                        const double *mean, double *restrict s2) {         \
    for (idx k = 0; k < c; ++k) s1[k] = 0;                                                 \
    if (s2) for (idx k = 0; k < c; ++k) s2[k] = 0;                                         \
    for (idx r = 0; r < rows; ++r) {                                                       \
        const T *row = x + r * c;                                                          \
        if (s2) {                                                                          \
            for (idx k = 0; k < c; ++k) {                                                  \
                double d = (double)row[k] - mean[k];                                       \
                s2[k] += d * d;                                                            \
            }                                                                              \
        } else {                                                                           \
            for (idx k = 0; k < c; ++k) s1[k] += row[k];                                   \
        }                                                                                  \
    }                                                                                      \
}                                                                                          \
/* sdy[k] = sum of dy[., k]; sdyx[k] = sum of dy[., k] * (x[., k] - mean[k]) */            \
VECTORIZE void tw_channel_grad_sums_##SFX(const T *dy, const T *x, idx rows, idx c,        \
                                          const double *mean, double *restrict sdy,        \
                                          double *restrict sdyx) {                         \
    for (idx k = 0; k < c; ++k) sdy[k] = sdyx[k] = 0;                                      \
    for (idx r = 0; r < rows; ++r) {                                                       \
        const T *g = dy + r * c, *v = x + r * c;                                           \
        for (idx k = 0; k < c; ++k) {                                                      \
            sdy[k] += g[k];                                                                \
            sdyx[k] += (double)g[k] * ((double)v[k] - mean[k]);                            \
        }                                                                                  \
    }                                                                                      \
}                                                                                          \
/* out[., k] = u[., k] * a[k] + b[k] (+ v[., k] * vb[k] when v) */                          \
VECTORIZE void tw_channel_affine_##SFX(const T *u, const T *v, T *out, idx rows, idx c,    \
                                       const T *a, const T *b, const T *vb) {              \
    for (idx r = 0; r < rows; ++r) {                                                       \
        const T *ur = u + r * c;                                                           \
        T *o = out + r * c;                                                                \
        if (v) {                                                                           \
            const T *vr = v + r * c;                                                       \
            for (idx k = 0; k < c; ++k) o[k] = ur[k] * a[k] + vr[k] * vb[k] + b[k];        \
        } else {                                                                           \
            for (idx k = 0; k < c; ++k) o[k] = ur[k] * a[k] + b[k];                        \
        }                                                                                  \
    }                                                                                      \
}                                                                                          \
/* out = max(x + bias, 0) per channel (NaN stays NaN, as np.maximum); out may be x */       \
VECTORIZE void tw_bias_relu_##SFX(const T *x, T *out, idx rows, idx c, const T *bias) {    \
    for (idx r = 0; r < rows; ++r) {                                                       \
        const T *xr = x + r * c;                                                           \
        T *o = out + r * c;                                                                \
        for (idx k = 0; k < c; ++k) {                                                      \
            T v = xr[k] + bias[k];                                                         \
            o[k] = v < 0 ? (T)0 : v;                                                       \
        }                                                                                  \
    }                                                                                      \
}                                                                                          \
/* out = ReluGrad(g, y) (as below) and sums[k] = its per-channel sum, in double: the bias   \
 * gradient in the same pass; out may be g */                                              \
VECTORIZE void tw_relu_grad_bias_##SFX(const T *g, const T *y, T *out, idx rows, idx c,    \
                                       double *restrict sums) {                            \
    for (idx k = 0; k < c; ++k) sums[k] = 0;                                               \
    for (idx r = 0; r < rows; ++r) {                                                       \
        const T *gr = g + r * c, *yr = y + r * c;                                          \
        T *o = out + r * c;                                                                \
        for (idx k = 0; k < c; ++k) {                                                      \
            T v = yr[k] > 0 ? gr[k] : gr[k] * (T)0;                                        \
            o[k] = v;                                                                      \
            sums[k] += v;                                                                  \
        }                                                                                  \
    }                                                                                      \
}                                                                                          \
/* out = g where y > 0, else g * 0 (NumPy's g * (y > 0): NaN stays NaN); out may be g */   \
VECTORIZE void tw_relu_grad_##SFX(idx n, const T *g, const T *y, T *out) {                 \
    for (idx i = 0; i < n; ++i) out[i] = y[i] > 0 ? g[i] : g[i] * (T)0;                    \
}

DEFINE_CHANNELS(float, f32)
DEFINE_CHANNELS(double, f64)

/* ---- chunks for the thread pool (_threads.c): [lo, hi) of each loop's outer items ---------- */
/* Argument words are listed above each; images are (n, h, w, c) and chunks are examples. */

#define TAPS g[20]
#define PATCHES(T, SFX, g, image, cols, m, to_image)                                        \
    (TAPS ? tw_patches_t_##SFX : tw_patches_##SFX)(image, cols, m, g[1], g[2], g[3], g[4],   \
        g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], to_image)

#define DEFINE_CHUNKS(T, SFX)                                                               \
/* n, var, lr, grad (flat elements) */                                                      \
void tw_chunk_gradient_descent_##SFX(const idx *g, idx lo, idx hi, idx part) {              \
    (void)part;                                                                            \
    tw_gradient_descent_##SFX(hi - lo, (T *)g[1] + lo, (T)tw_arg_double(g[2]),              \
                              (const T *)g[3] + lo);                                       \
}                                                                                          \
/* n, var, accum, lr, grad, momentum, nesterov */                                           \
void tw_chunk_momentum_##SFX(const idx *g, idx lo, idx hi, idx part) {                      \
    (void)part;                                                                            \
    tw_momentum_##SFX(hi - lo, (T *)g[1] + lo, (T *)g[2] + lo, (T)tw_arg_double(g[3]),      \
                      (const T *)g[4] + lo, (T)tw_arg_double(g[5]), (int)g[6]);             \
}                                                                                          \
/* n, var, m, v, grad, alpha, c1, c2, eps */                                                \
void tw_chunk_adam_##SFX(const idx *g, idx lo, idx hi, idx part) {                          \
    (void)part;                                                                            \
    tw_adam_##SFX(hi - lo, (T *)g[1] + lo, (T *)g[2] + lo, (T *)g[3] + lo,                  \
                  (const T *)g[4] + lo, (T)tw_arg_double(g[5]), (T)tw_arg_double(g[6]),     \
                  (T)tw_arg_double(g[7]), (T)tw_arg_double(g[8]));                          \
}                                                                                          \
/* x, out, n, h, w, c, ho, wo, kh, kw, sh, sw, pt, pl */                                    \
void tw_chunk_max_pool_##SFX(const idx *g, idx lo, idx hi, idx part) {                      \
    (void)part;                                                                            \
    idx in = g[3] * g[4] * g[5], out = g[6] * g[7] * g[5];                                 \
    tw_max_pool_##SFX((const T *)g[0] + lo * in, (T *)g[1] + lo * out, hi - lo, g[3], g[4], \
                      g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13]);           \
}                                                                                          \
/* x, y, g, dx, n, h, w, c, ho, wo, kh, kw, sh, sw, pt, pl, disjoint. Per-chunk scratch      \
 * and sums live on the chunk's stack: rows of one shared array written in the inner loop   \
 * would share cache lines between threads. */                                              \
void tw_chunk_max_pool_grad_##SFX(const idx *g, idx lo, idx hi, idx part) {                 \
    (void)part;                                                                            \
    idx in = g[5] * g[6] * g[7], out = g[8] * g[9] * g[7];                                 \
    T taken[g[7]];                                                                         \
    tw_max_pool_grad_##SFX((const T *)g[0] + lo * in, (const T *)g[1] + lo * out,           \
                           (const T *)g[2] + lo * out, (T *)g[3] + lo * in, taken, hi - lo, \
                           g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], \
                           g[15], (int)g[16]);                                             \
}                                                                                          \
/* x, y, g, feat, dz, sums (c doubles per part), n, h, w, c, ho, wo, kh, kw, sh, sw, pt, pl */\
void tw_chunk_max_pool_relu_grad_##SFX(const idx *g, idx lo, idx hi, idx part) {            \
    idx c = g[9], in = g[7] * g[8] * c, out = g[10] * g[11] * c;                           \
    T taken[c];                                                                            \
    double sums[c];                                                                        \
    tw_max_pool_relu_grad_##SFX((const T *)g[0] + lo * in, (const T *)g[1] + lo * out,      \
                                (const T *)g[2] + lo * out, (const T *)g[3] + lo * in,      \
                                (T *)g[4] + lo * in, taken, sums, hi - lo, g[7], g[8], c,   \
                                g[10], g[11], g[12], g[13], g[14], g[15], g[16], g[17]);    \
    memcpy((double *)g[5] + part * c, sums, (size_t)c * sizeof(double));                   \
}                                                                                          \
/* x, out, rows, c, bias (chunks are rows) */                                               \
void tw_chunk_bias_relu_##SFX(const idx *g, idx lo, idx hi, idx part) {                     \
    (void)part;                                                                            \
    tw_bias_relu_##SFX((const T *)g[0] + lo * g[3], (T *)g[1] + lo * g[3], hi - lo, g[3],   \
                       (const T *)g[4]);                                                   \
}                                                                                          \
/* g, y, out, rows, c, sums (c doubles per part) */                                         \
void tw_chunk_relu_grad_bias_##SFX(const idx *g, idx lo, idx hi, idx part) {                \
    idx c = g[4];                                                                          \
    double sums[c];                                                                        \
    tw_relu_grad_bias_##SFX((const T *)g[0] + lo * c, (const T *)g[1] + lo * c,             \
                            (T *)g[2] + lo * c, hi - lo, c, sums);                          \
    memcpy((double *)g[5] + part * c, sums, (size_t)c * sizeof(double));                   \
}                                                                                          \
/* batch norm, chunks of rows: x, rows, c, s1 (c doubles per part), mean or NULL,             \
 * s2 (c doubles per part) or NULL */                                                      \
void tw_chunk_channel_moments_##SFX(const idx *g, idx lo, idx hi, idx part) {               \
    idx c = g[2];                                                                          \
    double s1[c], s2[c];                                                                   \
    tw_channel_moments_##SFX((const T *)g[0] + lo * c, hi - lo, c, s1, (const double *)g[4],\
                             g[5] ? s2 : NULL);                                            \
    memcpy((double *)g[3] + part * c, s1, (size_t)c * sizeof(double));                     \
    if (g[5]) memcpy((double *)g[5] + part * c, s2, (size_t)c * sizeof(double));           \
}                                                                                          \
/* dy, x, rows, c, mean, sdy (c doubles per part), sdyx (c doubles per part) */             \
void tw_chunk_channel_grad_sums_##SFX(const idx *g, idx lo, idx hi, idx part) {             \
    idx c = g[3];                                                                          \
    double sdy[c], sdyx[c];                                                                \
    tw_channel_grad_sums_##SFX((const T *)g[0] + lo * c, (const T *)g[1] + lo * c, hi - lo, \
                               c, (const double *)g[4], sdy, sdyx);                        \
    memcpy((double *)g[5] + part * c, sdy, (size_t)c * sizeof(double));                    \
    memcpy((double *)g[6] + part * c, sdyx, (size_t)c * sizeof(double));                   \
}                                                                                          \
/* u, v or NULL, out, rows, c, a, b, vb or NULL */                                          \
void tw_chunk_channel_affine_##SFX(const idx *g, idx lo, idx hi, idx part) {                \
    (void)part;                                                                            \
    idx c = g[4];                                                                          \
    tw_channel_affine_##SFX((const T *)g[0] + lo * c, g[1] ? (const T *)g[1] + lo * c : NULL,\
                            (T *)g[2] + lo * c, hi - lo, c, (const T *)g[5],               \
                            (const T *)g[6], (const T *)g[7]);                             \
}                                                                                          \
/* Convolutions as im2col GEMMs, a block of examples at a time through this part's scratch  \
 * of `block` examples' patches. Words 0-13: n, h, w, c, ho, wo, kh, kw, sh, sw, dh, dw,     \
 * pt, pl; 14: o (output channels); 15: block; 16: scratch (per part); 20: tap-major        \
 * patches (few channels; TAPS below); then per op:                                         \
 * forward: 17 x, 18 f (taps*c, o), 19 out. */                                              \
void tw_chunk_conv_forward_##SFX(const idx *g, idx lo, idx hi, idx part) {                  \
    idx rows = g[4] * g[5], width = g[6] * g[7] * g[3], o = g[14];                         \
    T *cols = (T *)g[16] + part * g[15] * rows * width;                                    \
    for (idx b = lo; b < hi; b += g[15]) {                                                 \
        idx m = hi - b < g[15] ? hi - b : g[15];                                           \
        PATCHES(T, SFX, g, (T *)g[17] + b * g[1] * g[2] * g[3], cols, m, 0);                \
        tw_gemm_##SFX(TAPS, 0, m * rows, o, width, cols, TAPS ? m * rows : width,           \
                      (const T *)g[18], o, 0, (T *)g[19] + b * rows * o, o);                \
    }                                                                                      \
}                                                                                          \
/* filter gradient: 17 x, 18 dy, 19 df (taps*c x o per part, summed by the caller) */       \
void tw_chunk_conv_filter_##SFX(const idx *g, idx lo, idx hi, idx part) {                   \
    idx rows = g[4] * g[5], width = g[6] * g[7] * g[3], o = g[14];                         \
    T *cols = (T *)g[16] + part * g[15] * rows * width;                                    \
    T *df = (T *)g[19] + part * width * o;                                                 \
    for (idx b = lo; b < hi; b += g[15]) {                                                 \
        idx m = hi - b < g[15] ? hi - b : g[15];                                           \
        PATCHES(T, SFX, g, (T *)g[17] + b * g[1] * g[2] * g[3], cols, m, 0);                \
        tw_gemm_##SFX(!TAPS, 0, width, o, m * rows, cols, TAPS ? m * rows : width,          \
                      (const T *)g[18] + b * rows * o, o, b == lo ? 0 : 1, df, o);          \
    }                                                                                      \
}                                                                                          \
/* input gradient: 17 dx (zeroed), 18 f (taps*c, o), 19 dy */                               \
void tw_chunk_conv_input_##SFX(const idx *g, idx lo, idx hi, idx part) {                   \
    idx rows = g[4] * g[5], width = g[6] * g[7] * g[3], o = g[14];                         \
    T *cols = (T *)g[16] + part * g[15] * rows * width;                                    \
    for (idx b = lo; b < hi; b += g[15]) {                                                 \
        idx m = hi - b < g[15] ? hi - b : g[15];                                           \
        if (TAPS) /* cols^T = f @ dy^T */                                                  \
            tw_gemm_##SFX(0, 1, width, m * rows, o, (const T *)g[18], o,                   \
                          (const T *)g[19] + b * rows * o, o, 0, cols, m * rows);          \
        else                                                                               \
            tw_gemm_##SFX(0, 1, m * rows, width, o, (const T *)g[19] + b * rows * o, o,     \
                          (const T *)g[18], o, 0, cols, width);                            \
        PATCHES(T, SFX, g, (T *)g[17] + b * g[1] * g[2] * g[3], cols, m, 1);                \
    }                                                                                      \
}

DEFINE_CHUNKS(float, f32)
DEFINE_CHUNKS(double, f64)

/* ---- the module: its file is loaded with ctypes; two Python functions skip ctypes' costs ----
 * run(chunk, args, n, parts, grain) turns args into words and calls tw_parallel without the
 * GIL: one call where ctypes took ~1.5 us per array argument (its __array_interface__).
 * Arrays (ndim >= 1) give their data address, read from the head NumPy's PyArrayObject_fields
 * starts with (numpy/ndarraytypes.h: PyObject_HEAD, then char *data); fused.py checks that
 * address against __array_interface__ before it uses these. Python ints and floats go by
 * value; anything else (NumPy scalars, 0-d arrays) through the `word` function given to init. */
typedef struct { PyObject_HEAD char *data; int nd; } tw_array_head;

static PyTypeObject *array_type;  /* numpy.ndarray, from init */
static PyObject *word_fallback;   /* fused.word */

static PyObject *py_init(PyObject *self, PyObject *const *argv, Py_ssize_t argc) {
    if (argc != 2 || !PyType_Check(argv[0]) || !PyCallable_Check(argv[1])) {
        PyErr_SetString(PyExc_TypeError, "init(array_type, word_function)");
        return NULL;
    }
    Py_INCREF(argv[0]);
    Py_INCREF(argv[1]);
    Py_XDECREF(array_type);
    Py_XDECREF(word_fallback);
    array_type = (PyTypeObject *)argv[0];
    word_fallback = argv[1];
    Py_RETURN_NONE;
}

static int to_word(PyObject *a, idx *word) {
    if (array_type && PyObject_TypeCheck(a, array_type) && ((tw_array_head *)a)->nd > 0) {
        *word = (idx)(intptr_t)((tw_array_head *)a)->data;
        return 0;
    }
    if (PyLong_CheckExact(a)) {
        *word = PyLong_AsLongLong(a);
        return (*word == -1 && PyErr_Occurred()) ? -1 : 0;
    }
    if (PyFloat_CheckExact(a)) {
        union { double d; idx i; } u;
        u.d = PyFloat_AS_DOUBLE(a);
        *word = u.i;
        return 0;
    }
    if (!word_fallback) {
        PyErr_SetString(PyExc_RuntimeError, "_fused.init was not called");
        return -1;
    }
    PyObject *w = PyObject_CallOneArg(word_fallback, a);
    if (!w) return -1;
    *word = PyLong_AsLongLong(w);
    Py_DECREF(w);
    return (*word == -1 && PyErr_Occurred()) ? -1 : 0;
}

#define TW_MAX_WORDS 64

static PyObject *py_run(PyObject *self, PyObject *const *argv, Py_ssize_t argc) {
    if (argc != 5 || !(PyTuple_Check(argv[1]) || PyList_Check(argv[1]))) {
        PyErr_SetString(PyExc_TypeError, "run(chunk, args: list or tuple, n, parts, grain)");
        return NULL;
    }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(argv[1]);
    PyObject **items = PySequence_Fast_ITEMS(argv[1]);
    if (count > TW_MAX_WORDS) {
        PyErr_Format(PyExc_ValueError, "run: %zd arguments, at most %d", count, TW_MAX_WORDS);
        return NULL;
    }
    idx words[TW_MAX_WORDS], n, parts, grain;
    void *chunk = PyLong_AsVoidPtr(argv[0]);
    n = PyLong_AsLongLong(argv[2]);
    parts = PyLong_AsLongLong(argv[3]);
    grain = PyLong_AsLongLong(argv[4]);
    if (PyErr_Occurred()) return NULL;
    if (!chunk) {
        PyErr_SetString(PyExc_ValueError, "run: no chunk function");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; ++i)
        if (to_word(items[i], &words[i]) < 0) return NULL;
    idx used;
    Py_BEGIN_ALLOW_THREADS
    used = tw_parallel((tw_chunk_fn)chunk, words, n, parts, grain);
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong(used);
}

/* address(array): its data address, as run() reads it (fused.py's check, and ptr()). */
static PyObject *py_address(PyObject *self, PyObject *a) {
    if (!array_type || !PyObject_TypeCheck(a, array_type)) {
        PyErr_SetString(PyExc_TypeError, "address: not an array");
        return NULL;
    }
    return PyLong_FromVoidPtr(((tw_array_head *)a)->data);
}

static PyMethodDef fused_methods[] = {
    {"init", (PyCFunction)(void (*)(void))py_init, METH_FASTCALL, "init(array_type, word)"},
    {"run", (PyCFunction)(void (*)(void))py_run, METH_FASTCALL,
     "run(chunk, args, n, parts, grain) -> chunks run"},
    {"address", py_address, METH_O, "address(array) -> its data address"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef fused_module = {
    PyModuleDef_HEAD_INIT, "_fused", "C loops (called through ctypes) and the pool's entry.",
    -1, fused_methods,
};

PyMODINIT_FUNC PyInit__fused(void) { return PyModule_Create(&fused_module); }
