// hashmap.c — C twin of hashmap.lc
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;
typedef unsigned char u8;

#define EMPTY 0
#define USED 1
#define TOMB 2
#define INITIAL_CAP 8ULL

typedef struct Entry {
    u8 *key;
    u64 hash;
    i64 value;
    u8 state;
} Entry;

typedef struct Map {
    Entry *entries;
    u64 cap;
    u64 len;
    u64 tombs;
    u64 probes;
    i32 resizes;
} Map;

static u64 hash_str(const u8 *s) {
    u64 h = 14695981039346656037ULL;
    u64 i = 0;
    while (s[i] != 0) {
        h ^= (u64)s[i];
        h *= 1099511628211ULL;
        i += 1;
    }
    return h;
}

static bool str_eq(const u8 *a, const u8 *b) {
    i64 i = 0;
    while (a[i] == b[i]) {
        if (a[i] == 0) return true;
        i += 1;
    }
    return false;
}

static u8 *str_dup(const u8 *s) {
    u64 n = strlen((const char *)s);
    u8 *p = malloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

static void make_key(u8 *buf, const char *prefix, i64 n) {
    i64 len = 0;
    while (prefix[len] != 0) {
        buf[len] = (u8)prefix[len];
        len += 1;
    }
    u8 digits[20] = {0};
    i32 nd = 0;
    i64 v = n;
    if (v == 0) {
        digits[0] = '0';
        nd = 1;
    }
    while (v > 0) {
        digits[nd] = (u8)('0' + v % 10);
        v /= 10;
        nd += 1;
    }
    while (nd > 0) {
        nd -= 1;
        buf[len] = digits[nd];
        len += 1;
    }
    buf[len] = 0;
}

static void map_init(Map *m, u64 cap) {
    m->entries = calloc(cap, sizeof(Entry));
    m->cap = cap;
    m->len = 0;
    m->tombs = 0;
}

static i64 map_find(Map *m, const u8 *key, u64 h) {
    u64 mask = m->cap - 1;
    u64 i = h & mask;
    u64 n = 0;
    while (n < m->cap) {
        Entry *e = m->entries + i;
        m->probes += 1;
        if (e->state == EMPTY) return -1;
        if (e->state == USED && e->hash == h && str_eq(e->key, key)) return (i64)i;
        i = (i + 1) & mask;
        n += 1;
    }
    return -1;
}

static void map_rehash(Map *m, u64 new_cap) {
    Entry *old = m->entries;
    u64 old_cap = m->cap;
    m->entries = calloc(new_cap, sizeof(Entry));
    m->cap = new_cap;
    m->tombs = 0;
    m->resizes += 1;
    u64 mask = new_cap - 1;
    for (u64 j = 0; j < old_cap; j += 1) {
        Entry src = old[j];
        if (src.state != USED) continue;
        u64 i = src.hash & mask;
        while (m->entries[i].state != EMPTY) i = (i + 1) & mask;
        m->entries[i] = src;
    }
    free(old);
}

static bool map_put(Map *m, const u8 *key, i64 value) {
    if ((m->len + m->tombs + 1) * 10 > m->cap * 7) {
        bool grow = (m->len + 1) * 10 > m->cap * 5;
        map_rehash(m, grow ? m->cap * 2 : m->cap);
    }
    u64 h = hash_str(key);
    i64 idx = map_find(m, key, h);
    if (idx >= 0) {
        m->entries[idx].value = value;
        return false;
    }
    u64 mask = m->cap - 1;
    u64 i = h & mask;
    while (m->entries[i].state == USED) i = (i + 1) & mask;
    Entry *e = &m->entries[i];
    if (e->state == TOMB) m->tombs -= 1;
    e->key = str_dup(key);
    e->hash = h;
    e->value = value;
    e->state = USED;
    m->len += 1;
    return true;
}

static bool map_get(Map *m, const u8 *key, i64 *out) {
    i64 idx = map_find(m, key, hash_str(key));
    if (idx < 0) return false;
    *out = m->entries[idx].value;
    return true;
}

static bool map_del(Map *m, const u8 *key) {
    i64 idx = map_find(m, key, hash_str(key));
    if (idx < 0) return false;
    Entry *e = &m->entries[idx];
    free(e->key);
    e->key = NULL;
    e->state = TOMB;
    m->len -= 1;
    m->tombs += 1;
    return true;
}

static void map_free(Map *m) {
    for (u64 j = 0; j < m->cap; j += 1)
        if (m->entries[j].state == USED) free(m->entries[j].key);
    free(m->entries);
    m->entries = NULL;
}

static void report(Map *m, const char *label) {
    printf("%-10s len=%llu cap=%llu tombs=%llu resizes=%d\n", label, m->len, m->cap, m->tombs, m->resizes);
}

int main(void) {
    Map m;
    memset(&m, 0, sizeof m);
    map_init(&m, INITIAL_CAP);
    u8 buf[32] = {0};
    u8 *kp = &buf[0];

    i64 fresh = 0;
    for (i64 i = 0; i < 5000; i += 1) {
        make_key(kp, "key", i * 7 % 3001);
        if (map_put(&m, kp, i)) fresh += 1;
    }
    printf("fresh inserts: %lld\n", fresh);
    report(&m, "insert");

    i64 found = 0;
    i64 sum = 0;
    for (i64 i = 0; i < 3500; i += 1) {
        make_key(kp, "key", i);
        i64 v = 0;
        if (map_get(&m, kp, &v)) {
            found += 1;
            sum += v;
        }
    }
    printf("lookup: found=%lld sum=%lld\n", found, sum);

    i64 deleted = 0;
    for (i64 i = 0; i < 3001; i += 3) {
        make_key(kp, "key", i);
        if (map_del(&m, kp)) deleted += 1;
    }
    make_key(kp, "key", 3);
    bool again = map_del(&m, kp);
    printf("deleted=%lld second delete ok=%d\n", deleted, (i32)again);
    report(&m, "delete");

    for (i64 i = 0; i < 4000; i += 1) {
        make_key(kp, "other", i * i);
        map_put(&m, kp, -i);
    }
    report(&m, "reinsert");

    found = 0;
    sum = 0;
    for (i64 i = 0; i < 3001; i += 1) {
        make_key(kp, "key", i);
        i64 v = 0;
        if (map_get(&m, kp, &v)) {
            found += 1;
            sum += v;
        }
        make_key(kp, "other", i);
        if (map_get(&m, kp, &v)) {
            found += 1;
            sum += v;
        }
    }
    printf("lookup2: found=%lld sum=%lld\n", found, sum);

    u64 check = 0;
    i32 shown = 0;
    for (u64 j = 0; j < m.cap; j += 1) {
        Entry *e = &m.entries[j];
        if (e->state == USED) {
            check = check * 31 + (e->hash ^ (u64)e->value);
            if (shown < 5) {
                printf("  slot %llu: %s -> %lld\n", j, (char *)e->key, e->value);
                shown += 1;
            }
        }
    }
    printf("checksum=%llu probes=%llu\n", check, m.probes);
    map_free(&m);
    return 0;
}
