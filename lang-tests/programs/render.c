// render.c — C twin of render.lc
#include <stdio.h>
#include <stdbool.h>
#include <math.h>

typedef long long i64;
typedef int i32;
typedef unsigned char u8;

#define RAMP_LEN 10
#define MAX_ITER 200
#define EPS 0.0001
#define FAR 1.0e30

typedef struct Vec3 {
    double x, y, z;
} Vec3;

typedef struct Sphere {
    Vec3 center;
    double radius;
    double albedo;
} Sphere;

typedef struct Hit {
    double t;
    Vec3 point;
    Vec3 normal;
    double albedo;
    bool ok;
} Hit;

static u8 ramp[10] = { ' ', '.', ':', '-', '=', '+', '*', '#', '%', '@' };
static i64 iter_histogram[10];

static i32 imin(i32 a, i32 b) { return a < b ? a : b; }
static i32 imax(i32 a, i32 b) { return a > b ? a : b; }

static u8 shade_char(double level) {
    i32 idx = (i32)(level * (double)RAMP_LEN);
    idx = imax(0, imin(idx, RAMP_LEN - 1));
    return ramp[idx];
}

static i32 escape_time(double cr, double ci, double jr, double ji, bool julia) {
    double zr = julia ? cr : 0.0;
    double zi = julia ? ci : 0.0;
    double ar = julia ? jr : cr;
    double ai = julia ? ji : ci;
    i32 n = 0;
    while (n < MAX_ITER) {
        double zr2 = zr * zr;
        double zi2 = zi * zi;
        if (zr2 + zi2 > 4.0) break;
        zi = 2.0 * zr * zi + ai;
        zr = zr2 - zi2 + ar;
        n += 1;
    }
    return n;
}

static i64 fractal(i32 w, i32 h, double x0, double x1, double y0, double y1, bool julia) {
    i64 total = 0;
    for (i32 row = 0; row < h; row += 1) {
        double ci = y0 + (y1 - y0) * (double)row / (double)(h - 1);
        for (i32 col = 0; col < w; col += 1) {
            double cr = x0 + (x1 - x0) * (double)col / (double)(w - 1);
            i32 n = escape_time(cr, ci, -0.8, 0.156, julia);
            total += (i64)n;
            u8 c = '@';
            if (n < MAX_ITER) {
                i32 bucket = 0;
                i32 k = n;
                while (k > 1) {
                    k >>= 1;
                    bucket += 1;
                }
                bucket = imin(bucket, RAMP_LEN - 2);
                iter_histogram[bucket] += 1;
                c = ramp[bucket];
            } else {
                iter_histogram[RAMP_LEN - 1] += 1;
            }
            putchar(c);
        }
        putchar('\n');
    }
    return total;
}

static Vec3 v3(double x, double y, double z) {
    Vec3 v = { x, y, z };
    return v;
}
static Vec3 add(Vec3 a, Vec3 b) { return v3(a.x + b.x, a.y + b.y, a.z + b.z); }
static Vec3 sub(Vec3 a, Vec3 b) { return v3(a.x - b.x, a.y - b.y, a.z - b.z); }
static Vec3 scale(Vec3 a, double s) { return v3(a.x * s, a.y * s, a.z * s); }
static double dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }

static Vec3 normalize(Vec3 a) {
    double len = sqrt(dot(a, a));
    return scale(a, 1.0 / len);
}

static double hit_sphere(Sphere *s, Vec3 origin, Vec3 dir) {
    Vec3 oc = sub(origin, s->center);
    double b = dot(oc, dir);
    double c = dot(oc, oc) - s->radius * s->radius;
    double disc = b * b - c;
    if (disc < 0.0) return FAR;
    double sq = sqrt(disc);
    double t0 = -b - sq;
    if (t0 > EPS) return t0;
    double t1 = -b + sq;
    return t1 > EPS ? t1 : FAR;
}

static Hit trace(Sphere *spheres, i32 n, Vec3 origin, Vec3 dir) {
    Hit best = { FAR, v3(0.0, 0.0, 0.0), v3(0.0, 1.0, 0.0), 0.0, false };
    for (i32 i = 0; i < n; i += 1) {
        double t = hit_sphere(&spheres[i], origin, dir);
        if (t < best.t) {
            best.t = t;
            best.point = add(origin, scale(dir, t));
            best.normal = normalize(sub(best.point, spheres[i].center));
            best.albedo = spheres[i].albedo;
            best.ok = true;
        }
    }
    if (dir.y < -EPS) {
        double t = (-1.0 - origin.y) / dir.y;
        if (t > EPS && t < best.t) {
            best.t = t;
            best.point = add(origin, scale(dir, t));
            best.normal = v3(0.0, 1.0, 0.0);
            i64 cx = (i64)floor(best.point.x);
            i64 cz = (i64)floor(best.point.z);
            best.albedo = ((cx + cz) & 1) == 0 ? 0.9 : 0.45;
            best.ok = true;
        }
    }
    return best;
}

static double render_scene(i32 w, i32 h) {
    Sphere spheres[3] = {
        { v3(0.0, 0.0, -4.0), 1.0, 1.0 },
        { v3(-1.8, -0.4, -3.2), 0.6, 0.8 },
        { v3(1.6, 0.3, -5.0), 1.2, 0.7 },
    };
    Vec3 light = normalize(v3(-1.0, 1.5, 0.8));
    Vec3 eye = v3(0.0, 0.3, 0.0);
    double sum = 0.0;
    i32 lit = 0, shadowed = 0;
    for (i32 row = 0; row < h; row += 1) {
        for (i32 col = 0; col < w; col += 1) {
            double u = ((double)col + 0.5) / (double)w * 2.0 - 1.0;
            double v = 1.0 - ((double)row + 0.5) / (double)h * 2.0;
            Vec3 dir = normalize(v3(u * 1.6, v * 0.8, -1.5));
            Hit hit = trace(&spheres[0], 3, eye, dir);
            double level = 0.0;
            if (hit.ok) {
                double d = dot(hit.normal, light);
                double diffuse = 0.0 > d ? 0.0 : d;
                Vec3 origin = add(hit.point, scale(hit.normal, 0.001));
                Hit shadow = trace(&spheres[0], 3, origin, light);
                bool in_shadow = shadow.ok && shadow.t < FAR;
                if (in_shadow) shadowed += 1;
                else lit += 1;
                level = hit.albedo * (0.12 + (in_shadow ? 0.0 : 0.88 * diffuse));
            }
            sum += level;
            putchar(shade_char(level));
        }
        putchar('\n');
    }
    printf("lit=%d shadowed=%d\n", lit, shadowed);
    return sum;
}

int main(void) {
    i64 m = fractal(72, 28, -2.2, 0.8, -1.2, 1.2, false);
    printf("mandelbrot iterations: %lld\n", m);
    i64 j = fractal(60, 20, -1.6, 1.6, -1.0, 1.0, true);
    printf("julia iterations: %lld\n", j);
    printf("histogram:");
    for (i32 k = 0; k < RAMP_LEN; k += 1) printf(" %lld", iter_histogram[k]);
    printf("\n");
    double total = render_scene(64, 26);
    printf("scene brightness: %.6f\n", total);
    return 0;
}
