// dp.c — C twin of dp.lc
#include <stdio.h>
#include <string.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;
typedef unsigned int u32;
typedef unsigned char u8;

#define MAXS 64
#define INF 1000000000

typedef struct Item {
    const char *name;
    i32 weight;
    i32 value;
} Item;

static i32 ed[64][64];
static i32 lcs[64][64];
static i32 knap[16][101];
static i64 chain_cost[8][8];
static i32 chain_split[8][8];

static i32 min2(i32 a, i32 b) { return a < b ? a : b; }
static i32 max2(i32 a, i32 b) { return a > b ? a : b; }
static i32 min3(i32 a, i32 b, i32 c) { return min2(a, min2(b, c)); }

static i32 edit_distance(const char *a, const char *b) {
    i32 n = (i32)strlen(a);
    i32 m = (i32)strlen(b);
    for (i32 i = 0; i <= n; i += 1) ed[i][0] = i;
    for (i32 j = 0; j <= m; j += 1) ed[0][j] = j;
    for (i32 i = 1; i <= n; i += 1) {
        for (i32 j = 1; j <= m; j += 1) {
            i32 cost = (i32)(a[i - 1] != b[j - 1]);
            ed[i][j] = min3(ed[i - 1][j] + 1, ed[i][j - 1] + 1, ed[i - 1][j - 1] + cost);
        }
    }
    u8 top[128], bot[128];
    i32 len = 0, subs = 0, ins = 0, dels = 0;
    i32 i = n, j = m;
    while (i > 0 || j > 0) {
        if (i > 0 && j > 0 && ed[i][j] == ed[i - 1][j - 1] + (i32)(a[i - 1] != b[j - 1])) {
            if (a[i - 1] != b[j - 1]) subs += 1;
            top[len] = (u8)a[i - 1];
            bot[len] = (u8)b[j - 1];
            i -= 1;
            j -= 1;
        } else if (i > 0 && ed[i][j] == ed[i - 1][j] + 1) {
            dels += 1;
            top[len] = (u8)a[i - 1];
            bot[len] = '-';
            i -= 1;
        } else {
            ins += 1;
            top[len] = '-';
            bot[len] = (u8)b[j - 1];
            j -= 1;
        }
        len += 1;
    }
    printf("edit(\"%s\", \"%s\") = %d  [sub %d, ins %d, del %d]\n", a, b, ed[n][m], subs, ins, dels);
    printf("    ");
    for (i32 k = len - 1; k >= 0; k -= 1) putchar(top[k]);
    printf("\n    ");
    for (i32 k = len - 1; k >= 0; k -= 1) putchar(bot[k]);
    printf("\n");
    return ed[n][m];
}

