// matrix.c — C twin of matrix.lc
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;
typedef unsigned char u8;

#define N 40LL
static const double INV_2_53 = 1.0 / 9007199254740992.0;

typedef struct Mat {
    i64 rows;
    i64 cols;
    double *data;
} Mat;

typedef struct Mat4 {
    double m[4][4];
} Mat4;

typedef struct Vec4 {
    double v[4];
} Vec4;

static u64 rng_state = 0x853c49e6748fea9bULL;

static u64 rng_next(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng_state;
}

static double rng_f64(void) {
    double u = (double)(rng_next() >> 11) * INV_2_53;
    return u * 2.0 - 1.0;
}

static Mat mat_new(i64 rows, i64 cols) {
    u64 bytes = (u64)(rows * cols) * sizeof(double);
    Mat m = { rows, cols, malloc(bytes) };
    for (i64 i = 0; i < rows * cols; i += 1) m.data[i] = 0.0;
    return m;
}

static void mat_free(Mat *m) {
    free(m->data);
    m->data = NULL;
}

static double *at(Mat *m, i64 i, i64 j) { return m->data + (i * m->cols + j); }

static void mat_fill(Mat *m) {
    for (i64 i = 0; i < m->rows * m->cols; i += 1) m->data[i] = rng_f64();
}

static void matmul_ijk(Mat *a, Mat *b, Mat *c) {
    for (i64 i = 0; i < a->rows; i += 1) {
        for (i64 j = 0; j < b->cols; j += 1) {
            double s = 0.0;
            for (i64 k = 0; k < a->cols; k += 1) s += *at(a, i, k) * *at(b, k, j);
            *at(c, i, j) = s;
        }
    }
}

static void matmul_ikj(Mat *a, Mat *b, Mat *c) {
    for (i64 i = 0; i < c->rows * c->cols; i += 1) c->data[i] = 0.0;
    for (i64 i = 0; i < a->rows; i += 1) {
        for (i64 k = 0; k < a->cols; k += 1) {
            double aik = a->data[i * a->cols + k];
            double *brow = b->data + k * b->cols;
            double *crow = c->data + i * c->cols;
            for (i64 j = 0; j < b->cols; j += 1) crow[j] += aik * brow[j];
        }
    }
}

static void matmul_bt_fma(Mat *a, Mat *bt, Mat *c) {
    for (i64 i = 0; i < a->rows; i += 1) {
        for (i64 j = 0; j < bt->rows; j += 1) {
            double s = 0.0;
            double *ra = a->data + i * a->cols;
            double *rb = bt->data + j * bt->cols;
            for (i64 k = 0; k < a->cols; k += 1) s = fma(ra[k], rb[k], s);
            *at(c, i, j) = s;
        }
    }
}

static void transpose(Mat *src, Mat *dst) {
    dst->rows = src->cols;
    dst->cols = src->rows;
    for (i64 i = 0; i < src->rows; i += 1)
        for (i64 j = 0; j < src->cols; j += 1) *at(dst, j, i) = *at(src, i, j);
}

static void transpose_in_place(Mat *m) {
    for (i64 i = 0; i < m->rows; i += 1) {
        for (i64 j = i + 1; j < m->cols; j += 1) {
            double t = *at(m, i, j);
            *at(m, i, j) = *at(m, j, i);
            *at(m, j, i) = t;
        }
    }
}

static double max_abs_diff(Mat *a, Mat *b) {
    double d = 0.0;
    for (i64 i = 0; i < a->rows * a->cols; i += 1) {
        double x = fabs(a->data[i] - b->data[i]);
        d = d > x ? d : x;
    }
    return d;
}

static void checksums(const char *label, Mat *m) {
    double sum = 0.0, frob = 0.0, trace = 0.0, weighted = 0.0;
    for (i64 i = 0; i < m->rows; i += 1) {
        for (i64 j = 0; j < m->cols; j += 1) {
            double x = *at(m, i, j);
            sum += x;
            frob += x * x;
            weighted += x * (double)((i * 7 + j * 3) % 11);
            if (i == j) trace += x;
        }
    }
    printf("%-8s sum=%.6f trace=%.6f frob=%.6f weighted=%.6f\n", label, sum, trace, sqrt(frob), weighted);
}

static double power_iteration(Mat *s, i32 iters) {
    i64 n = s->rows;
    Mat v = mat_new(n, 1);
    Mat w = mat_new(n, 1);
    for (i64 i = 0; i < n; i += 1) v.data[i] = 1.0 / sqrt((double)n);
    double lambda = 0.0;
    for (i32 it = 0; it < iters; it += 1) {
        matmul_ijk(s, &v, &w);
        double dot = 0.0, norm = 0.0;
        for (i64 i = 0; i < n; i += 1) {
            dot += v.data[i] * w.data[i];
            norm += w.data[i] * w.data[i];
        }
        lambda = dot;
        norm = sqrt(norm);
        for (i64 i = 0; i < n; i += 1) v.data[i] = w.data[i] / norm;
    }
    mat_free(&v);
    mat_free(&w);
    return lambda;
}

