// C twin of taste.lc.
#include <stdio.h>
#include <stdlib.h>
typedef struct { double x, y; } Point;
static double dot(Point *a, Point *b) { return a->x * b->x + a->y * b->y; }
static long long sum(long long *v, long long n) {
    long long s = 0;
    for (long long i = 0; i < n; i += 1) s += v[i];
    return s;
}
int main(int argc, char **argv) {
    long long n = 10;
    if (argc > 1) n = (long long)atoi(argv[1]);
    long long table[16] = {0};
    for (long long i = 0; i < 16; i += 1) table[i] = i * n;
    Point p = {3.0, 4.0};
    printf("%lld %.1f %lld\n", sum(&table[0], 16), dot(&p, &p), n > 5 ? 1LL : 0LL);
    return 0;
}
