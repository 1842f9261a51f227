// life.c — C twin of life.lc
#include <stdio.h>
#include <string.h>
#include <stdbool.h>

typedef unsigned long long u64;
typedef int i32;
typedef unsigned char u8;

#define W 64
#define H 32
#define GENERATIONS 150

typedef struct Grid {
    u8 cells[32][64];
} Grid;

typedef struct Bits {
    u64 rows[32];
} Bits;

static i32 wrap(i32 v, i32 n) { return (v % n + n) % n; }

static void set_cell(Grid *g, i32 r, i32 c) { g->cells[wrap(r, H)][wrap(c, W)] = 1; }

static void place(Grid *g, i32 (*pts)[2], i32 n, i32 r0, i32 c0) {
    for (i32 i = 0; i < n; i += 1) set_cell(g, r0 + pts[i][0], c0 + pts[i][1]);
}

static Grid step(Grid *g) {
    Grid next;
    memset(&next, 0, sizeof next);
    for (i32 r = 0; r < H; r += 1) {
        for (i32 c = 0; c < W; c += 1) {
            i32 cnt = 0;
            for (i32 dr = -1; dr <= 1; dr += 1) {
                for (i32 dc = -1; dc <= 1; dc += 1) {
                    if (dr == 0 && dc == 0) continue;
                    cnt += (i32)g->cells[wrap(r + dr, H)][wrap(c + dc, W)];
                }
            }
            bool alive = g->cells[r][c] == 1;
            next.cells[r][c] = (u8)(cnt == 3 || (alive && cnt == 2));
        }
    }
    return next;
}

static u64 rotl1(u64 x) { return (x << 1) | (x >> 63); }
static u64 rotr1(u64 x) { return (x >> 1) | (x << 63); }

static Bits to_bits(Grid *g) {
    Bits b;
    memset(&b, 0, sizeof b);
    for (i32 r = 0; r < H; r += 1)
        for (i32 c = 0; c < W; c += 1) b.rows[r] |= (u64)g->cells[r][c] << c;
    return b;
}

static Bits bits_step(Bits b) {
    Bits out;
    memset(&out, 0, sizeof out);
    for (i32 r = 0; r < H; r += 1) {
        u64 up = b.rows[wrap(r - 1, H)];
        u64 mid = b.rows[r];
        u64 down = b.rows[wrap(r + 1, H)];
        const u64 masks[8] = {
            rotl1(up), up, rotr1(up),
            rotl1(mid), rotr1(mid),
            rotl1(down), down, rotr1(down),
        };
        u64 s0 = 0, s1 = 0, s2 = 0;
        for (i32 k = 0; k < 8; k += 1) {
            u64 m = masks[k];
            u64 c0 = s0 & m;
            s0 ^= m;
            u64 c1 = s1 & c0;
            s1 ^= c0;
            s2 ^= c1;
        }
        out.rows[r] = ~s2 & s1 & (s0 | mid);
    }
    return out;
}

static i32 population(Grid *g) {
    i32 n = 0;
    for (i32 r = 0; r < H; r += 1)
        for (i32 c = 0; c < W; c += 1) n += (i32)g->cells[r][c];
    return n;
}

static u64 bits_population(Bits *b) {
    u64 n = 0;
    for (i32 r = 0; r < H; r += 1) n += (u64)__builtin_popcountll(b->rows[r]);
    return n;
}

static u64 bits_hash(Bits *b) {
    u64 h = 0xcbf29ce484222325ULL;
    for (i32 r = 0; r < H; r += 1) {
        h = (h ^ b->rows[r]) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    return h;
}

static bool same(Grid *g, Bits *b) {
    Bits gb = to_bits(g);
    for (i32 r = 0; r < H; r += 1)
        if (gb.rows[r] != b->rows[r]) return false;
    return true;
}

static void bounding_box(Bits *b) {
    i32 top = -1, bottom = -1;
    u64 cols = 0;
    for (i32 r = 0; r < H; r += 1) {
        if (b->rows[r] != 0) {
            if (top < 0) top = r;
            bottom = r;
            cols |= b->rows[r];
        }
    }
    if (top < 0) {
        printf("empty\n");
        return;
    }
    u64 left = (u64)__builtin_ctzll(cols);
    u64 right = 63 - (u64)__builtin_clzll(cols);
    printf("rows %d..%d, columns %llu..%llu\n", top, bottom, left, right);
}

static void print_grid(Grid *g) {
    u8 line[65];
    for (i32 r = 0; r < H; r += 1) {
        for (i32 c = 0; c < W; c += 1) line[c] = g->cells[r][c] == 1 ? '#' : '.';
        line[64] = 0;
        printf("%s\n", (char *)&line[0]);
    }
}

int main(void) {
    i32 glider[5][2] = { { 0, 1 }, { 1, 2 }, { 2, 0 }, { 2, 1 }, { 2, 2 } };
    i32 rpent[5][2] = { { 0, 1 }, { 0, 2 }, { 1, 0 }, { 1, 1 }, { 2, 1 } };
    i32 blinker[3][2] = { { 0, 0 }, { 0, 1 }, { 0, 2 } };
    i32 lwss[9][2] = { { 0, 1 }, { 0, 4 }, { 1, 0 }, { 2, 0 }, { 2, 4 }, { 3, 0 }, { 3, 1 }, { 3, 2 }, { 3, 3 } };

    Grid g;
    memset(&g, 0, sizeof g);
    place(&g, &glider[0], 5, 1, 1);
    place(&g, &rpent[0], 5, 14, 40);
    place(&g, &blinker[0], 3, 28, 8);
    place(&g, &lwss[0], 9, 22, 20);
    place(&g, &glider[0], 5, 30, 62);

    Bits b = to_bits(&g);
    bool agree = true;
    printf("gen   0: pop=%d bits=%llu hash=%016llx\n", population(&g), bits_population(&b), bits_hash(&b));
    for (i32 gen = 1; gen <= GENERATIONS; gen += 1) {
        g = step(&g);
        b = bits_step(b);
        if (!same(&g, &b)) agree = false;
        if (gen % 15 == 0)
            printf("gen %3d: pop=%d bits=%llu hash=%016llx\n", gen, population(&g), bits_population(&b), bits_hash(&b));
    }
    printf("implementations agree: %s\n", agree ? "yes" : "no");
    bounding_box(&b);
    print_grid(&g);

    Grid osc;
    memset(&osc, 0, sizeof osc);
    place(&osc, &blinker[0], 3, 10, 10);
    Bits start = to_bits(&osc);
    Bits cur = start;
    i32 period = 0;
    for (i32 i = 1; i <= 10; i += 1) {
        cur = bits_step(cur);
        if (bits_hash(&cur) == bits_hash(&start)) {
            period = i;
            break;
        }
    }
    printf("blinker period: %d\n", period);
    return 0;
}
