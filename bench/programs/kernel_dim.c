/* kernel_dim.c — C twin of kernel_dim.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 7;

static double rand_f64(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(rng_state >> 11)) / 4503599627370496.0 - 1.0;
}

static void mm(int32_t n, const double *a, const double *b, double *c) {
    for (int32_t i = 0; i < n; i += 1) {
        for (int32_t j = 0; j < n; j += 1) {
            double s = 0.0;
            for (int32_t k = 0; k < n; k += 1) s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
    }
}

static double trial(double *pool, int32_t npool, int32_t n, int32_t calls, int32_t r, double *c) {
    int32_t nn = n * n;
    double sum = 0.0;
    for (int32_t t = 0; t < calls; t += 1) {
        int32_t ia = (t + r) % npool;
        int32_t ib = (t * 7 + r * 3 + 1) % npool;
        mm(n, pool + ia * nn, pool + ib * nn, c);
        sum += c[t % nn];
    }
    pool[(r % npool) * nn + r % nn] += 1.0e-3;
    return sum;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        printf("usage: kernel_dim N POOL TRIALS CALLS\n");
        return 1;
    }
    int32_t n = atoi(argv[1]), npool = atoi(argv[2]), trials = atoi(argv[3]), calls = atoi(argv[4]);
    if (n < 1 || n > 64 || npool < 1) {
        printf("need 1 <= N <= 64 and POOL >= 1\n");
        return 1;
    }
    int32_t nn = n * n;
    double *pool = malloc((uint64_t)(npool * nn) * sizeof(double));
    double *c = malloc((uint64_t)nn * sizeof(double));
    for (int32_t i = 0; i < npool * nn; i += 1) pool[i] = rand_f64();
    double checksum = 0.0;
    for (int32_t r = 0; r < trials; r += 1) checksum += trial(pool, npool, n, calls, r, c);
    double total = 0.0;
    for (int32_t i = 0; i < nn; i += 1) total += c[i];
    printf("kernel_dim n=%d pool=%d trials=%d calls=%d\n", n, npool, trials, calls);
    printf("checksum %.10e\n", checksum);
    printf("last C sum %.10e, C[0] %.10e\n", total, c[0]);
    free(pool);
    free(c);
    return 0;
}
