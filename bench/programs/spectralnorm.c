/* spectralnorm.c — C twin of spectralnorm.lc. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static double eval_a(int64_t i, int64_t j) {
    return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1);
}

static void mul_av(int64_t n, const double *v, double *av) {
    for (int64_t i = 0; i < n; i += 1) {
        double sum = 0.0;
        for (int64_t j = 0; j < n; j += 1) sum += eval_a(i, j) * v[j];
        av[i] = sum;
    }
}

static void mul_atv(int64_t n, const double *v, double *atv) {
    for (int64_t i = 0; i < n; i += 1) {
        double sum = 0.0;
        for (int64_t j = 0; j < n; j += 1) sum += eval_a(j, i) * v[j];
        atv[i] = sum;
    }
}

static void mul_atav(int64_t n, const double *v, double *out, double *tmp) {
    mul_av(n, v, tmp);
    mul_atv(n, tmp, out);
}

int main(int argc, char **argv) {
    int64_t n = 100;
    if (argc > 1) n = (int64_t)atoi(argv[1]);
    size_t bytes = (uint64_t)n * sizeof(double);
    double *u = malloc(bytes), *v = malloc(bytes), *tmp = malloc(bytes);
    for (int64_t i = 0; i < n; i += 1) u[i] = 1.0;
    for (int64_t i = 0; i < 10; i += 1) {
        mul_atav(n, u, v, tmp);
        mul_atav(n, v, u, tmp);
    }
    double vbv = 0.0, vv = 0.0;
    for (int64_t i = 0; i < n; i += 1) {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    printf("%.9f\n", sqrt(vbv / vv));
    free(u);
    free(v);
    free(tmp);
    return 0;
}
