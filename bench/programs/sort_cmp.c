/* sort_cmp.c — C twin of sort_cmp.lc (same merge sort, comparator through a function pointer). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Rec {
    int64_t key;
    double val;
    int32_t id;
    uint8_t tag;
} Rec;

typedef int32_t (*cmp_fn)(const Rec *, const Rec *);

static uint64_t rng_state = 99;

static uint64_t rand_u64(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng_state >> 16;
}

static int32_t by_id(const Rec *a, const Rec *b) { return a->id < b->id ? -1 : (a->id > b->id ? 1 : 0); }

static int32_t cmp_key(const Rec *a, const Rec *b) {
    if (a->key < b->key) return -1;
    if (a->key > b->key) return 1;
    return by_id(a, b);
}

static int32_t cmp_val_desc(const Rec *a, const Rec *b) {
    if (a->val > b->val) return -1;
    if (a->val < b->val) return 1;
    return by_id(a, b);
}

static int32_t cmp_tag_key(const Rec *a, const Rec *b) {
    if (a->tag != b->tag) return a->tag < b->tag ? -1 : 1;
    if (a->key != b->key) return a->key > b->key ? -1 : 1;
    return by_id(a, b);
}

/* noinline: keeps the comparator a genuine run-time value, as in the LC version */
__attribute__((noinline)) static cmp_fn pick(int64_t mode) {
    if (mode == 0) return cmp_key;
    if (mode == 1) return cmp_val_desc;
    return cmp_tag_key;
}

static void insertion_sort(Rec *a, int64_t n, cmp_fn cmp) {
    for (int64_t i = 1; i < n; i += 1) {
        Rec x = a[i];
        int64_t j = i;
        while (j > 0 && cmp(&a[j - 1], &x) > 0) {
            a[j] = a[j - 1];
            j -= 1;
        }
        a[j] = x;
    }
}

static void merge_sort(Rec *a, Rec *tmp, int64_t n, cmp_fn cmp) {
    if (n <= 16) {
        insertion_sort(a, n, cmp);
        return;
    }
    int64_t mid = n / 2;
    merge_sort(a, tmp, mid, cmp);
    merge_sort(a + mid, tmp + mid, n - mid, cmp);
    if (cmp(&a[mid - 1], &a[mid]) <= 0) return;
    int64_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) {
        if (cmp(&a[j], &a[i]) < 0) {
            tmp[k] = a[j];
            j += 1;
        } else {
            tmp[k] = a[i];
            i += 1;
        }
        k += 1;
    }
    while (i < mid) {
        tmp[k] = a[i];
        i += 1;
        k += 1;
    }
    while (j < n) {
        tmp[k] = a[j];
        j += 1;
        k += 1;
    }
    for (int64_t t = 0; t < n; t += 1) a[t] = tmp[t];
}

static void fill(Rec *a, int64_t n) {
    for (int64_t i = 0; i < n; i += 1) {
        uint64_t r = rand_u64();
        Rec rec = {0};
        rec.key = (int64_t)(r % 100000);
        rec.val = (double)((r >> 20) % 1000000) * 0.001;
        rec.id = (int32_t)i;
        rec.tag = (uint8_t)(r >> 40) & 7;
        a[i] = rec;
    }
}

int main(int argc, char **argv) {
    if (argc < 4) {
        printf("usage: sort_cmp N REPS key|val|tag|mix\n");
        return 1;
    }
    int64_t n = atoi(argv[1]), reps = atoi(argv[2]);
    int64_t mode = -1;
    if (strcmp(argv[3], "key") == 0) {
        mode = 0;
    } else if (strcmp(argv[3], "val") == 0) {
        mode = 1;
    } else if (strcmp(argv[3], "tag") == 0) {
        mode = 2;
    } else if (strcmp(argv[3], "mix") == 0) {
        mode = 3;
    } else {
        printf("unknown comparator '%s'\n", argv[3]);
        return 1;
    }
    Rec *a = malloc((uint64_t)n * sizeof(Rec));
    Rec *tmp = malloc((uint64_t)n * sizeof(Rec));
    uint64_t checksum = 0;
    int64_t calls_ok = 0;
    for (int64_t r = 0; r < reps; r += 1) {
        cmp_fn cmp = pick(mode == 3 ? r % 3 : mode);
        fill(a, n);
        merge_sort(a, tmp, n, cmp);
        for (int64_t i = 0; i + 1 < n; i += 1) {
            if (cmp(&a[i], &a[i + 1]) >= 0) {
                printf("not sorted at rep %lld index %lld\n", (long long)r, (long long)i);
                return 1;
            }
            calls_ok += 1;
        }
        uint64_t h = 0;
        for (int64_t i = 0; i < n; i += 1) h = h * 1000003 + (uint64_t)(int64_t)a[i].id;
        checksum ^= h + (uint64_t)r;
    }
    printf("sort_cmp n=%lld reps=%lld mode=%s\n", (long long)n, (long long)reps, argv[3]);
    printf("verified %lld pairs, checksum %llu\n", (long long)calls_ok, (unsigned long long)checksum);
    printf("first id=%d key=%lld val=%.3f tag=%d\n", a[0].id, (long long)a[0].key, a[0].val, (int)a[0].tag);
    free(a);
    free(tmp);
    return 0;
}