static void longest_common_subsequence(const char *a, const char *b) {
    i32 n = (i32)strlen(a);
    i32 m = (i32)strlen(b);
    for (i32 i = 0; i <= n; i += 1) {
        for (i32 j = 0; j <= m; j += 1) {
            if (i == 0 || j == 0) lcs[i][j] = 0;
            else if (a[i - 1] == b[j - 1]) lcs[i][j] = lcs[i - 1][j - 1] + 1;
            else lcs[i][j] = max2(lcs[i - 1][j], lcs[i][j - 1]);
        }
    }
    char out[64];
    i32 k = lcs[n][m];
    out[k] = 0;
    i32 i = n, j = m;
    while (i > 0 && j > 0) {
        if (a[i - 1] == b[j - 1]) {
            k -= 1;
            out[k] = a[i - 1];
            i -= 1;
            j -= 1;
        } else if (lcs[i - 1][j] >= lcs[i][j - 1]) {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    printf("lcs length %d: %s\n", lcs[n][m], &out[0]);
}

static void knapsack(Item *items, i32 n, i32 cap) {
    for (i32 w = 0; w <= cap; w += 1) knap[0][w] = 0;
    for (i32 i = 1; i <= n; i += 1) {
        Item it = items[i - 1];
        for (i32 w = 0; w <= cap; w += 1) {
            i32 best = knap[i - 1][w];
            if (it.weight <= w) best = max2(best, knap[i - 1][w - it.weight] + it.value);
            knap[i][w] = best;
        }
    }
    printf("knapsack cap %d: best value %d, items:", cap, knap[n][cap]);
    i32 w = cap;
    i32 total_w = 0;
    i32 i = n;
    while (i > 0) {
        if (knap[i][w] != knap[i - 1][w]) {
            Item *it = &items[i - 1];
            printf(" %s", it->name);
            w -= it->weight;
            total_w += it->weight;
        }
        i -= 1;
    }
    printf(" (weight %d)\n", total_w);
}

static u64 coin_ways(i64 *coins, i32 ncoins, i64 target) {
    u64 ways[1001];
    memset(ways, 0, sizeof ways);
    ways[0] = 1;
    for (i32 c = 0; c < ncoins; c += 1)
        for (i64 v = coins[c]; v <= target; v += 1) ways[v] += ways[v - coins[c]];
    return ways[target];
}

static i32 coin_min(i64 *coins, i32 ncoins, i64 target) {
    i32 best[1001];
    memset(best, 0, sizeof best);
    for (i64 v = 1; v <= target; v += 1) {
        best[v] = INF;
        for (i32 c = 0; c < ncoins; c += 1)
            if (coins[c] <= v && best[v - coins[c]] + 1 < best[v]) best[v] = best[v - coins[c]] + 1;
    }
    return best[target];
}

static void lis(i64 *seq, i32 n) {
    i32 tails[64] = {0};
    i32 parent[64] = {0};
    i32 len = 0;
    for (i32 i = 0; i < n; i += 1) {
        i32 lo = 0, hi = len;
        while (lo < hi) {
            i32 mid = (lo + hi) / 2;
            if (seq[tails[mid]] < seq[i]) lo = mid + 1;
            else hi = mid;
        }
        parent[i] = lo > 0 ? tails[lo - 1] : -1;
        tails[lo] = i;
        if (lo == len) len += 1;
    }
    i64 out[64] = {0};
    i32 k = tails[len - 1];
    for (i32 p = len - 1; p >= 0; p -= 1) {
        out[p] = seq[k];
        k = parent[k];
    }
    printf("lis length %d:", len);
    for (i32 p = 0; p < len; p += 1) printf(" %lld", out[p]);
    printf("\n");
}

static void print_chain(i32 i, i32 j) {
    if (i == j) {
        printf("A%d", i);
        return;
    }
    printf("(");
    print_chain(i, chain_split[i][j]);
    print_chain(chain_split[i][j] + 1, j);
    printf(")");
}

static void matrix_chain(i64 *dims, i32 n) {
    for (i32 len = 2; len <= n; len += 1) {
        for (i32 i = 1; i + len - 1 <= n; i += 1) {
            i32 j = i + len - 1;
            chain_cost[i][j] = 0x7fffffffffffffffLL;
            for (i32 k = i; k < j; k += 1) {
                i64 c = chain_cost[i][k] + chain_cost[k + 1][j] + dims[i - 1] * dims[k] * dims[j];
                if (c < chain_cost[i][j]) {
                    chain_cost[i][j] = c;
                    chain_split[i][j] = k;
                }
            }
        }
    }
    printf("matrix chain cost %lld: ", chain_cost[1][n]);
    print_chain(1, n);
    printf("\n");
}

int main(void) {
    edit_distance("kitten", "sitting");
    edit_distance("saturday", "sunday");
    edit_distance("intention", "execution");
    edit_distance("", "abc");
    edit_distance("lljit compiler", "llvm jit compilers");

    longest_common_subsequence("ACCGGTCGAGTGCGCGGAAGCCGGCCGAA", "GTCGTTCGGAATGCCGTTGCTCTGTAAA");
    longest_common_subsequence("the quick brown fox", "a quick brown dog");

    Item items[8] = {
        { "map", 9, 150 },
        { "compass", 13, 35 },
        { "water", 15, 200 },
        { "sandwich", 50, 160 },
        { "glucose", 15, 60 },
        { "tin", 68, 45 },
        { "banana", 27, 60 },
        { "apple", 39, 40 },
    };
    knapsack(&items[0], 8, 100);
    knapsack(&items[0], 8, 40);

    i64 coins[8] = { 1, 2, 5, 10, 20, 50, 100, 200 };
    printf("ways to make 200: %llu, 1000: %llu\n", coin_ways(&coins[0], 8, 200), coin_ways(&coins[0], 8, 1000));
    i64 odd[4] = { 1, 7, 10, 22 };
    printf("min coins {1,7,10,22}: 14 -> %d, 289 -> %d, 1000 -> %d\n",
           coin_min(&odd[0], 4, 14), coin_min(&odd[0], 4, 289), coin_min(&odd[0], 4, 1000));

    i64 seq[40];
    u32 x = 7;
    for (i32 i = 0; i < 40; i += 1) {
        x = x * 1103515245u + 12345u;
        seq[i] = (i64)((x >> 16) % 100);
    }
    printf("sequence:");
    for (i32 i = 0; i < 40; i += 1) printf(" %lld", seq[i]);
    printf("\n");
    lis(&seq[0], 40);

    i64 dims[7] = { 30, 35, 15, 5, 10, 20, 25 };
    matrix_chain(&dims[0], 6);
    return 0;
}
