/* matmul.c — C twin of matmul.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 42;

static double rand_f64(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(rng_state >> 11)) / 4503599627370496.0 - 1.0;
}

static void matmul(int64_t m, int64_t k, int64_t n, double *a, double *b, double *c) {
    for (int64_t i = 0; i < m; i += 1) {
        double *crow = c + i * n;
        for (int64_t j = 0; j < n; j += 1) crow[j] = 0.0;
        for (int64_t p = 0; p < k; p += 1) {
            double aip = a[i * k + p];
            double *brow = b + p * n;
            for (int64_t j = 0; j < n; j += 1) crow[j] += aip * brow[j];
        }
    }
}

static double *alloc_f64(int64_t count) { return malloc((uint64_t)count * sizeof(double)); }

int main(int argc, char **argv) {
    if (argc < 5) {
        printf("usage: matmul M K N REPS\n");
        return 1;
    }
    int64_t m = atoi(argv[1]), k = atoi(argv[2]), n = atoi(argv[3]), reps = atoi(argv[4]);
    double *a = alloc_f64(m * k), *b = alloc_f64(k * n), *c = alloc_f64(m * n);
    for (int64_t i = 0; i < m * k; i += 1) a[i] = rand_f64();
    for (int64_t i = 0; i < k * n; i += 1) b[i] = rand_f64();
    double checksum = 0.0;
    for (int64_t r = 0; r < reps; r += 1) {
        matmul(m, k, n, a, b, c);
        checksum += c[r % (m * n)] + c[(m - 1) * n + (r % n)];
        a[r % (m * k)] += 1.0e-3;
    }
    double total = 0.0;
    for (int64_t i = 0; i < m * n; i += 1) total += c[i];
    printf("matmul %lldx%lld * %lldx%lld, %lld reps\n", (long long)m, (long long)k, (long long)k,
           (long long)n, (long long)reps);
    printf("checksum %.10e\n", checksum);
    printf("last C sum %.10e, C[0] %.10e\n", total, c[0]);
    free(a);
    free(b);
    free(c);
    return 0;
}