static Mat4 mat4_identity(void) {
    Mat4 r;
    memset(&r, 0, sizeof r);
    for (i32 i = 0; i < 4; i += 1) r.m[i][i] = 1.0;
    return r;
}

static Mat4 mat4_mul(Mat4 a, Mat4 b) {
    Mat4 r;
    memset(&r, 0, sizeof r);
    for (i32 i = 0; i < 4; i += 1) {
        for (i32 j = 0; j < 4; j += 1) {
            double s = 0.0;
            for (i32 k = 0; k < 4; k += 1) s += a.m[i][k] * b.m[k][j];
            r.m[i][j] = s;
        }
    }
    return r;
}

static Vec4 mat4_apply(Mat4 *a, Vec4 p) {
    Vec4 r;
    memset(&r, 0, sizeof r);
    for (i32 i = 0; i < 4; i += 1)
        r.v[i] = a->m[i][0] * p.v[0] + a->m[i][1] * p.v[1] + a->m[i][2] * p.v[2] + a->m[i][3] * p.v[3];
    return r;
}

static Mat4 rot_z(double c, double s) {
    Mat4 r = mat4_identity();
    r.m[0][0] = c;
    r.m[0][1] = -s;
    r.m[1][0] = s;
    r.m[1][1] = c;
    return r;
}

static Mat4 translate(double x, double y, double z) {
    Mat4 r = mat4_identity();
    r.m[0][3] = x;
    r.m[1][3] = y;
    r.m[2][3] = z;
    return r;
}

int main(void) {
    Mat a = mat_new(N, N);
    Mat b = mat_new(N, N);
    Mat c1 = mat_new(N, N);
    Mat c2 = mat_new(N, N);
    Mat c3 = mat_new(N, N);
    Mat bt = mat_new(N, N);
    mat_fill(&a);
    mat_fill(&b);

    matmul_ijk(&a, &b, &c1);
    matmul_ikj(&a, &b, &c2);
    transpose(&b, &bt);
    matmul_bt_fma(&a, &bt, &c3);
    checksums("A", &a);
    checksums("B", &b);
    checksums("AB ijk", &c1);
    checksums("AB ikj", &c2);
    checksums("AB fma", &c3);
    printf("diff ijk/ikj=%.3e ijk/fma=%.3e\n", max_abs_diff(&c1, &c2), max_abs_diff(&c1, &c3));

    transpose_in_place(&bt);
    printf("bt^T == b: %s\n", max_abs_diff(&bt, &b) == 0.0 ? "yes" : "no");

    Mat at_m = mat_new(N, N);
    transpose(&a, &at_m);
    Mat s = mat_new(N, N);
    for (i64 i = 0; i < N * N; i += 1) s.data[i] = a.data[i] + at_m.data[i];
    printf("lambda_max(S) ~ %.6f\n", power_iteration(&s, 200));

    Mat tall = mat_new(N, 3);
    Mat wide = mat_new(3, N);
    mat_fill(&tall);
    mat_fill(&wide);
    Mat outer = mat_new(N, N);
    matmul_ijk(&tall, &wide, &outer);
    checksums("outer", &outer);

    double c30 = sqrt(3.0) / 2.0;
    Mat4 rot = rot_z(c30, 0.5);
    Mat4 acc = mat4_identity();
    Vec4 p = { { 1.0, 0.0, 0.0, 1.0 } };
    for (i32 k = 0; k < 12; k += 1) {
        acc = mat4_mul(rot, acc);
        Vec4 q = mat4_apply(&acc, p);
        if (k % 3 == 2) printf("rot %2d: (%.6f, %.6f, %.6f)\n", (k + 1) * 30, q.v[0], q.v[1], q.v[2]);
    }
    Mat4 model = mat4_mul(translate(2.0, -1.0, 0.5), mat4_mul(rot, rot));
    p = mat4_apply(&model, p);
    printf("model*p = (%.6f, %.6f, %.6f, %.6f)\n", p.v[0], p.v[1], p.v[2], p.v[3]);
    for (i32 i = 0; i < 4; i += 1)
        printf("  [%9.6f %9.6f %9.6f %9.6f]\n", model.m[i][0], model.m[i][1], model.m[i][2], model.m[i][3]);

    mat_free(&a);
    mat_free(&b);
    mat_free(&c1);
    mat_free(&c2);
    mat_free(&c3);
    mat_free(&bt);
    mat_free(&at_m);
    mat_free(&s);
    mat_free(&tall);
    mat_free(&wide);
    mat_free(&outer);
    return 0;
}
