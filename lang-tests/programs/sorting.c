// sorting.c — C twin of sorting.lc
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;
typedef unsigned int u32;
typedef unsigned char u8;

#define N 3000LL
#define NREC 200

typedef struct Algo {
    const char *name;
    void (*run)(i64 *, i64);
} Algo;

typedef struct Record {
    u32 key;
    i32 id;
    double score;
} Record;

static u64 seed = 12345;
static u64 ncmp = 0;

static u64 lcg(void) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return seed >> 33;
}

static bool less(i64 a, i64 b) {
    ncmp += 1;
    return a < b;
}

static void swap(i64 *v, i64 i, i64 j) {
    i64 t = v[i];
    v[i] = v[j];
    v[j] = t;
}

static void insertion_sort(i64 *v, i64 n) {
    for (i64 i = 1; i < n; i += 1) {
        i64 x = v[i];
        i64 j = i;
        while (j > 0 && less(x, v[j - 1])) {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

static void shell_sort(i64 *v, i64 n) {
    const i64 gaps[8] = { 701, 301, 132, 57, 23, 10, 4, 1 };
    for (i32 g = 0; g < 8; g += 1) {
        i64 gap = gaps[g];
        for (i64 i = gap; i < n; i += 1) {
            i64 x = v[i];
            i64 j = i;
            while (j >= gap && less(x, v[j - gap])) {
                v[j] = v[j - gap];
                j -= gap;
            }
            v[j] = x;
        }
    }
}

static i64 median3(i64 *v, i64 lo, i64 hi) {
    i64 mid = lo + (hi - lo) / 2;
    if (less(v[mid], v[lo])) swap(v, mid, lo);
    if (less(v[hi], v[lo])) swap(v, hi, lo);
    if (less(v[hi], v[mid])) swap(v, hi, mid);
    return v[mid];
}

static void quick_rec(i64 *v, i64 lo0, i64 hi0) {
    i64 lo = lo0, hi = hi0;
    while (hi - lo > 16) {
        i64 pivot = median3(v, lo, hi);
        i64 i = lo - 1;
        i64 j = hi + 1;
        while (true) {
            i += 1;
            while (less(v[i], pivot)) i += 1;
            j -= 1;
            while (less(pivot, v[j])) j -= 1;
            if (i >= j) break;
            swap(v, i, j);
        }
        if (j - lo < hi - j) {
            quick_rec(v, lo, j);
            lo = j + 1;
        } else {
            quick_rec(v, j + 1, hi);
            hi = j;
        }
    }
    insertion_sort(v + lo, hi - lo + 1);
}

static void quick_sort(i64 *v, i64 n) {
    if (n > 1) quick_rec(v, 0, n - 1);
}

static void merge_rec(i64 *v, i64 *tmp, i64 lo, i64 hi) {
    if (hi - lo < 2) return;
    i64 mid = (lo + hi) >> 1;
    merge_rec(v, tmp, lo, mid);
    merge_rec(v, tmp, mid, hi);
    i64 i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        if (less(v[j], v[i])) {
            tmp[k] = v[j];
            j += 1;
        } else {
            tmp[k] = v[i];
            i += 1;
        }
        k += 1;
    }
    while (i < mid) { tmp[k] = v[i]; i += 1; k += 1; }
    while (j < hi) { tmp[k] = v[j]; j += 1; k += 1; }
    memcpy(v + lo, tmp + lo, (u64)(hi - lo) * sizeof(i64));
}

static void merge_sort(i64 *v, i64 n) {
    i64 *tmp = malloc((u64)n * sizeof(i64));
    merge_rec(v, tmp, 0, n);
    free(tmp);
}

static void sift_down(i64 *v, i64 start, i64 end) {
    i64 root = start;
    while (root * 2 + 1 < end) {
        i64 child = root * 2 + 1;
        if (child + 1 < end && less(v[child], v[child + 1])) child += 1;
        if (!less(v[root], v[child])) return;
        swap(v, root, child);
        root = child;
    }
}

static void heap_sort(i64 *v, i64 n) {
    i64 start = n / 2 - 1;
    while (start >= 0) {
        sift_down(v, start, n);
        start -= 1;
    }
    i64 end = n - 1;
    while (end > 0) {
        swap(v, 0, end);
        sift_down(v, 0, end);
        end -= 1;
    }
}

static int cmp_i64(const void *a, const void *b) {
    i64 x = *(const i64 *)a;
    i64 y = *(const i64 *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

static void libc_qsort(i64 *v, i64 n) { qsort(v, (u64)n, sizeof(i64), cmp_i64); }

static int cmp_record(const void *a, const void *b) {
    const Record *ra = a;
    const Record *rb = b;
    if (ra->key != rb->key) return ra->key > rb->key ? -1 : 1;
    return ra->id - rb->id;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_sorted(i64 *v, i64 n) {
    for (i64 i = 1; i < n; i += 1)
        if (v[i - 1] > v[i]) return false;
    return true;
}

static u64 checksum(i64 *v, i64 n) {
    u64 h = 0;
    for (i64 i = 0; i < n; i += 1) h = h * 1099511628211ULL + ((u64)v[i] ^ (u64)i);
    return h;
}

static i64 lower_bound(i64 *v, i64 n, i64 x) {
    i64 lo = 0, hi = n;
    while (lo < hi) {
        i64 mid = lo + (hi - lo) / 2;
        if (v[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

int main(void) {
    i64 *data = malloc((u64)N * sizeof(i64));
    i64 *work = malloc((u64)N * sizeof(i64));
    for (i64 i = 0; i < N; i += 1) data[i] = (i64)(lcg() % 20000) - 10000;
    printf("input checksum %llu, first %lld %lld %lld\n", checksum(data, N), data[0], data[1], data[2]);

    const Algo algos[6] = {
        { "insertion", insertion_sort },
        { "shell", shell_sort },
        { "quick", quick_sort },
        { "merge", merge_sort },
        { "heap", heap_sort },
        { "qsort", libc_qsort },
    };
    u64 reference = 0;
    for (i32 a = 0; a < 6; a += 1) {
        memcpy(work, data, (u64)N * sizeof(i64));
        ncmp = 0;
        void (*f)(i64 *, i64) = algos[a].run;
        f(work, N);
        u64 sum = checksum(work, N);
        if (a == 0) reference = sum;
        bool own = a < 5;
        printf("%-10s sorted=%d same=%d min=%lld max=%lld median=%lld",
               algos[a].name, (i32)is_sorted(work, N), (i32)(sum == reference),
               work[0], work[N - 1], work[N / 2]);
        if (own) printf(" cmps=%llu", ncmp);
        printf("\n");
    }

    for (i64 i = 0; i < N; i += 1) work[i] = N - i;
    ncmp = 0;
    quick_sort(work, N);
    printf("quick on reversed: sorted=%d cmps=%llu\n", (i32)is_sorted(work, N), ncmp);
    ncmp = 0;
    merge_sort(work, N);
    printf("merge on sorted: sorted=%d cmps=%llu\n", (i32)is_sorted(work, N), ncmp);

    memcpy(work, data, (u64)N * sizeof(i64));
    heap_sort(work, N);
    const i64 probes[5] = { -10000, data[5], data[10], 583, 9999 };
    for (i32 p = 0; p < 5; p += 1) {
        i64 x = probes[p];
        i64 lo = lower_bound(work, N, x);
        i64 hi = lower_bound(work, N, x + 1);
        printf("  value %6lld: first index %4lld, count %lld\n", x, lo, hi - lo);
    }

    Record recs[200];
    memset(recs, 0, sizeof recs);
    for (i32 i = 0; i < NREC; i += 1) {
        u32 k = (u32)(lcg() % 40);
        Record r = { k, i, (double)k * 1.5 + (double)i / 8.0 };
        recs[i] = r;
    }
    qsort(&recs[0], (u64)NREC, sizeof(Record), cmp_record);
    double rsum = 0.0;
    bool ordered = true;
    for (i32 i = 0; i < NREC; i += 1) {
        rsum = rsum * 0.5 + recs[i].score;
        if (i > 0 && cmp_record(&recs[i - 1], &recs[i]) >= 0) ordered = false;
    }
    printf("records: ordered=%d weighted=%.6f size=%llu\n", (i32)ordered, rsum, (u64)sizeof(Record));
    for (i32 i = 0; i < 6; i += 1) printf("  key=%2u id=%3d score=%.3f\n", recs[i].key, recs[i].id, recs[i].score);

    const char *names[10] = { "pear", "apple", "fig", "banana", "kiwi", "cherry", "date", "grape", "lime", "elderberry" };
    qsort(&names[0], 10, sizeof(char *), cmp_str);
    printf("fruits:");
    for (i32 i = 0; i < 10; i += 1) printf(" %s", names[i]);
    printf("\n");

    free(data);
    free(work);
    return 0;
}
